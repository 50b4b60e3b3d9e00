"""Article dates and the period each figure covers, read from Vietnamese date phrases."""
from __future__ import annotations

import calendar
import datetime as dt
import functools
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Mention:
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
    found = patterns("date_patterns.csv")
    for p in paragraphs[:4]:
        line, line_low = text[p.start:p.end], low[p.start:p.end]
        for name in ("heading_words", "heading_numeric", "heading_iso"):
            m = next(found[name].finditer(line, line_low), None)
            if m:
                d = _date(m["y"], m["m"], m["d"] or 1)
                if d:
                    return d
    lead_end = paragraphs[min(2, len(paragraphs) - 1)].end if paragraphs else 0
    dated = sorted((m.start(), d) for name in ("full_date", "full_date_words")
                   for m in found[name].finditer(text, low) if (d := _date(m["y"], m["m"], m["d"])))
    in_lead = [d for pos, d in dated if pos < lead_end]
    if in_lead:
        return in_lead[0]
    return max((d for _, d in dated), default=None)


def mentions(text: str, low: str, within: Spans, published: dt.date | None) -> list[Mention]:
    """Period phrases lying inside one of the spans `within`, comparisons (`cùng kỳ năm trước`)
    left out; each pattern scans the text near those spans once.

    A mention whose year is implied (`Trong năm`, `quý I`) keeps year None here;
    `resolve` gives it the year in scope.
    """
    if not within.starts:
        return []
    found = patterns("period_patterns.csv")
    scan = _Scan(text, low, within)
    skip = Spans((s, e) for s, e, _ in scan.matches(found["comparison"]))
    out = [(s, e, kind, m) for kind, rule in found.items() if kind != "comparison"
           for s, e, m in scan.matches(rule) if within.holds(s, e) and not skip.overlaps(s, e)]
    out.sort(key=lambda x: (x[0], x[0] - x[1]))
    kept, reach = [], 0
    for s, e, kind, m in out:
        if s >= reach:
            kept.append(_mention(kind, m, s, e, published))
            reach = e
    return kept


_INERT = "."
"""A full stop: no period pattern matches one or looks past it (checked by `_blind_to_inert`)."""

_TOKEN = (r"(?P<sign>[^\\.^$|?*+{}()\[\]]|\\[^\w.])"                  # a literal character
          r"|(?P<repeat>[?*+]|\{\d*(?:,\d*)?\})|(?P<choice>\|)"
          r"|(?P<open>\((?:\?(?::|P<\w+>|=|!|<=|<!)|(?!\?)))|(?P<close>\))"  # a group, a look-around
          r"|(?P<set>\\[dswb]|\[-?(?:\w-\w|\\[dsw]|\\[^\w.]|[^\\.\]\[^-])+-?\])")
"""A piece of pattern syntax that cannot match a full stop."""
_TOKENS = regex.compile(_TOKEN)
_BLIND = regex.compile(rf"(?:{_TOKEN})*")
_PLAIN_FLAGS = regex.compile("").flags
_LOOK_AROUND = ("(?=", "(?!", "(?<=", "(?<!")


@functools.cache
def _blind_to_inert(pattern) -> bool:
    """True when no part of `pattern` (compiled) can match `_INERT`, so that no match and no
    look-around reaches past one: the text on either side of it scans apart."""
    return pattern.flags == _PLAIN_FLAGS and _BLIND.fullmatch(pattern.pattern) is not None


@functools.cache
def _needle(pattern) -> str:
    """The longest literal text that every match of `pattern` (blind to `_INERT`) holds: text
    outside groups, not optional. '' when there is none, or when the pattern starts with literal
    text, which the engine finds fast enough."""
    runs, depth, started = [""], 0, False
    for token in _TOKENS.finditer(pattern.pattern):
        kind, text = token.lastgroup, token.group()
        if not depth:
            if kind == "choice":
                return ""
            if kind == "sign":
                if not started:
                    return ""
                runs[-1] += text[-1]
                continue
            if kind == "repeat" and runs[-1]:
                runs[-1] = runs[-1][:-1]
            runs.append("")
            started = started or not (kind == "open" and text in _LOOK_AROUND)
        depth += (kind == "open") - (kind == "close")
    return max(runs, key=len)


class _Scan:
    """The lowered text cut down to the neighbourhood of the spans `within`: each gap between
    two spans is left out from its first to its last `_INERT` character, which both stay."""

    def __init__(self, text: str, low: str, within: Spans):
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
        self.stretches = {}

    def matches(self, rule):
        """(start, end, match) of the matches of `rule` in [start, end) of the text that may lie
        inside a span, in the order `Rule.finditer` gives them."""
        for part in rule.compiled:
            if rule.lower and _blind_to_inert(part):
                needle = _needle(part)
                for begin, end in self._stretches(needle) if needle else [(self.start, len(self.cut))]:
                    for m in part.finditer(self.cut, begin, end):
                        yield *self.excerpts.original(*m.span()), m
            else:
                for m in part.finditer(self.low if rule.lower else self.text, self.start, self.end):
                    yield m.start(), m.end(), m

    def _stretches(self, needle: str) -> list[tuple[int, int]]:
        """[start, end) of each stretch of the cut text from one `_INERT` character to the next
        that holds `needle`; only there can a match holding `needle` lie."""
        if needle in self.stretches:
            return self.stretches[needle]
        out, cut = [], self.cut
        at = cut.find(needle, self.start)
        while at >= 0:
            stop = cut.find(_INERT, at)
            end = len(cut) if stop < 0 else stop + 1
            out.append((max(cut.rfind(_INERT, self.start, at), self.start), end))
            at = cut.find(needle, end)
        self.stretches[needle] = out
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
