"""What a figure measures: the schema's metric key, from cue words in its clause.

Cue words and the units each metric can take live in data/metric_cues.csv and
data/metric_units.csv. A figure takes the nearest compatible cue: first between
it and the figure before it, then in its own words, then (a percentage) the
rate of the count before it, then after it up to the next figure, then earlier
in its clause; then a unit that decides alone (cues that only repeat what the
unit decides are passed over, so `thu giữ … 01 xe ô tô` is a seizure); then a cue after the figures
that follow it (a list sharing one verb); then the metric of a figure of the
same unit in an earlier clause (`… đạt 190 triệu USD; cửa khẩu Y đạt 64 triệu
USD`); last, a weak cue anywhere in the clause (`… lượt khách qua cửa khẩu`). A figure led by a change word (`tăng 4.105 lượt`) is a difference, `other`.
"""
from __future__ import annotations

import bisect
import functools
from collections import defaultdict

import regex

from .lexicon import alternation, connectives, rows
from .quantities import Quantity

OTHER = "other"


class _Rules:
    def __init__(self):
        self.units = defaultdict(set)
        self.decides = {}
        self.excluded = defaultdict(set)
        for r in rows("metric_units.csv"):
            if r["decides"] == "-1":
                self.excluded[r["metric"]].add(r["unit"])
                continue
            self.units[r["metric"]].add(r["unit"])
            if r["decides"] == "1":
                self.decides[r["unit"]] = r["metric"]
        self.cue_metrics = defaultdict(list)
        self.strength = {}
        for r in rows("metric_cues.csv"):
            self.cue_metrics[r["cue"].lower()].append(r["metric"])
            self.strength[r["cue"].lower()] = int(r["strength"])
        self.marker_role = {r["marker"].lower(): r["role"] for r in rows("context_markers.csv")}
        self.qualifier_words = {w for r in rows("qualifiers.csv") for w in r["word"].split()}
        self.separator = regex.compile(rf",|\s{alternation(connectives('separator'), boundary=False)}\s")
        self.bare = {(r["unit"], r["metric"]): r["becomes"] for r in rows("bare_units.csv")}

    def fits(self, metric: str, unit: str) -> bool:
        """Whether `metric` counts in `unit` (`*`: any unit but a percentage, one that decides
        another metric, or one the metric excludes)."""
        units = self.units[metric]
        return unit in units or ("*" in units and unit != "percent" and unit not in self.excluded[metric]
                                 and self.decides.get(unit, metric) == metric)


@functools.cache
def rules() -> _Rules:
    return _Rules()


def phrase_lists() -> dict:
    """The phrase lists `Cues` reads: metric cue words and context markers (any case)."""
    r = rules()
    return {"cues": r.cue_metrics, "markers": r.marker_role}


class Cues:
    """Every cue word and context marker of one article (`low`: its lowered text), from the
    article's `cues` and `markers` phrase lists (see `phrase_lists`)."""

    def __init__(self, low: str, found: dict):
        r = rules()
        self.low = low
        self.cues = found["cues"]
        self.cue_starts = [c[0] for c in self.cues]
        self.markers = [(s, e, r.marker_role[m]) for s, e, m in found["markers"]]
        self.marker_starts = [m[0] for m in self.markers]

    @staticmethod
    def _within(items, starts, start: int, end: int):
        """The items that start in [start, end)."""
        return items[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    def changes(self, at: int) -> bool:
        """True when a change word (`tăng`, `giảm`) leads to the figure at `at`: a difference, not a total."""
        before = [m for m in self.markers_in(max(0, at - 20), at) if m[2] == "change"]
        if not before:
            return False
        gap = self.low[before[-1][1]:at].split()
        return all(word in rules().qualifier_words for word in gap)

    def continues(self, start: int, end: int) -> bool:
        """True when [start, end) opens with `trong đó`: a paragraph that details the one before."""
        return any(role == "breakdown" for _, _, role in self.markers_in(start, end))

    def plans(self, start: int, end: int) -> bool:
        """True when a plan or target word (`phấn đấu`, `dự kiến`, `sẽ`) stands in [start, end)."""
        return any(role == "plan" for _, _, role in self.markers_in(start, end))

    def markers_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, role) of context markers (breakdown, equivalent, home, …) in a span."""
        return self._within(self.markers, self.marker_starts, start, end)

    def nearest(self, start: int, end: int, unit: str, *, last: bool, skip: str | None = None,
                weak: bool = False) -> str | None:
        """The metric (other than `skip`) of the compatible cue nearest the end (or start) of [start, end).

        A head noun that names what is counted (`phương tiện … đạt 6.312 lượt`) wins
        over a nearer verb (`xuất nhập cảnh`); weak cues (`qua cửa khẩu`) are looked
        for only when `weak` is asked for, and then alone.
        """
        if end <= start:
            return None
        r = rules()
        found = sorted((c for c in self._within(self.cues, self.cue_starts, start, end)
                        if (r.strength[c[2]] < 0) == weak), key=lambda c: r.strength[c[2]])
        for _, _, cue in reversed(found) if last else found:
            for metric in r.cue_metrics[cue]:
                if metric != skip and r.fits(metric, unit):
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


def classify(cues: Cues, figures: list[Quantity], clauses: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """(metric, unit) of each figure of one sentence, in order: a bare counting word (`lượt`)
    takes the unit of what its metric counts."""
    r = rules()
    out: list[str] = []
    for i in range(len(figures)):
        out.append(_metric(cues, figures, i, out, clauses))
    return [(OTHER if cues.changes(q.start) else m, r.bare.get((q.unit, m), q.unit)) for q, m in zip(figures, out)]


def _metric(cues: Cues, figures: list[Quantity], i: int, done: list[str], clauses) -> str:
    """The metric of figures[i], given those of the figures before it (`done`)."""
    r, q, text = rules(), figures[i], cues.low
    c_start, c_end = next(((s, e) for s, e in clauses if s <= q.number_start < e), clauses[-1])
    prev = figures[i - 1] if i and figures[i - 1].end <= q.number_start else None
    prev_in_clause = prev is not None and prev.end > c_start
    roles = cues.markers_in(c_start, q.number_start)
    first_start = next((f.start for f in figures if f.start >= c_start), q.start)
    floor = max([c_start] + [e for s, e, role in roles if role == "breakdown" and s > first_start])
    near_start = max(_after_separator(text, prev.end, q.start) if prev_in_clause else c_start, floor)
    nxt = next((f.start for f in figures[i + 1:] if f.start >= q.end), c_end)
    after_end = min(_before_separator(text, q.end, nxt), c_end)
    decided = r.decides.get(q.unit)
    if q.role == "target" and done:
        return done[-1] + "_target" if done[-1] + "_target" in r.units else done[-1]
    if prev_in_clause and any(role == "equivalent" and s >= prev.end for s, _, role in roles):
        return done[-1]

    def rate():
        name = done[-1] + "_rate" if prev_in_clause and q.unit == "percent" else None
        return name if name in r.units else None

    def parallel():
        return next((m for f, m in zip(reversed(figures[:i]), reversed(done))
                     if f.start < c_start and f.unit == q.unit and m != OTHER), None)

    def cue(start, end, last):
        return cues.nearest(start, end, q.unit, last=last, skip=decided)

    steps = (
        lambda: cue(near_start, q.number_start, True),
        lambda: cue(q.number_start, q.end, True),
        rate,
        lambda: cue(q.end, after_end, False),
        lambda: cue(floor, prev.start, True) if prev_in_clause else None,
        lambda: decided,
        lambda: cue(after_end, c_end, False),
        parallel,
        lambda: cues.nearest(floor, c_end, q.unit, last=True, weak=True),
    )
    return next((m for m in (step() for step in steps) if m), OTHER)


def placeless(cues: Cues, start: int, end: int) -> bool:
    """True when a marker such as `kỷ niệm` says the figure is about no place."""
    return any(role == "placeless" for _, _, role in cues.markers_in(start, end))
