"""Display names of metrics (extract/data/metric_labels.csv), units and qualifiers."""
from __future__ import annotations

import functools

import pandas as pd

from extract.lexicon import rows
from ui import strings

BOUNDS = ("over", "under", "vague")
"""Qualifiers that make a figure a bound rather than a value."""


@functools.cache
def metric_table() -> dict[str, dict[str, str]]:
    """metric key -> {"vi": label, "en": label}, in the file's order."""
    return {row["metric"]: {"vi": row["label_vi"], "en": row["label_en"]} for row in rows("metric_labels.csv")}


def metric_label(metric: str, lang: str) -> str:
    """A metric's name; a key the list does not know yet is shown as itself."""
    labels = metric_table().get(metric)
    return labels[lang] if labels else str(metric)


def metric_order(metric: str) -> int:
    """Position of a metric in the label file, unknown keys last."""
    keys = list(metric_table())
    return keys.index(metric) if metric in keys else len(keys)


def unit_label(unit, lang: str) -> str:
    """A unit key's name (`person_trips` -> `lượt người`); a counting noun is shown as written."""
    return _named("unit", unit, lang)


def qualifier_label(qualifier, lang: str) -> str:
    return _named("qualifier", qualifier, lang)


def _named(kind: str, value, lang: str) -> str:
    if value is None or pd.isna(value):
        return ""
    key = f"{kind}.{value}"
    return strings.text(key, lang) if strings.has(key) else str(value)
