"""Counting honestly: one figure reported by several articles counts once, and figures of
different periods are never added together."""
from __future__ import annotations

import pandas as pd

from ui.filters import Filters
from ui.labels import metric_order
from ui.query import FactsQuery

CORE_METRICS = (
    ("crossings", ("crossings_total", "crossings_exit", "crossings_entry", "vehicles")),
    ("trade", ("trade_value", "export_value", "import_value")),
    ("dossiers", ("dossiers_received", "dossiers_resolved", "dossiers_on_time_rate",
                  "dossiers_early_rate", "dossiers_late_rate")),
)
"""The headline metrics of the overview, in groups."""

DOSSIER_COUNTS = ("dossiers_received", "dossiers_resolved", "dossiers_early",
                  "dossiers_on_time", "dossiers_late")
DOSSIER_RATES = {"dossiers_early_rate": "dossiers_early", "dossiers_on_time_rate": "dossiers_on_time",
                 "dossiers_late_rate": "dossiers_late"}
"""Each rate and the count it is a share of (of the dossiers resolved)."""


def unique_figures(facts: pd.DataFrame, province_column: str = "province") -> pd.DataFrame:
    """One row per distinct figure of a facts DataFrame (the first report of it), with `doc_ids` and
    `sources` listing every article that gives it and `n_sources` counting them (FactsQuery)."""
    filters = Filters(use_2025=province_column == "province_2025")
    return FactsQuery.of_frame(facts).unique_figures(filters).reset_index(drop=True)


def latest_first(figures: pd.DataFrame) -> pd.DataFrame:
    """Most recent period end first; for the same end, the longer period first."""
    length = figures["period_end"] - figures["period_start"]
    return (figures.assign(_length=length)
            .sort_values(["period_end", "_length", "value"], ascending=False, na_position="last")
            .drop(columns="_length"))


def headline_figures(figures: pd.DataFrame, metrics) -> pd.DataFrame:
    """For each metric present, its most recent figure (from `unique_figures`)."""
    chosen = figures[figures["metric"].isin(metrics)]
    order = {metric: i for i, metric in enumerate(metrics)}
    latest = latest_first(chosen).drop_duplicates("metric")
    return latest.sort_values("metric", key=lambda s: s.map(order)).reset_index(drop=True)


def latest_by_province(figures: pd.DataFrame, province_column: str) -> pd.DataFrame:
    """Each province's most recent figure for each metric, the most recent first."""
    return latest_first(figures).drop_duplicates(["metric", province_column]).reset_index(drop=True)


def metrics_present(counts: pd.DataFrame) -> list[str]:
    """Metrics with at least one figure in `counts` (FactsQuery.metric_units), in label-file order."""
    return sorted(counts["metric"].dropna().unique(), key=metric_order)


def units_of(counts: pd.DataFrame, metric: str) -> list[str]:
    """Units a metric is given in, the most used first: figures in different units never share an axis."""
    used = counts[counts["metric"] == metric].groupby("unit", sort=False)["figures"].sum()
    return used.sort_values(ascending=False, kind="stable").index.to_list()


def trend_points(figures: pd.DataFrame, metric: str, unit: str) -> pd.DataFrame:
    """Figures of one metric and unit that can be placed in time, oldest first."""
    rows = figures[(figures["metric"] == metric) & (figures["unit"] == unit)]
    rows = rows.dropna(subset=["period_end"]).copy()
    rows["period_start"] = rows["period_start"].fillna(rows["period_end"])
    return rows.sort_values(["period_end", "period_start"]).reset_index(drop=True)


def periods_of(figures: pd.DataFrame, metric: str, unit: str, province_column: str) -> pd.DataFrame:
    """The exact periods one metric is reported for, with how many provinces report each;
    the periods most provinces share come first."""
    rows = figures[(figures["metric"] == metric) & (figures["unit"] == unit)].dropna(subset=["period_end"])
    periods = (rows.groupby(["period_start", "period_end"], dropna=False)[province_column]
               .nunique().rename("provinces").reset_index())
    return periods.sort_values(["provinces", "period_end"], ascending=False).reset_index(drop=True)


def compare_rows(figures: pd.DataFrame, metric: str, unit: str, period_start, period_end) -> pd.DataFrame:
    """Figures of one metric and unit for exactly one period, largest first."""
    same_start = (figures["period_start"] == period_start) | (
        figures["period_start"].isna() & pd.isna(period_start))
    rows = figures[(figures["metric"] == metric) & (figures["unit"] == unit)
                   & same_start & (figures["period_end"] == period_end)]
    return rows.sort_values("value", ascending=False).reset_index(drop=True)


def dossier_table(figures: pd.DataFrame, province_column: str) -> pd.DataFrame:
    """Dossier counts and early/on-time/late rates per province, place and period.

    Where two articles disagree, the first report is shown. A rate the articles state is kept as
    stated; a missing one is worked out from its count and the dossiers resolved of the same place
    and period, and flagged in `rates_computed`.
    """
    metrics = list(DOSSIER_COUNTS) + list(DOSSIER_RATES)
    rows = figures[figures["metric"].isin(metrics)]
    index = [province_column, "place", "period_start", "period_end"]
    columns = index + metrics + ["rates_computed"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    table = (rows.groupby(index + ["metric"], dropna=False, sort=False)["value"].first()
             .unstack("metric").reindex(columns=metrics))
    table["rates_computed"] = False
    for rate, count in DOSSIER_RATES.items():
        computable = table[rate].isna() & table[count].notna() & (table["dossiers_resolved"] > 0)
        share = table.loc[computable, count] / table.loc[computable, "dossiers_resolved"]
        table.loc[computable, rate] = 100 * share
        table["rates_computed"] |= computable
    table = table.reset_index()
    table.columns.name = None
    return table.sort_values([province_column, "period_end"], ascending=[True, False],
                             na_position="last").reset_index(drop=True)[columns]
