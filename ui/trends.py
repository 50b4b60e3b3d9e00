"""Trends tab: one metric over time by province, each province's figure for a period drawn over it."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.aggregation import CORE_METRICS, metrics_present, trend_points, units_of
from ui.charts import chart_config, trend_figure
from ui.formatting import format_number
from ui.labels import metric_label, unit_label
from ui.query import FactsQuery
from ui.strings import translator

MAX_POINTS = 2000
"""Province-periods drawn at most: the latest ones."""


def most_reported(counts: pd.DataFrame, metrics: list[str]) -> int:
    """Index of the metric to show first: a core metric (crossings, trade, dossiers) if any, the one
    with the most figures, `other` last. `counts`: FactsQuery.metric_units."""
    figures = counts.groupby("metric")["figures"].sum()
    core = {metric for _, group in CORE_METRICS for metric in group}
    ranked = sorted(range(len(metrics)), key=lambda i: (metrics[i] not in core, metrics[i] == "other",
                                                         -figures.get(metrics[i], 0)))
    return ranked[0]


def choose_metric(column, counts: pd.DataFrame, key: str, lang: str) -> str:
    T = translator(lang)
    metrics = metrics_present(counts)
    return column.selectbox(T("chart.metric"), metrics, index=most_reported(counts, metrics), key=key,
                            format_func=lambda m: metric_label(m, lang))


def render(query: FactsQuery, filters, lang: str) -> None:
    T = translator(lang)
    counts = query.metric_units(filters)
    dated = counts[counts["dated"]]
    if dated.empty:
        st.info(T("empty") if counts.empty else T("trends.no_dated"))
        return
    left, right = st.columns([3, 2])
    metric = choose_metric(left, dated, "trend_metric", lang)
    unit = right.selectbox(T("chart.unit"), units_of(dated, metric), key="trend_unit",
                           format_func=lambda u: unit_label(u, lang), help=T("chart.unit_help"))
    points = trend_points(query.period_cells(filters, metric, unit), metric, unit)
    drawn = points.tail(MAX_POINTS)
    st.plotly_chart(trend_figure(drawn, filters.province_column, metric, unit, lang),
                    config=chart_config(f"{T('chart.file_trend')}-{metric}-{unit}"), key="trend_chart")
    st.caption(T("trends.how_to_read"))
    if len(drawn) < len(points):
        st.caption(T("trends.capped", shown=format_number(len(drawn), lang=lang),
                     n=format_number(len(points), lang=lang)))
    undated = int(counts.loc[(counts["metric"] == metric) & ~counts["dated"], "figures"].sum())
    if undated:
        st.caption(T("trends.undated", n=format_number(undated, lang=lang)))
