"""What a figure measures: the schema's metric key, from cue words in its clause.

Cue words and the units each metric can take live in data/metric_cues.csv and
data/metric_units.csv. A figure takes the nearest compatible cue: first between
it and the figure before it, then in its own words, then (a percentage) the
rate of the count before it, then after it up to the next figure, then earlier
in its clause; then a unit that decides alone (cues that only repeat what the
unit decides are passed over, so `thu giữ … 01 xe ô tô` is a seizure); then a cue after the figures
that follow it (a list sharing one verb); then the metric of a figure of the
same unit in an earlier clause (`… đạt 190 triệu USD; cửa khẩu Y đạt 64 triệu
USD`); last, a weak cue anywhere in the clause (`… lượt khách qua cửa khẩu`).
A figure led by a change word (`tăng 4.105 lượt`) is a difference, `other`.
"""
from __future__ import annotations

import bisect
import functools
from collections import defaultdict

import regex

from .lexicon import alternation, connectives, rows
from .quantities import Quantity
from .spans import any_between

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
        self.markers = [(s, e, r.marker_role[m]) for s, e, m in found["markers"]]
        self.marker_starts = [m[0] for m in self.markers]
        self._by_role: dict[str, tuple[list[int], list[int]]] = {}
        for s, e, role in self.markers:
            starts, ends = self._by_role.setdefault(role, ([], []))
            starts.append(s)
            ends.append(e)
        self.cue_starts = [c[0] for c in found["cues"]]
        self.cue_words = [c[2] for c in found["cues"]]

    def has(self, role: str, start: int, end: int) -> bool:
        """True when a context marker of `role` starts in [start, end)."""
        return role in self._by_role and any_between(self._by_role[role][0], start, end)

    def changes(self, at: int) -> bool:
        """True when a change word (`tăng`, `giảm`) leads to the figure at `at`: a difference, not a total."""
        starts, ends = self._by_role.get("change", ((), ()))
        k = bisect.bisect_left(starts, at) - 1
        if k < 0 or starts[k] < at - 20:
            return False
        return rules().qualifier_words.issuperset(self.low[ends[k]:at].split())

    def continues(self, start: int, end: int) -> bool:
        """True when [start, end) opens with `trong đó`: a paragraph that details the one before."""
        return self.has("breakdown", start, end)

    def plans(self, start: int, end: int) -> bool:
        """True when a plan or target word (`phấn đấu`, `dự kiến`, `sẽ`) stands in [start, end)."""
        return self.has("plan", start, end)

    def markers_in(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """(start, end, role) of context markers (breakdown, equivalent, home, …) in a span."""
        starts = self.marker_starts
        return self.markers[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)]

    def any_cue(self, start: int, end: int) -> bool:
        """True when a cue word starts in [start, end)."""
        return any_between(self.cue_starts, start, end)

    def nearest(self, start: int, end: int, unit: str, last: bool, skip: str | None = None,
                weak: bool = False) -> str | None:
        """The metric (other than `skip`) of the compatible cue nearest the end (or start) of [start, end).

        A head noun that names what is counted (`phương tiện … đạt 6.312 lượt`) wins
        over a nearer verb (`xuất nhập cảnh`); weak cues (`qua cửa khẩu`) are looked
        for only when `weak` is asked for, and then alone. Cues are tried by strength
        (strongest first when `last`, weakest first otherwise), then by position.
        """
        starts = self.cue_starts
        first = bisect.bisect_left(starts, start)
        if first == len(starts) or starts[first] >= end:
            return None
        strength = rules().strength
        found = self.cue_words[first:bisect.bisect_left(starts, end, first)]
        if len(found) > 1:
            found.sort(key=strength.__getitem__)
        for cue in reversed(found) if last else found:
            if (strength[cue] < 0) == weak:
                metric = _cue_metric(cue, unit, skip)
                if metric is not None:
                    return metric
        return None


@functools.lru_cache(maxsize=16384)
def _cue_metric(cue: str, unit: str, skip: str | None) -> str | None:
    """The first metric of `cue` (other than `skip`) that counts in `unit`."""
    r = rules()
    return next((metric for metric in r.cue_metrics[cue] if metric != skip and r.fits(metric, unit)), None)


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
    for i, q in enumerate(figures):
        out.append(_metric(cues, figures, i, out, _clause(clauses, q.number_start)))
    return [(OTHER if cues.changes(q.start) else m, r.bare.get((q.unit, m), q.unit)) for q, m in zip(figures, out)]


def _clause(clauses: list[tuple[int, int]], at: int) -> tuple[int, int]:
    """The clause that holds offset `at` (else the last)."""
    for clause in clauses:
        if clause[0] <= at < clause[1]:
            return clause
    return clauses[-1]


def _metric(cues: Cues, figures: list[Quantity], i: int, done: list[str], clause: tuple[int, int]) -> str:
    """The metric of figures[i] in its `clause`, given those of the figures before it (`done`)."""
    r, q = rules(), figures[i]
    c_start, c_end = clause
    prev = figures[i - 1] if i and figures[i - 1].end <= q.number_start else None
    prev_in_clause = prev is not None and prev.end > c_start
    if q.role == "target" and done:
        return done[-1] + "_target" if done[-1] + "_target" in r.units else done[-1]
    roles = cues.markers_in(c_start, q.number_start)
    if roles and prev_in_clause and any(role == "equivalent" and s >= prev.end for s, _, role in roles):
        return done[-1]
    floor = _floor(figures, q, c_start, roles) if roles else c_start
    near_start = _near_start(cues, prev, q, floor) if prev_in_clause else floor
    unit, decided, cue = q.unit, r.decides.get(q.unit), cues.nearest  # cue(start, end, unit, last, skip)
    before = (cue(near_start, q.number_start, unit, True, decided)
              or cue(q.number_start, q.end, unit, True, decided)
              or (prev_in_clause and unit == "percent" and _rate(done[-1])))
    if before:
        return before
    # Where the words after the figure stop describing it matters only when cues follow it.
    after_end = (min(_before_separator(cues.low, q.end, _next_start(figures, i, c_end)), c_end)
                 if cues.any_cue(q.end, c_end) else c_end)
    return (cue(q.end, after_end, unit, False, decided)
            or (prev_in_clause and cue(floor, prev.start, unit, True, decided))
            or decided
            or cue(after_end, c_end, unit, False, decided)
            or _parallel(figures, i, done, c_start)
            or cue(floor, c_end, unit, True, weak=True)
            or OTHER)


def _near_start(cues: Cues, prev: Quantity, q: Quantity, floor: int) -> int:
    """Where the cues that lead to `q` may begin, `prev` being the figure before it in its clause:
    after the separator that follows `prev` (no search when no cue stands between them)."""
    if not cues.any_cue(prev.end, q.number_start):
        return q.number_start
    return max(_after_separator(cues.low, prev.end, q.start), floor)


def _floor(figures: list[Quantity], q: Quantity, c_start: int, roles: list[tuple[int, int, str]]) -> int:
    """Where the words that can describe `q` begin: its clause, or after a breakdown marker
    (`trong đó`) that follows the clause's first figure (`roles`: the clause's markers before `q`)."""
    first_start = next((f.start for f in figures if f.start >= c_start), q.start)
    return max([c_start] + [e for s, e, role in roles if role == "breakdown" and s > first_start])


def _next_start(figures: list[Quantity], i: int, default: int) -> int:
    """Where the first figure after figures[i] begins (else `default`)."""
    end = figures[i].end
    for f in figures[i + 1:]:
        if f.start >= end:
            return f.start
    return default


def _rate(metric: str) -> str | None:
    """The rate metric of a count's `metric`, if the schema has one."""
    name = metric + "_rate"
    return name if name in rules().units else None


def _parallel(figures: list[Quantity], i: int, done: list[str], c_start: int) -> str | None:
    """The metric of the last figure of figures[i]'s unit in an earlier clause."""
    unit = figures[i].unit
    for j in range(i - 1, -1, -1):
        if figures[j].start < c_start and figures[j].unit == unit and done[j] != OTHER:
            return done[j]
    return None


def placeless(cues: Cues, start: int, end: int) -> bool:
    """True when a marker such as `kỷ niệm` says the figure is about no place."""
    return cues.has("placeless", start, end)
