"""Compare tab: provinces side by side for one metric and one exact period (never summed across periods)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.aggregation import compare_rows, periods_of, units_of
from ui.charts import chart_config, compare_figure
from ui.formatting import format_number, format_period, format_quantity, sources_line
from ui.labels import unit_label
from ui.query import FactsQuery
from ui.strings import translator
from ui.trends import choose_metric

MAX_COMPARED = 100
"""Figures drawn side by side at most: the largest."""


def period_key(start, end) -> str:
    return f"{'' if pd.isna(start) else pd.Timestamp(start).date()}|{pd.Timestamp(end).date()}"


def render(query: FactsQuery, filters, lang: str) -> None:
    T = translator(lang)
    province_column = filters.province_column
    counts = query.metric_units(filters)
    dated = counts[counts["dated"]]
    if dated.empty:
        st.info(T("empty") if counts.empty else T("trends.no_dated"))
        return
    first, second, third = st.columns([3, 2, 3])
    metric = choose_metric(first, dated, "compare_metric", lang)
    unit = second.selectbox(T("chart.unit"), units_of(dated, metric), key="compare_unit",
                            format_func=lambda u: unit_label(u, lang))
    periods = periods_of(query.period_cells(filters, metric, unit), metric, unit, province_column)
    labels = {period_key(r.period_start, r.period_end):
              T("compare.period_option", period=format_period(r.period_start, r.period_end, lang), n=r.provinces)
              for r in periods.itertuples()}
    chosen = third.selectbox(T("compare.period"), list(labels), key="compare_period", format_func=labels.get,
                             help=T("compare.period_help"))
    row = periods.iloc[list(labels).index(chosen)]
    found = query.compared(filters, metric, unit, row["period_start"], row["period_end"], MAX_COMPARED + 1)
    rows = compare_rows(found, metric, unit, row["period_start"], row["period_end"]).head(MAX_COMPARED)
    period = format_period(row["period_start"], row["period_end"], lang)
    st.plotly_chart(compare_figure(rows, province_column, metric, unit, period, lang),
                    config=chart_config(f"{T('chart.file_compare')}-{metric}-{period}"), key="compare_chart")
    if len(found) > MAX_COMPARED:
        st.caption(T("compare.capped", n=format_number(MAX_COMPARED, lang=lang)))
    table = pd.DataFrame({
        T("column." + province_column): rows[province_column],
        T("column.value"): [format_quantity(r["value"], r["unit"], r["qualifier"], r["value_max"], lang)
                            for _, r in rows.iterrows()],
        T("column.sources"): [sources_line(r, lang, labelled=False) for _, r in rows.iterrows()],
        T("column.sentence"): rows["sentence"],
    })
    st.table(table.set_index(T("column." + province_column)))
