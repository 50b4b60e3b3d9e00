"""Figures tab: the filtered table, its downloads, and the article of the selected row."""
from __future__ import annotations

import streamlit as st

from ui import article
from ui.export import csv_bytes, xlsx_bytes
from ui.formatting import format_number, localized_numbers
from ui.query import FactsQuery
from ui.strings import translator
from ui.tables import DATE_COLUMNS, NUMBER_COLUMNS, figures_table, header

MAX_SHOWN = 1000
"""Rows drawn in the browser."""
MAX_EXPORTED = 200_000
"""Rows a download holds at most (the first ones in table order); past that, narrow the filters."""
TABLE_KEY = "figures_table"


def follow_selection(span: tuple | None) -> None:
    """A newly selected row's article becomes the one the Article tab shows, that figure picked out.
    Runs before the Article tab draws its choice, and only when the selection changes, so the
    analyst can still pick another article there."""
    if span != st.session_state.get(article.FOCUS_KEY):
        st.session_state[article.FOCUS_KEY] = span
        if span:
            st.session_state[article.ARTICLE_KEY] = span[0]


def column_config(lang: str) -> dict:
    T = translator(lang)
    config = {header(c, lang): st.column_config.DateColumn(format="DD/MM/YYYY") for c in DATE_COLUMNS}
    config[header("text", lang)] = st.column_config.TextColumn(help=T("column.text_help"))
    config[header("value", lang)] = st.column_config.NumberColumn(help=T("column.value_help"))
    config[header("sentence", lang)] = st.column_config.TextColumn(width="large")
    return config


def exported(query: FactsQuery, filters, lang: str):
    """The table the downloads hold, read when a download is asked for (on a connection of its own:
    the click is served outside this run)."""
    return figures_table(query.reopen().rows(filters, MAX_EXPORTED, cache=False), lang, filters.province_column)


def download_buttons(query: FactsQuery, filters, rows: int, lang: str) -> None:
    T = translator(lang)
    name = T("figures.file_name")
    capped = rows > MAX_EXPORTED
    first = f" ({T('figures.download_first', n=format_number(MAX_EXPORTED, lang=lang))})" if capped else ""
    row = st.container(horizontal=True)
    row.download_button(T("figures.download_csv") + first, data=lambda: csv_bytes(exported(query, filters, lang)),
                        file_name=f"{name}.csv", mime="text/csv", on_click="ignore", icon=":material/download:",
                        key="download_csv")
    row.download_button(T("figures.download_xlsx") + first,
                        data=lambda: xlsx_bytes(exported(query, filters, lang), T("figures.sheet")),
                        file_name=f"{name}.xlsx", on_click="ignore", icon=":material/table_view:",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key="download_xlsx")
    if capped:
        st.caption(T("figures.export_capped", shown=format_number(MAX_EXPORTED, lang=lang),
                     n=format_number(rows, lang=lang)))


def render(query: FactsQuery, filters, rows: int, lang: str) -> None:
    """`rows`: how many figures match the filters."""
    T = translator(lang)
    if not rows:
        st.info(T("empty"))
        return
    shown_rows = query.rows(filters, MAX_SHOWN)
    shown = figures_table(shown_rows, lang, filters.province_column)
    spans = [(doc, article.offset(start), article.offset(end))
             for doc, start, end in shown_rows[["doc_id", "start", "end"]].itertuples(index=False)]
    st.caption(T("figures.count", n=format_number(rows, lang=lang)) + " · " + T("figures.select_help"))
    download_buttons(query, filters, rows, lang)
    event = st.dataframe(localized_numbers(shown, [header(c, lang) for c in NUMBER_COLUMNS], lang),
                         column_config=column_config(lang), hide_index=True, width="stretch",
                         on_select="rerun", selection_mode="single-row", key=TABLE_KEY, placeholder="")
    if rows > len(shown):
        every = "" if rows > MAX_EXPORTED else " " + T("figures.download_all", n=format_number(rows, lang=lang))
        st.caption(T("figures.capped", shown=format_number(len(shown), lang=lang), n=format_number(rows, lang=lang))
                   + every)
    selected = [row for row in event.selection.rows if row < len(spans)]
    span = spans[selected[0]] if selected else None
    follow_selection(span)
    if span:
        with st.container(border=True):
            article.render_article(span[0], query, lang, span[1:], paragraph_only=True)
