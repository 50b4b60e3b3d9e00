"""Trends tab: one metric over time by province, each figure drawn over the period it covers."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.aggregation import CORE_METRICS, metrics_present, trend_points, units_of
from ui.charts import chart_config, trend_figure
from ui.formatting import format_number
from ui.labels import metric_label, unit_label
from ui.strings import translator


def most_reported(figures: pd.DataFrame, metrics: list[str]) -> int:
    """Index of the metric to show first: a core metric (crossings, trade, dossiers) if any, the one
    with the most figures, `other` last."""
    counts = figures["metric"].value_counts()
    core = {metric for _, group in CORE_METRICS for metric in group}
    ranked = sorted(range(len(metrics)), key=lambda i: (metrics[i] not in core, metrics[i] == "other",
                                                         -counts.get(metrics[i], 0)))
    return ranked[0]


def render(figures: pd.DataFrame, province_column: str, lang: str) -> None:
    T = translator(lang)
    dated = figures.dropna(subset=["period_end"])
    metrics = metrics_present(dated)
    if not metrics:
        st.info(T("empty") if figures.empty else T("trends.no_dated"))
        return
    left, right = st.columns([3, 2])
    metric = left.selectbox(T("chart.metric"), metrics, index=most_reported(dated, metrics), key="trend_metric",
                            format_func=lambda m: metric_label(m, lang))
    units = units_of(dated, metric)
    unit = right.selectbox(T("chart.unit"), units, key="trend_unit", format_func=lambda u: unit_label(u, lang),
                           help=T("chart.unit_help"))
    points = trend_points(figures, metric, unit)
    st.plotly_chart(trend_figure(points, province_column, metric, unit, lang),
                    config=chart_config(f"{T('chart.file_trend')}-{metric}-{unit}"), key="trend_chart")
    st.caption(T("trends.how_to_read"))
    undated = int(((figures["metric"] == metric) & figures["period_end"].isna()).sum())
    if undated:
        st.caption(T("trends.undated", n=format_number(undated, lang=lang)))
