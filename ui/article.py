"""Article tab: an article's text with every extracted figure highlighted and labelled."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.article_html import Mark, article_html, excerpt, locate, metric_group
from ui.formatting import format_date, format_number, format_period, format_quantity, source_name
from ui.labels import metric_label
from ui.query import FactsQuery
from ui.strings import translator

ARTICLE_KEY = "article"
FOCUS_KEY = "article_focus"
"""(doc_id, start, end) of the figure picked in the figures table."""
MAX_LISTED = 1000
"""Articles offered in the list at most: those with the most matching figures."""


def offset(value) -> int | None:
    """A character offset as an int, None where not known."""
    return None if value is None or pd.isna(value) else int(value)


def first_text(*values) -> str:
    return next((v for v in values if isinstance(v, str) and v.strip()), "")


def figure_marks(text: str, figures: pd.DataFrame, lang: str, focus: tuple | None = None) -> list[Mark]:
    """A mark for each figure found in `text`; `focus` (start, end) marks the one the analyst picked."""
    marks = []
    for _, row in figures.iterrows():
        span = locate(text, row["start"], row["end"], row["text"])
        if span is None:
            continue
        title = (f"{metric_label(row['metric'], lang)}: "
                 f"{format_quantity(row['value'], row['unit'], row['qualifier'], row['value_max'], lang)} · "
                 f"{format_period(row['period_start'], row['period_end'], lang)}")
        picked = focus is not None and (offset(row["start"]), offset(row["end"])) == tuple(focus)
        marks.append(Mark(span[0], span[1], metric_label(row["metric"], lang), title,
                          metric_group(row["metric"]), picked))
    return marks


def _title(title, text, doc_id: str) -> str:
    if isinstance(title, str) and title.strip():
        return title.strip()
    first_line = text.strip().splitlines()[0] if isinstance(text, str) and text.strip() else ""
    return first_line[:120] or str(doc_id)


def article_titles(articles: pd.DataFrame) -> dict[str, str]:
    """doc_id -> the article's title, or its first line when it has none."""
    return {doc_id: _title(title, text, doc_id)
            for doc_id, title, text in articles[["doc_id", "title", "text"]].itertuples(index=False)}


def render_article(doc_id: str, query: FactsQuery, lang: str, focus: tuple | None = None,
                   paragraph_only: bool = False) -> None:
    """Title, date, source and the highlighted text (only the focused figure's paragraph when
    `paragraph_only`); the evidence sentences when the text is not stored."""
    T = translator(lang)
    figures = query.figures_of(doc_id)
    record = query.article(doc_id)
    st.markdown(f"#### {_title(record.get('title'), record.get('text'), doc_id)}")
    source = first_text(record.get("url"), record.get("source"), *figures["source"])
    meta = [T("article.figures", n=format_number(len(figures), lang=lang)), format_date(record.get("published")),
            source_name(source)]
    st.caption(" · ".join(part for part in meta if part))
    text = record.get("text")
    if isinstance(text, str) and text:
        marks = figure_marks(text, figures, lang, focus)
        picked = [m for m in marks if m.focus]
        if paragraph_only and picked:
            text, marks = excerpt(text, marks, picked[0].start, picked[0].end)
            st.caption(T("article.excerpt"))
        else:
            st.caption(T("article.colours"))
        st.html(article_html(text, marks))
        return
    st.info(T("article.no_text"))
    for index in figures.index:
        sentence = first_text(figures.at[index, "sentence"])
        located = figures.loc[[index]].assign(start=None, end=None)
        st.html(article_html(sentence, figure_marks(sentence, located, lang)))


def render(query: FactsQuery, filters, articles: int, lang: str) -> None:
    """`articles`: how many articles have figures matching the filters."""
    T = translator(lang)
    listed = query.documents(filters, MAX_LISTED)
    counts = dict(zip(listed["doc_id"], listed["figures"]))
    options = list(counts)
    chosen = st.session_state.get(ARTICLE_KEY)
    if chosen and chosen not in counts and query.has_document(chosen):
        options.append(chosen)
    if not options:
        st.info(T("empty"))
        return
    titles = article_titles(query.article_heads(options))
    st.selectbox(T("article.choose"), options, key=ARTICLE_KEY,
                 format_func=lambda d: f"{titles.get(d, d)} ({format_number(counts.get(d, 0), lang=lang)})")
    if articles > len(listed):
        st.caption(T("article.capped", shown=format_number(len(listed), lang=lang),
                     n=format_number(articles, lang=lang)))
    doc_id = st.session_state[ARTICLE_KEY]
    focus = st.session_state.get(FOCUS_KEY)
    render_article(doc_id, query, lang, focus[1:] if focus and focus[0] == doc_id else None)
