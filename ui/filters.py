"""What the analyst asked to see, and the rows of the facts table that match it."""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

import pandas as pd

FACETS = ("province", "metric", "qualifier", "unit")
"""Filters that pick values from a list; each option shows how many figures it holds."""

_NO_STROKE = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Lower case, without tone marks or diacritics, so that `nam can` finds `Nậm Cắn`."""
    decomposed = unicodedata.normalize("NFD", text.translate(_NO_STROKE).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def exact_key(text: str) -> str:
    """Lower case with tone marks kept, so that `cắn` does not find `càn`."""
    return unicodedata.normalize("NFC", text).casefold()


@dataclass(frozen=True)
class Filters:
    provinces: tuple[str, ...] = ()
    use_2025: bool = False
    metrics: tuple[str, ...] = ()
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    qualifiers: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    value_min: float | None = None
    value_max: float | None = None
    text: str = ""

    @property
    def province_column(self) -> str:
        """`province_2025` (the 34 provinces since the 2025 merger) or the name at the article's time."""
        return "province_2025" if self.use_2025 else "province"

    def column(self, facet: str) -> str:
        return self.province_column if facet == "province" else facet

    def chosen(self, facet: str) -> tuple[str, ...]:
        return {"province": self.provinces, "metric": self.metrics,
                "qualifier": self.qualifiers, "unit": self.units}[facet]

    @property
    def active(self) -> bool:
        return self != Filters(use_2025=self.use_2025)


def _masks(facts: pd.DataFrame, filters: Filters) -> dict[str, pd.Series]:
    """One boolean mask per filter that is set."""
    masks = {}
    for facet in FACETS:
        if filters.chosen(facet):
            masks[facet] = facts[filters.column(facet)].isin(filters.chosen(facet))
    if filters.period_from is not None:
        masks["from"] = facts["period_end"] >= pd.Timestamp(filters.period_from)
    if filters.period_to is not None:
        masks["to"] = facts["period_start"] <= pd.Timestamp(filters.period_to)
    if filters.value_min is not None:
        masks["vmin"] = facts["value"] >= filters.value_min
    if filters.value_max is not None:
        masks["vmax"] = facts["value"] <= filters.value_max
    query = filters.text.strip()
    if query:
        plain = fold(query) == query.casefold()
        column, needle = ("search_plain", fold(query)) if plain else ("search_exact", exact_key(query))
        masks["q"] = facts[column].str.contains(needle, regex=False)
    return masks


def apply_filters(facts: pd.DataFrame, filters: Filters, ignore: str | None = None) -> pd.DataFrame:
    """The rows matching every filter (but `ignore`). A period filter keeps figures whose
    period overlaps it, so figures with no period drop out once a period is chosen."""
    keep = pd.Series(True, index=facts.index)
    for name, mask in _masks(facts, filters).items():
        if name != ignore:
            keep &= mask.fillna(False).astype(bool)
    return facts[keep]


def facet_counts(facts: pd.DataFrame, filters: Filters, facet: str) -> pd.Series:
    """How many figures each value of `facet` holds under all the other filters, most first;
    values already chosen are kept, with 0 when nothing matches them any more."""
    matching = apply_filters(facts, filters, ignore=facet)
    counts = matching[filters.column(facet)].dropna().value_counts()
    missing = [value for value in filters.chosen(facet) if value not in counts.index]
    return pd.concat([counts, pd.Series(0, index=missing, dtype="int64")])
