"""Dossiers tab: administrative dossiers settled early, on time and late, by commune and province."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.aggregation import DOSSIER_COUNTS, DOSSIER_RATES, dossier_table
from ui.charts import chart_config, dossier_figure
from ui.formatting import format_number, format_period, localized_numbers
from ui.labels import metric_label
from ui.query import FactsQuery
from ui.strings import translator

CHART_ROWS = 15
TABLE_ROWS = 200
"""Rows drawn in the chart and listed in the table; filter by province to reach the others."""


def row_labels(table: pd.DataFrame, province_column: str, lang: str) -> list[str]:
    """`xã Nậm Cắn · Nghệ An · 01/07/2025 – 22/11/2025` for each row."""
    T = translator(lang)
    labels = []
    for row in table.to_dict("records"):
        parts = [row["place"], row[province_column] or T("label.no_province"),
                 format_period(row["period_start"], row["period_end"], lang)]
        labels.append(" · ".join(str(p) for p in parts if p))
    return labels


def most_recent_rated(table: pd.DataFrame, limit: int) -> pd.DataFrame:
    """The rows with a rate, latest period first and, within a period, the most dossiers first."""
    rated = table.dropna(subset=list(DOSSIER_RATES), how="all")
    return rated.sort_values(["period_end", "dossiers_resolved"], ascending=False, na_position="last").head(limit)


def render(query: FactsQuery, filters, any_figure: bool, lang: str) -> None:
    T = translator(lang)
    province_column = filters.province_column
    table = dossier_table(query.dossier_figures(filters, DOSSIER_COUNTS + tuple(DOSSIER_RATES)), province_column)
    if table.empty:
        st.info(T("dossiers.none") if any_figure else T("empty"))
        return
    labels = pd.Series(row_labels(table, province_column, lang), index=table.index)
    charted = most_recent_rated(table, CHART_ROWS)
    if not charted.empty:
        st.plotly_chart(dossier_figure(charted, labels[charted.index].to_list(), lang),
                        config=chart_config(T("chart.file_dossiers")), key="dossier_chart")
        if len(charted) < table[list(DOSSIER_RATES)].notna().any(axis=1).sum():
            st.caption(T("dossiers.chart_capped", n=CHART_ROWS))
    listed = table.head(TABLE_ROWS)
    shown = pd.DataFrame({T("dossiers.where"): labels[listed.index]})
    for metric in list(DOSSIER_COUNTS) + list(DOSSIER_RATES):
        shown[metric_label(metric, lang)] = listed[metric]
    rates = [metric_label(m, lang) for m in DOSSIER_RATES]
    counts = [metric_label(m, lang) for m in DOSSIER_COUNTS]
    styled = localized_numbers(localized_numbers(shown, counts, lang), rates, lang, decimals=1, suffix="%")
    st.table(styled.hide(axis="index"))
    if len(table) > TABLE_ROWS:
        st.caption(T("dossiers.table_capped", shown=format_number(TABLE_ROWS, lang=lang),
                     n=format_number(len(table), lang=lang)))
    if table["rates_computed"].any():
        st.caption(T("dossiers.computed"))
    st.caption(T("dossiers.on_time_note"))

