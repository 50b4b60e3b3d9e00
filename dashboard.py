"""Border-region figures from Vietnamese news: `streamlit run dashboard.py [-- --facts FILE | --corpus FOLDER]`."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
import streamlit as st

from extract.corrections import default_db_path
from ui import article, compare, corrections, dossiers, figures, overview, sidebar, trends, uploads
from ui.aggregation import unique_figures
from ui.command_line import parse_args
from ui.dataset import SEEDS, Dataset, DatasetError, combine, display_path, load_facts_file, load_folder
from ui.filters import apply_filters
from ui.formatting import format_number
from ui.strings import translator

TABS = ("overview", "trends", "compare", "dossiers", "figures", "article")


def open_corpus(args: argparse.Namespace, lang: str) -> Dataset:
    """The corpus the command line names (the seeds by default); a message and a stop if it cannot be read."""
    T = translator(lang)
    try:
        with st.spinner(T("loading")):
            return load_facts_file(args.facts) if args.facts else load_folder(args.corpus or SEEDS)
    except DatasetError as error:
        st.error(T(error.key, **error.values), icon=":material/error:")
        st.stop()


def page_header(base: Dataset, dataset: Dataset, facts: pd.DataFrame, filtered: pd.DataFrame, lang: str) -> None:
    T = translator(lang)
    st.title(T("app.title"))
    st.caption(T("app.subtitle", n=format_number(len(filtered), lang=lang), total=format_number(len(facts), lang=lang),
                 articles=format_number(filtered["doc_id"].nunique(), lang=lang), origin=display_path(dataset.origin)))
    if base.skipped:
        with st.expander(T("skipped_count", n=format_number(len(base.skipped), lang=lang)), icon=":material/warning:"):
            for skipped in base.skipped:
                st.warning(T("skipped", name=skipped.source, reason=skipped.reason))


def main() -> None:
    """One run of the page: open the corpus, add uploads and corrections, filter, draw every tab."""
    st.set_page_config(page_title="Số liệu biên giới", page_icon=":material/insights:", layout="wide")
    st.html('<style>[data-testid="stMainBlockContainer"]{padding-top:2.5rem}</style>')
    args = parse_args(sys.argv[1:])
    lang = sidebar.language()
    filter_box, upload_box = st.sidebar.container(), st.sidebar.container()
    db_path = args.db or default_db_path(args.corpus or (Path(args.facts).parent if args.facts else SEEDS))

    base = open_corpus(args, lang)
    dataset = combine(base, uploads.render(upload_box, frozenset(base.articles["content_hash"].dropna()), lang))
    facts = corrections.apply_corrections(dataset.facts, db_path)
    chosen = sidebar.render_filters(filter_box, facts, lang)
    filtered = apply_filters(facts, chosen)
    where = chosen.province_column
    unique = unique_figures(filtered, where)

    page_header(base, dataset, facts, filtered, lang)
    tab = dict(zip(TABS, st.tabs([translator(lang)(f"tab.{name}") for name in TABS])))
    with tab["overview"]:
        overview.render(filtered, unique, where, lang)
    with tab["trends"]:
        trends.render(unique, where, lang)
    with tab["compare"]:
        compare.render(unique, where, lang)
    with tab["dossiers"]:
        dossiers.render(unique, where, lang)
    with tab["figures"]:
        figures.render(filtered, facts, dataset.articles, where, lang)
        corrections.render(filtered, db_path, where, lang)
    with tab["article"]:
        article.render(filtered, facts, dataset.articles, lang)


if __name__ == "__main__":  # as `streamlit run` runs it; importing the file draws nothing
    main()
