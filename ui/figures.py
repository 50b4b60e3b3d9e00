"""Figures tab: the filtered table, its downloads, and the article of the selected row."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import article
from ui.export import csv_bytes, xlsx_bytes
from ui.formatting import format_number, localized_numbers
from ui.strings import translator
from ui.tables import DATE_COLUMNS, NUMBER_COLUMNS, figures_table, header

MAX_SHOWN = 1000
"""Rows drawn in the browser; the downloads always hold every filtered row."""
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


def download_buttons(table: pd.DataFrame, lang: str) -> None:
    T = translator(lang)
    name = T("figures.file_name")
    row = st.container(horizontal=True)
    row.download_button(T("figures.download_csv"), data=lambda: csv_bytes(table), file_name=f"{name}.csv",
                        mime="text/csv", on_click="ignore", icon=":material/download:", key="download_csv")
    row.download_button(T("figures.download_xlsx"), data=lambda: xlsx_bytes(table, T("figures.sheet")),
                        file_name=f"{name}.xlsx", on_click="ignore", icon=":material/table_view:",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        key="download_xlsx")


def render(filtered: pd.DataFrame, facts: pd.DataFrame, articles: pd.DataFrame, province_column: str,
           lang: str) -> None:
    T = translator(lang)
    if filtered.empty:
        st.info(T("empty"))
        return
    table = figures_table(filtered, lang, province_column)
    shown = table.head(MAX_SHOWN)
    picked = filtered.loc[shown.index, ["doc_id", "start", "end"]].itertuples(index=False)
    spans = [(doc, article.offset(start), article.offset(end)) for doc, start, end in picked]
    st.caption(T("figures.count", n=format_number(len(table), lang=lang)) + " · " + T("figures.select_help"))
    download_buttons(table, lang)
    event = st.dataframe(localized_numbers(shown, [header(c, lang) for c in NUMBER_COLUMNS], lang),
                         column_config=column_config(lang), hide_index=True, width="stretch",
                         on_select="rerun", selection_mode="single-row", key=TABLE_KEY, placeholder="")
    if len(table) > len(shown):
        st.caption(T("figures.capped", shown=format_number(len(shown), lang=lang),
                     n=format_number(len(table), lang=lang)))
    selected = [row for row in event.selection.rows if row < len(spans)]
    span = spans[selected[0]] if selected else None
    follow_selection(span)
    if span:
        with st.container(border=True):
            article.render_article(span[0], articles, facts, lang, span[1:], paragraph_only=True)
