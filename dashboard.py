"""Border-region figures from Vietnamese news: `streamlit run dashboard.py [-- --facts FILE|STORE/ | --corpus FOLDER]`."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import duckdb
import streamlit as st

from extract.corrections import default_db_path
from ui import article, compare, corrections, dossiers, figures, overview, sidebar, strings, trends, uploads
from ui.command_line import parse_args
from ui.dataset import SEEDS, Dataset, DatasetError, combine, display_path, load_facts_file, load_folder
from ui.filters import Filters
from ui.formatting import format_number
from ui.query import FactsQuery
from ui.strings import translator

TABS = ("overview", "trends", "compare", "dossiers", "figures", "article")
TAB_KEY = "tab"  # only the open tab is drawn: switching tabs reruns the page


def open_corpus(args: argparse.Namespace, lang: str) -> Dataset:
    """The corpus the command line names (the seeds by default); a message and a stop if it cannot be read."""
    T = translator(lang)
    try:
        with st.spinner(T("loading")):
            return load_facts_file(args.facts) if args.facts else load_folder(args.corpus or SEEDS)
    except DatasetError as error:
        st.error(T(error.key, **error.values), icon=":material/error:")
        st.stop()


def corpus_folder(args: argparse.Namespace) -> Path:
    """Where the corpus keeps its corrections by default: the store or corpus folder, the facts file's folder."""
    if args.facts:
        return args.facts if args.facts.is_dir() else args.facts.parent
    return args.corpus or SEEDS


def page_header(base: Dataset, query: FactsQuery, totals: dict[str, int], lang: str) -> None:
    T = translator(lang)
    st.title(T("app.title"))
    st.caption(T("app.subtitle", n=format_number(totals["figures"], lang=lang),
                 total=format_number(query.total(), lang=lang),
                 articles=format_number(totals["articles"], lang=lang), origin=display_path(base.origin)))
    if base.skipped:
        with st.expander(T("skipped_count", n=format_number(len(base.skipped), lang=lang)), icon=":material/warning:"):
            for skipped in base.skipped:
                st.warning(T("skipped", name=skipped.source, reason=skipped.reason))


def draw(base: Dataset, query: FactsQuery, filter_box, db_path: Path, lang: str) -> None:
    """The filters, the header and every tab, each asking the query for what it shows."""
    chosen: Filters = sidebar.render_filters(filter_box, query, lang)
    totals = query.totals(chosen)
    page_header(base, query, totals, lang)
    views = {
        "overview": lambda: overview.render(query, chosen, totals, lang),
        "trends": lambda: trends.render(query, chosen, lang),
        "compare": lambda: compare.render(query, chosen, lang),
        "dossiers": lambda: dossiers.render(query, chosen, totals["figures"] > 0, lang),
        "figures": lambda: (figures.render(query, chosen, totals["figures"], lang),
                            corrections.render(query, chosen, db_path, lang)),
        "article": lambda: article.render(query, chosen, totals["articles"], lang),
    }
    tabs = st.tabs([translator(lang)(f"tab.{name}") for name in TABS], key=TAB_KEY, on_change="rerun")
    for name, tab in zip(TABS, tabs):
        if tab.open:
            with tab:
                views[name]()


def main() -> None:
    """One run of the page: open the corpus, add uploads and corrections, filter, draw every tab."""
    st.set_page_config(page_title=strings.text("app.page_title"), page_icon=":material/insights:", layout="wide")
    st.html('<style>[data-testid="stMainBlockContainer"]{padding-top:2.5rem}</style>')
    args = parse_args(sys.argv[1:])
    lang = sidebar.language()
    filter_box, upload_box = st.sidebar.container(), st.sidebar.container()
    db_path = args.db or default_db_path(corpus_folder(args))

    base = open_corpus(args, lang)
    dataset = combine(base, uploads.render(upload_box, lambda: FactsQuery.open(base).content_hashes(), lang))
    try:
        draw(base, FactsQuery.open(dataset, corrections.active_corrections(db_path)), filter_box, db_path, lang)
    except duckdb.Error as error:  # a broken or half-written store file: logged in full, one line for the analyst
        logging.getLogger(__name__).exception("query of %s failed", base.origin)
        st.error(translator(lang)("error.query", path=display_path(base.origin), reason=str(error).splitlines()[0]),
                 icon=":material/error:")


if __name__ == "__main__":  # as `streamlit run` runs it; importing the file draws nothing
    main()
