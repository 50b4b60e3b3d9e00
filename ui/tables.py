"""The figures table as the analyst sees it and downloads it."""
from __future__ import annotations

import pandas as pd

from ui import strings
from ui.labels import metric_label, metric_order, qualifier_label, unit_label

FIGURE_COLUMNS = ("province", "place", "metric", "text", "value", "value_max", "unit", "qualifier",
                  "period_start", "period_end", "sentence", "source", "doc_id")
"""Facts columns shown, in order; `province` stands for the chosen province column."""
NUMBER_COLUMNS = ("value", "value_max")
DATE_COLUMNS = ("period_start", "period_end")


def header(column: str, lang: str) -> str:
    return strings.text(f"column.{column}", lang)


def _labelled(keys: pd.Series, label, lang: str) -> pd.Series:
    """Each key's label, looked up once per distinct key."""
    return keys.map({key: label(key, lang) for key in keys.dropna().unique()})


def in_table_order(facts: pd.DataFrame, province_column: str = "province") -> pd.DataFrame:
    """Metrics in their usual order, then by province, latest period first."""
    return (facts.assign(_order=facts["metric"].map(metric_order))
            .sort_values(["_order", province_column, "period_end", "value"],
                         ascending=[True, True, False, False], na_position="last")
            .drop(columns="_order"))


def figures_table(facts: pd.DataFrame, lang: str, province_column: str = "province") -> pd.DataFrame:
    """Filtered facts, in table order, with readable labels and headers."""
    rows = in_table_order(facts, province_column)
    table = pd.DataFrame({
        "province": rows[province_column],
        "place": rows["place"],
        "metric": _labelled(rows["metric"], metric_label, lang),
        "text": rows["text"],
        "value": rows["value"],
        "value_max": rows["value_max"],
        "unit": _labelled(rows["unit"], unit_label, lang),
        "qualifier": _labelled(rows["qualifier"], qualifier_label, lang),
        "period_start": rows["period_start"],
        "period_end": rows["period_end"],
        "sentence": rows["sentence"],
        "source": rows["source"],
        "doc_id": rows["doc_id"],
    }, columns=list(FIGURE_COLUMNS))
    table.index = rows.index
    names = {c: header(province_column if c == "province" else c, lang) for c in FIGURE_COLUMNS}
    return table.rename(columns=names)
