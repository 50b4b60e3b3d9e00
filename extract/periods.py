"""Article dates and the period each figure covers, read from Vietnamese date phrases."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import operator
from typing import NamedTuple

import ahocorasick_rs
import regex

from .lexicon import patterns
from .spans import Excerpts, Spans

_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}
_REPORTING = {"range_days", "range_months", "year_to_date", "first_months", "last_months", "half",
              "quarter", "month"}
"""Forms that name a reporting period outright; a title's bare `năm X` is often a plan."""
INHERITED = {"same_period"}
"""Forms that point back to the last period named (`trong thời gian này`, `trong quý`)."""
EVENTS = {"day"}
"""An event's day (`lúc 22 giờ ngày 28/5`) dates the figures of its account, but is no reporting
period that later paragraphs point back to."""


class Mention(NamedTuple):
    """A period phrase at [start, end) of the normalised text, resolved or not."""

    start: int
    end: int
    kind: str
    first: dt.date | None
    last: dt.date | None
    year: int | None
    groups: tuple = ()


def _date(y, m, d) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


def _month_end(y: int, m: int) -> dt.date | None:
    try:
        return dt.date(y, m, calendar.monthrange(y, m)[1])
    except (TypeError, ValueError, calendar.IllegalMonthError):
        return None


def published_date(text: str, low: str, paragraphs, given: dt.date | None) -> dt.date | None:
    """The article's own date: metadata, a dated heading, a dated lead, else its latest full date.

    `low` is the lowered text (normalize.lowered)."""
    if given:
        return given
    plan = _plan("date_patterns.csv")
    for p in paragraphs[:4]:
        line, line_low = text[p.start:p.end], low[p.start:p.end]
        for name in ("heading_words", "heading_numeric", "heading_iso"):
            m = plan.first(name, line, line_low)
            if m:
                d = _date(m["y"], m["m"], m["d"] or 1)
                if d:
                    return d
    lead_end = paragraphs[min(2, len(paragraphs) - 1)].end if paragraphs else 0
    dated = sorted((m.start(), d) for name in ("full_date", "full_date_words")
                   for m in plan.whole(name, text, low) if (d := _date(m["y"], m["m"], m["d"])))
    in_lead = [d for pos, d in dated if pos < lead_end]
    if in_lead:
        return in_lead[0]
    return max((d for _, d in dated), default=None)


def mentions(text: str, low: str, within: Spans, published: dt.date | None) -> list[Mention]:
    """Period phrases lying inside one of the spans `within`, comparisons (`cùng kỳ năm trước`)
    left out; the patterns are tried only where their words are in the text near those spans.

    A mention whose year is implied (`Trong năm`, `quý I`) keeps year None here;
    `resolve` gives it the year in scope.
    """
    if not within.starts:
        return []
    plan = _plan("period_patterns.csv")
    scan = _Scan(text, low, within, plan)
    comparisons = scan.matches([("comparison", plan.parts["comparison"])])
    skip = Spans((s, s - shorter) for s, shorter, _, _ in comparisons)
    found = scan.matches((kind, parts) for kind, parts in plan.parts.items() if kind != "comparison")
    found.sort(key=_LEFTMOST_LONGEST)
    kept, reach = [], 0
    for s, shorter, kind, m in found:
        e = s - shorter
        if s >= reach and within.holds(s, e) and not skip.overlaps(s, e):
            kept.append(_mention(kind, m, s, e, published))
            reach = e
    return kept


_LEFTMOST_LONGEST = operator.itemgetter(0, 1)
"""Sort key of (start, start - end, ...) tuples: leftmost first, then longest; ties keep their order."""

_INERT = "."
"""A full stop: no period pattern matches one or looks past it (checked by `_blind_to_inert`)."""

_TOKEN = (r"(?P<sign>[^\\.^$|?*+{}()\[\]]|\\[^\w.])"                  # a literal character
          r"|(?P<repeat>[?*+]|\{\d*(?:,\d*)?\})|(?P<choice>\|)"
          r"|(?P<open>\((?:\?(?::|P<\w+>|=|!|<=|<!)|(?!\?)))|(?P<close>\))"  # a group, a look-around
          r"|(?P<set>\\[dswb]|\[-?(?:\w-\w|\\[dsw]|\\[^\w.]|[^\\.\]\[^-])+-?\])")
"""A piece of pattern syntax that cannot match a full stop."""
_WIDE = r"|(?P<wide>\\[DSWBAZ]|\\\.|[.^$]|\[\^?\]?(?:\\.|[^\]\\\[])*\])"
"""Any other class, anchor or escaped full stop: `_runs` reads past it."""
_TOKENS = regex.compile(_TOKEN + _WIDE)
_BLIND = regex.compile(rf"(?:{_TOKEN})*")
_PLAIN_FLAGS = regex.compile("").flags
_LOOK_AROUND = ("(?=", "(?!", "(?<=", "(?<!")


@functools.cache
def _blind_to_inert(pattern) -> bool:
    """True when no part of `pattern` (compiled) can match `_INERT`, so that no match and no
    look-around reaches past one: the text on either side of it scans apart."""
    return pattern.flags == _PLAIN_FLAGS and _BLIND.fullmatch(pattern.pattern) is not None


@functools.cache
def _runs(pattern) -> tuple[str, ...]:
    """The literal texts that every match of `pattern` (compiled) holds, in order: text outside
    groups, not optional. The first is the text the match opens with, look-arounds aside, or ''.
    () when the pattern is a choice of alternatives or uses syntax or flags not read here."""
    tokens = list(_TOKENS.finditer(pattern.pattern))
    if pattern.flags != _PLAIN_FLAGS or sum(len(token.group()) for token in tokens) != len(pattern.pattern):
        return ()
    runs, depth = [""], 0
    for token in tokens:
        kind, text = token.lastgroup, token.group()
        if not depth:
            if kind == "choice":
                return ()
            if kind == "sign":
                runs[-1] += text[-1]
                continue
            if kind == "repeat" and runs[-1]:
                runs[-1] = runs[-1][:-1]
            if runs[-1] or len(runs) > 1 or not (kind == "open" and text in _LOOK_AROUND):
                runs.append("")
        depth += (kind == "open") - (kind == "close")
    return tuple(runs)


def _opening(pattern) -> str:
    """The literal text that every match of `pattern` opens with, or ''."""
    runs = _runs(pattern)
    return runs[0] if runs else ""


def _needle(pattern) -> str:
    """The longest literal text that every match of `pattern` holds: text outside groups, not
    optional. '' when there is none, or when the pattern opens with literal text (`_opening`),
    which serves better."""
    runs = _runs(pattern)
    return "" if not runs or runs[0] else max(runs, key=len)


class _Part(NamedTuple):
    """A compiled part of a rule and the longest literal text that its matches hold; one blind
    to `_INERT` is looked for by the text that its matches open with, else by its needle
    (`_opening`, `_needle`)."""

    pattern: object
    lower: bool
    holds: str = ""
    blind: bool = False
    opening: str = ""
    needle: str = ""

    @classmethod
    def of(cls, pattern, lower: bool) -> "_Part":
        holds = max(_runs(pattern), key=len, default="")
        if _blind_to_inert(pattern):
            return cls(pattern, lower, holds, True, _opening(pattern), _needle(pattern))
        return cls(pattern, lower, holds)

    def finditer(self, target: str, start: int, places):
        """The matches of `pattern.finditer(target, start)` of a blind part, looked for only where
        they may be: one that opens with a word begins at a place of it, one that holds a needle
        lies in a stretch that has it (`places[word]`: where `word` begins in `target`, in order)."""
        if self.opening:
            reach, match = start, self.pattern.match
            for at in places[self.opening]:
                if at >= reach and (m := match(target, at)):
                    reach = m.end()
                    yield m
        elif self.needle:
            for begin, end in _stretches(target, places[self.needle], start):
                yield from self.pattern.finditer(target, begin, end)
        else:
            yield from self.pattern.finditer(target, start)


def _stretches(target: str, places, start: int) -> list[tuple[int, int]]:
    """[start, end) of each stretch of `target` from `start` on, from one `_INERT` character to the
    next, that holds one of `places`."""
    out, end = [], start
    for at in places:
        if at >= end:
            stop = target.find(_INERT, at)
            end = len(target) if stop < 0 else stop + 1
            out.append((max(target.rfind(_INERT, start, at), start), end))
    return out


class _Places(dict):
    """Where each word begins in `target`, in order (overlapping places included), found when
    first asked for."""

    def __init__(self, target: str):
        super().__init__()
        self.target = target

    def __missing__(self, word: str) -> list[int]:
        out, at = [], self.target.find(word)
        while at >= 0:
            out.append(at)
            at = self.target.find(word, at + 1)
        self[word] = out
        return out


class _Plan:
    """The parts of each rule of a pattern file, and the words that the blind lower-case ones
    look for, all found in one pass of an automaton."""

    def __init__(self, rules: dict):
        self.parts = {name: tuple(_Part.of(part, rule.lower) for part in rule.compiled)
                      for name, rule in rules.items()}
        self.words = sorted({part.opening or part.needle for parts in self.parts.values()
                             for part in parts if part.lower} - {""})

    @functools.cached_property
    def _automaton(self):
        return ahocorasick_rs.AhoCorasick(self.words, implementation=ahocorasick_rs.Implementation.DFA)

    def places(self, low: str) -> dict[str, list[int]]:
        """Where each word begins in the lowered `low` (as `_Places` finds them, in one pass)."""
        if not self.words:
            return {}
        found = {word: [] for word in self.words}
        for key, start, _ in self._automaton.find_matches_as_indexes(low, overlapping=True):
            found[self.words[key]].append(start)
        return found

    def first(self, name: str, text: str, low: str):
        """The first match of rule `name`: the first of its first part that matches."""
        for part in self.parts[name]:
            target = low if part.lower else text
            m = part.holds in target and part.pattern.search(target)
            if m:
                return m
        return None

    def whole(self, name: str, text: str, low: str):
        """The matches of rule `name` in the whole text, part after part
        (searched word by word: on a long text that beats the automaton)."""
        for part in self.parts[name]:
            target = low if part.lower else text
            if part.blind:
                yield from part.finditer(target, 0, _Places(target))
            else:
                yield from part.pattern.finditer(target)


@functools.cache
def _plan(name: str) -> _Plan:
    return _Plan(patterns(name))


class _Scan:
    """The lowered text cut down to the neighbourhood of the spans `within`: each gap between
    two spans is left out from its first to its last `_INERT` character, which both stay."""

    def __init__(self, text: str, low: str, within: Spans, plan: _Plan):
        self.text, self.low = text, low
        self.start, self.end = within.starts[0], min(within.ends[-1], len(low))
        cuts, begin = [], 0
        for end, start in zip(within.ends, within.starts[1:]):
            first = low.find(_INERT, end, start)
            if first >= 0:
                cuts.append((begin, first + 1))
                begin = low.rfind(_INERT, first, start)
        cuts.append((begin, self.end))
        self.excerpts = Excerpts(cuts)
        self.cut = self.excerpts.join(low)
        self.places = plan.places(self.cut)

    def matches(self, rules) -> list[tuple[int, int, str, object]]:
        """(start, start - end, name, match) of the matches of each rule (name, parts) in
        [start, end) of the text that may lie inside a span, rule after rule and part after
        part, each part's in order."""
        out, original = [], self.excerpts.original
        for name, parts in rules:
            for part in parts:
                if part.lower and part.blind:
                    for m in part.finditer(self.cut, self.start, self.places):
                        start, end = original(*m.span())
                        out.append((start, start - end, name, m))
                else:
                    target = self.low if part.lower else self.text
                    for m in part.pattern.finditer(target, self.start, self.end):
                        out.append((m.start(), m.start() - m.end(), name, m))
        return out


def _mention(kind: str, m, start: int, end: int, published: dt.date | None) -> Mention:
    g = m.groupdict()
    pub_year = published.year if published else None
    year = int(g["y"]) if g.get("y") else None
    first = last = None
    if kind == "range_days":
        y2 = int(g["y2"]) if g["y2"] else pub_year
        y1 = int(g["y1"]) if g["y1"] else y2
        if y1 and y2:
            first, last = _date(y1, g["m1"], g["d1"]), _date(y2, g["m2"], g["d2"])
            year = y2
    elif kind == "range_months":
        y2 = int(g["y2"])
        y1 = int(g["y1"]) if g["y1"] else y2
        first, last, year = _date(y1, g["m1"], 1), _month_end(y2, int(g["m2"])), y2
    elif kind == "year_to_date":
        year = year or pub_year
        if year:
            first = dt.date(year, 1, 1)
            last = published if published and published.year == year else dt.date(year, 12, 31)
    elif kind in ("first_months", "months_in_scope", "last_months", "half", "quarter", "month", "year",
                  "this_year"):
        first, last = _calendar_span(kind, g, year)
    elif kind == "last_year" and published:
        year = published.year - 1 if published.month <= 3 else published.year
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    elif kind == "day":
        y = year or pub_year
        first = last = _date(y, g["m"], g["d"]) if y else None
    elif kind == "as_of":
        last = _date(g["y"], g["m"], g["d"])
    elif kind == "previous_year" and published:
        year = published.year - 1
        first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == "this_year" and "nay" in m.group().lower() and pub_year:
        year = pub_year
        first, last = _calendar_span(kind, g, year)
    return Mention(start, end, kind, first, last, year, tuple(g.items()))


def _calendar_span(kind: str, g: dict, year: int | None):
    """First and last day of a calendar form in `year` (None, None without a year)."""
    if not year:
        return None, None
    if kind in ("first_months", "months_in_scope"):
        n = min(12, max(1, int(g["n"])))
        return dt.date(year, 1, 1), _month_end(year, n)
    if kind == "last_months":
        n = min(12, max(1, int(g["n"])))
        return dt.date(year, 13 - n, 1), dt.date(year, 12, 31)
    if kind == "half":
        early = bool(g.get("early"))
        return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if early else (dt.date(year, 7, 1), dt.date(year, 12, 31))
    if kind == "quarter":
        q = _ROMAN.get(g["q"].upper()) or int(g["q"])
        return dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q)
    if kind == "month":
        month = int(g["m"])
        return _date(year, month, 1), _month_end(year, month)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def with_year(mention: Mention, year: int | None) -> Mention:
    """A mention whose implied year is now known."""
    if mention.first or mention.last or not year:
        return mention
    first, last = _calendar_span(mention.kind, dict(mention.groups), year)
    return Mention(mention.start, mention.end, mention.kind, first, last, year, mention.groups)


def is_reporting(mention: Mention) -> bool:
    """True for forms that state a reporting period even in a headline."""
    return mention.kind in _REPORTING
