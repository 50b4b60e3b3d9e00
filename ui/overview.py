"""Overview tab: the latest headline figure of each core metric, with its period and source."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.aggregation import CORE_METRICS, headline_figures, latest_by_province
from ui.formatting import format_amount, format_number, format_period, format_quantity, sources_line
from ui.labels import metric_label, unit_label
from ui.query import FactsQuery
from ui.strings import translator


def headline_card(row, province_column: str, lang: str) -> None:
    T = translator(lang)
    amount = format_amount(row["value"], row["qualifier"], row["value_max"], lang, compact=True)
    unit = unit_label(row["unit"], lang)
    with st.container(border=True):
        st.metric(f"{metric_label(row['metric'], lang)} ({unit})", amount + ("%" if row["unit"] == "percent" else ""),
                  help=row["sentence"] if isinstance(row["sentence"], str) else None)
        province = row[province_column] or T("label.no_province")
        st.caption(f":material/location_on: {province} · :material/event: "
                   f"{format_period(row['period_start'], row['period_end'], lang)}  \n"
                   f":material/article: {sources_line(row, lang)}")


def province_table(figures: pd.DataFrame, province_column: str, lang: str) -> pd.DataFrame:
    """Each province's latest figure for each core metric, with its period and sources."""
    T = translator(lang)
    latest = latest_by_province(figures, province_column)
    rows = []
    for _, metrics in CORE_METRICS:
        for metric in metrics:
            for row in latest[latest["metric"] == metric].to_dict("records"):
                rows.append({
                    T("column.metric"): metric_label(metric, lang),
                    T("column." + province_column): row[province_column] or T("label.no_province"),
                    T("column.value"): format_quantity(row["value"], row["unit"], row["qualifier"],
                                                       row["value_max"], lang),
                    T("column.period"): format_period(row["period_start"], row["period_end"], lang),
                    T("column.sources"): sources_line(row, lang, labelled=False)})
    return pd.DataFrame(rows)


def render(query: FactsQuery, filters, totals: dict[str, int], lang: str) -> None:
    T = translator(lang)
    if not totals["figures"]:
        st.info(T("empty"))
        return
    province_column = filters.province_column
    counts = st.columns(4)
    counts[0].metric(T("overview.figures"), format_number(totals["figures"], lang=lang))
    counts[1].metric(T("overview.unique"), format_number(totals["unique_figures"], lang=lang),
                     help=T("overview.unique_help"))
    counts[2].metric(T("overview.articles"), format_number(totals["articles"], lang=lang))
    counts[3].metric(T("overview.provinces"), format_number(totals["provinces"], lang=lang))
    latest = query.latest_figures(filters, [metric for _, metrics in CORE_METRICS for metric in metrics])
    for group, metrics in CORE_METRICS:
        st.subheader(T(f"group.{group}"), divider="gray")
        heads = headline_figures(latest, metrics)
        if heads.empty:
            st.caption(T("overview.no_group"))
            continue
        columns = st.columns(3)
        for i, (_, row) in enumerate(heads.iterrows()):
            with columns[i % 3]:
                headline_card(row, province_column, lang)
    by_province = province_table(latest, province_column, lang)
    if not by_province.empty:
        with st.expander(T("overview.by_province"), icon=":material/table_rows:"):
            st.caption(T("overview.by_province_help"))
            st.dataframe(by_province, hide_index=True, width="stretch")
