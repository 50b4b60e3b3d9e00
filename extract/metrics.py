"""What a figure measures: the schema's metric key, from cue words in its clause.

Cue words and the units each metric can take live in data/metric_cues.csv and
data/metric_units.csv. A figure takes the nearest compatible cue: first between
it and the figure before it, then in its own words, then after it up to the
next figure, then earlier in its clause, then after the figures that follow it
(a list sharing one verb); then the metric of a figure of the same unit in an
earlier clause of the sentence (`… đạt 190 triệu USD; cửa khẩu Y đạt 64 triệu
USD`); otherwise a unit that decides alone. A figure led by a change word
(`tăng 4.105 lượt`) is a difference, `other`.
"""
from __future__ import annotations

import bisect
import functools
from collections import defaultdict

import regex

from .lexicon import alternation, rows
from .quantities import Quantity

OTHER = "other"


class _Rules:
    def __init__(self):
        self.units = defaultdict(set)
        self.decides = {}
        for r in rows("metric_units.csv"):
            self.units[r["metric"]].add(r["unit"])
            if r["decides"] == "1":
                self.decides[r["unit"]] = r["metric"]
        self.cue_metrics = defaultdict(list)
        self.heads = set()
        for r in rows("metric_cues.csv"):
            self.cue_metrics[r["cue"].lower()].append(r["metric"])
            if r["head"] == "1":
                self.heads.add(r["cue"].lower())
        self.cues = regex.compile(alternation(self.cue_metrics))
        self.marker_role = {r["marker"].lower(): r["role"] for r in rows("context_markers.csv")}
        self.markers = regex.compile(alternation([m for m in self.marker_role if m[0].isalpha()]) + "|[(]")
        self.qualifier_words = {w for r in rows("qualifiers.csv") for w in r["word"].split()}
        self.separator = regex.compile(r",|\s(?:và|còn|cùng)\s")
        self.bare = {(r["unit"], r["metric"]): r["becomes"] for r in rows("bare_units.csv")}

    def fits(self, metric: str, unit: str) -> bool:
        return unit in self.units[metric]


@functools.cache
def rules() -> _Rules:
    return _Rules()


class Cues:
    """Every cue word and context marker of one article, found in one pass over its lowered text."""

    def __init__(self, low: str):
        r = rules()
        self.low = low
        self.cues = [(m.start(), m.end(), m.group()) for m in r.cues.finditer(low)]
        self.cue_starts = [c[0] for c in self.cues]
        self.markers = [(m.start(), m.end(), r.marker_role[m.group()]) for m in r.markers.finditer(low)]
        self.marker_starts = [m[0] for m in self.markers]

    @staticmethod
    def _within(items, starts, start: int, end: int):
        i = bisect.bisect_left(starts, start)
        out = []
        while i < len(items) and items[i][0] < end:
            if items[i][1] <= end:
                out.append(items[i])
            i += 1
        return out

    def changes(self, at: int) -> bool:
        """True when a change word (`tăng`, `giảm`) leads to the figure at `at`: a difference, not a total."""
        before = [m for m in self.markers_in(max(0, at - 20), at) if m[2] == "change"]
        if not before:
            return False
        gap = self.low[before[-1][1]:at].split()
        return all(word in rules().qualifier_words for word in gap)

    def plans(self, start: int, end: int) -> bool:
        """True when a plan or target word (`phấn đấu`, `dự kiến`, `sẽ`) stands in [start, end)."""
        return any(role == "plan" for _, _, role in self.markers_in(start, end))

    def markers_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, role) of context markers (breakdown, equivalent, home, …) in a span."""
        return self._within(self.markers, self.marker_starts, start, end)

    def nearest(self, start: int, end: int, unit: str, *, last: bool) -> str | None:
        """The metric of the compatible cue nearest the end (or start) of [start, end).

        A head noun that names what is counted (`phương tiện … đạt 6.312 lượt`) wins
        over a nearer verb (`xuất nhập cảnh`).
        """
        if end <= start:
            return None
        r = rules()
        found = sorted(self._within(self.cues, self.cue_starts, start, end), key=lambda c: c[2] in r.heads)
        for _, _, cue in reversed(found) if last else found:
            for metric in r.cue_metrics[cue]:
                if r.fits(metric, unit):
                    return metric
        return None


def _after_separator(text: str, start: int, end: int) -> int:
    """Where the words that lead to the next figure begin: after the first `,`/`và`.

    Words right after a figure and before that separator describe the figure
    before (`39.506 lượt người xuất cảnh sang Lào và …`)."""
    m = rules().separator.search(text, start, end)
    return m.end() if m else start


def _before_separator(text: str, start: int, end: int) -> int:
    """The end of the words that follow a figure and still describe it."""
    m = rules().separator.search(text, start, end)
    return m.start() if m else end


def classify(cues: Cues, figures: list[Quantity], clauses: list[tuple[int, int]]) -> list[str]:
    """The metric of each figure of one sentence, in order."""
    text = cues.low
    r = rules()
    out: list[str] = []
    for i, q in enumerate(figures):
        c_start, c_end = next(((s, e) for s, e in clauses if s <= q.number_start < e), clauses[-1])
        prev = figures[i - 1] if i and figures[i - 1].end <= q.number_start else None
        prev_in_clause = prev is not None and prev.end > c_start
        roles = cues.markers_in(c_start, q.number_start)
        first_start = next((f.start for f in figures if f.start >= c_start), q.start)
        floor = max([c_start] + [e for s, e, role in roles if role == "breakdown" and s > first_start])
        near_start = max(_after_separator(text, prev.end, q.start) if prev_in_clause else c_start, floor)
        nxt = next((f.start for f in figures[i + 1:] if f.start >= q.end), c_end)
        metric = None
        if q.role == "target" and out:
            metric = out[-1] + "_target" if out[-1] + "_target" in r.units else out[-1]
        elif prev_in_clause and any(role == "equivalent" and s >= prev.end for s, _, role in roles):
            metric = out[-1]
        metric = metric or cues.nearest(near_start, q.end, q.unit, last=True)
        nxt = _before_separator(text, q.end, nxt)
        if metric is None and prev_in_clause and q.unit == "percent":
            rate = out[-1] + "_rate"
            metric = rate if rate in r.units else None
        if metric is None:
            metric = cues.nearest(q.end, min(nxt, c_end), q.unit, last=False)
        if metric is None and prev_in_clause and near_start >= prev.end:
            metric = cues.nearest(floor, prev.start, q.unit, last=True)
        if metric is None and nxt < c_end:
            metric = cues.nearest(nxt, c_end, q.unit, last=False)
        if metric is None:
            metric = next((m for f, m in zip(reversed(figures[:i]), reversed(out))
                           if f.start < c_start and f.unit == q.unit and m != OTHER), None)
        if cues.changes(q.start):
            metric = OTHER
        out.append(metric or r.decides.get(q.unit, OTHER))
    return out


def resolve_unit(unit: str, metric: str) -> str:
    """A bare counting word (`lượt`) takes the unit of what its metric counts."""
    return rules().bare.get((unit, metric), unit)


def placeless(cues: Cues, start: int, end: int) -> bool:
    """True when a marker such as `kỷ niệm` says the figure is about no place."""
    return any(role == "placeless" for _, _, role in cues.markers_in(start, end))
