"""What the analyst asked to see, as one SQL condition that every view of the facts shares."""
from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from ui.query import FactsQuery

FACETS = ("province", "metric", "qualifier", "unit")
"""Filters that pick values from a list; each option shows how many figures it holds."""

_NO_STROKE = str.maketrans({"đ": "d", "Đ": "D"})
LATIN_LETTERS = [*range(0x00C0, 0x0250), *range(0x1E00, 0x1F00)]
"""Code points of the accented Latin letters, Vietnamese ones included."""
REGEX_SPECIAL = frozenset("\\.^$|?*+()[]{}")
EVIDENCE = "coalesce(sentence, '') || ' ' || coalesce(text, '')"
"""What the text filter searches: the evidence sentence and the figure as written."""


def fold(text: str) -> str:
    """Lower case, without tone marks or diacritics, so that `nam can` finds `Nậm Cắn`."""
    decomposed = unicodedata.normalize("NFD", text.translate(_NO_STROKE).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def exact_key(text: str) -> str:
    """Lower case with tone marks kept, so that `cắn` does not find `càn`."""
    return unicodedata.normalize("NFC", text).casefold()


@functools.cache
def _spellings() -> dict[str, str]:
    """Each plain letter and every letter that folds to it: `a` -> `aàáảãạăắ…AÀ…`."""
    found = defaultdict(set)
    for char in map(chr, [*range(0x41, 0x5B), *range(0x61, 0x7B), *LATIN_LETTERS]):
        plain = fold(char)
        if len(plain) == 1:
            found[plain].add(char)
    return {plain: "".join(sorted(chars)) for plain, chars in found.items()}


def _literal(char: str) -> str:
    return "\\" + char if char in REGEX_SPECIAL else char


def search_pattern(query: str) -> str:
    """An RE2 pattern for the text filter. Typed without tone marks, each letter matches any of its
    accented forms in either case (`nam can` finds `Nậm Cắn`); typed with them, the text matches
    as written, case aside (`cắn` does not find `càn`)."""
    query = query.strip()
    if fold(query) != query.casefold():
        return "(?i)" + "".join(map(_literal, exact_key(query)))
    spellings = _spellings()
    return "(?i)" + "".join(f"[{spellings[ch]}]\\p{{Mn}}*" if ch in spellings else _literal(ch)
                            for ch in fold(query))


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

    def where(self, ignore: str | None = None) -> tuple[str, list]:
        """The SQL condition of every filter that is set (but `ignore`), and its parameters.
        A period filter keeps figures whose period overlaps it, so figures with no period drop
        out once a period is chosen."""
        conditions, params = ["TRUE"], []

        def add(name: str, condition: str, *values) -> None:
            if name != ignore:
                conditions.append(condition)
                params.extend(values)

        for facet in FACETS:
            chosen = self.chosen(facet)
            if chosen:
                add(facet, f'"{self.column(facet)}" IN ({", ".join("?" * len(chosen))})', *chosen)
        if self.period_from is not None:
            add("from", "period_end >= ?", self.period_from)
        if self.period_to is not None:
            add("to", "period_start <= ?", self.period_to)
        if self.value_min is not None:
            add("vmin", "value >= ?", float(self.value_min))
        if self.value_max is not None:
            add("vmax", "value <= ?", float(self.value_max))
        if self.text.strip():
            add("q", f"regexp_matches({EVIDENCE}, ?)", search_pattern(self.text))
        return " AND ".join(conditions), params


def apply_filters(facts: pd.DataFrame, filters: Filters, ignore: str | None = None) -> pd.DataFrame:
    """The rows of a facts DataFrame matching every filter (but `ignore`), in their order."""
    return facts.iloc[FactsQuery.of_frame(facts).positions(filters, ignore)]


def facet_counts(facts: pd.DataFrame, filters: Filters, facet: str) -> pd.Series:
    """How many figures of a facts DataFrame each value of `facet` holds under the other filters."""
    return FactsQuery.of_frame(facts).facet_counts(filters, [facet])[facet]
