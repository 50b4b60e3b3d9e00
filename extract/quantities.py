"""Figures in a sentence: a number with its scale words, unit and qualifier.

Every word list comes from extract/data/; this module only knows the shape of
a Vietnamese quantity:  [qualifier…] [từ] NUMBER [scale…] [(-|đến) NUMBER | /NUMBER] UNIT.
"""
from __future__ import annotations

import bisect
import functools
from typing import NamedTuple

import regex

from .lexicon import alternation, column, connectives, patterns, rows
from .numbers import NUMBER, read_number
from .spans import Excerpts, Spans


class Quantity(NamedTuple):
    """One figure; offsets are into the normalised article text."""

    start: int
    end: int
    number_start: int
    value: float
    unit: str
    qualifier: str
    rule: str
    value_max: float | None = None
    role: str | None = None


class _Before(NamedTuple):
    """Which left-context patterns may match before a number, judged by the word just before it."""

    cue: bool
    allow: bool
    qualifier: bool
    name: bool


class _After(NamedTuple):
    """Which patterns may match at an offset, judged by the word that starts there; and the unit
    or counting noun read there, when the head (see `_after`) settles it."""

    scale: bool
    range: bool
    fraction: bool
    unit: bool
    noun: bool
    settled: bool = False
    """True when no unit or noun runs past the head: `reading` is then known."""
    reading: tuple[str, str, int, str] | None = None
    """What `_unit_or_noun` reads at the offset."""


_ANYTHING = _After(True, True, True, True, True)

MASK_REACH = (40, 60)
"""How far (characters before, after) a non-figure pattern reaches from the digits it holds."""

WORDS_CACHED = 1 << 14
"""How many distinct words the `_Before` and `_After` judgements, and number values, are kept for."""

_value = functools.lru_cache(maxsize=WORDS_CACHED)(read_number)


def _ends(words, flags=0):
    """A pattern that finds, at the end of a word, the last space-separated piece of one of `words`:
    only a word ending so can end a phrase of `words` (case-insensitively with `regex.I`)."""
    return regex.compile(alternation({w.rstrip().rpartition(" ")[2] for w in words}, boundary=False) + r"\Z", flags)


def _starts(words, flags=0, bounded=True):
    """A pattern that finds, at the start of a word, one of `words` (ending at a word boundary when
    `bounded`) or the whole word as the first space-separated piece of one of them: only such a
    word can start a phrase of `words`."""
    pieces = [w.lstrip().partition(" ") for w in words]
    whole = {first for first, space, _ in pieces if not space}
    parts = {first for first, space, _ in pieces if space}
    options = [alternation(whole, boundary=False) + (r"(?![\w])" if bounded else "")] if whole else []
    options += [alternation(parts, boundary=False) + r"\Z"] if parts else []
    return regex.compile(rf"\A(?:{'|'.join(options)})", flags)


def _opens(words, flags=0):
    """A pattern that matches, whole, a leading part of one of `words` that ends before one of its
    spaces: a phrase of `words` can run on past some text, through a space after it, only then."""
    openings = {w[:i] for w in map(str.lstrip, words) for i, c in enumerate(w) if c == " "}
    return regex.compile(rf"\A{alternation(openings, boundary=False)}\Z", flags)


class _Lexicon:
    """Compiled word lists and patterns (built once per process)."""

    def __init__(self):
        unit_rows = rows("units.csv")
        self.unit_of = {r["surface"]: r["unit"] for r in unit_rows}
        noun_rows = rows("counting_nouns.csv")
        self.glued = {r["surface"] for r in unit_rows if r["glued"] == "1"}
        self.glued |= {r["noun"] for r in noun_rows if r["glued"] == "1"}
        self.unit = regex.compile(rf"\s*({alternation(self.unit_of, left=False)})", regex.I)
        nouns = [r["noun"] for r in noun_rows]
        self.compound = regex.compile(rf"\s*({alternation(nouns, left=False)})", regex.I)
        self.scales = {r["word"]: float(r["multiplier"]) for r in rows("scale_words.csv")}
        self.scale = regex.compile(rf"\s*({alternation(self.scales)})")
        self.qualifier_of = {r["word"]: r["qualifier"] for r in rows("qualifiers.csv")}
        self.cancelled_after = {r["word"]: regex.compile(rf"\s*{alternation(r['cancelled_after'].split(';'))}", regex.I)
                                for r in rows("qualifiers.csv") if r["cancelled_after"]}
        self.qualifier_stack = regex.compile(rf"(?:{alternation(self.qualifier_of)}\s+)+$", regex.I | regex.REVERSE)
        self.qualifier_word = regex.compile(alternation(self.qualifier_of), regex.I)
        comparatives = alternation(column("comparatives.csv", "word"))
        self.comparative = regex.compile(rf"{comparatives}\s+$", regex.I | regex.REVERSE)
        self.compared_with = regex.compile(alternation(column("comparison_markers.csv", "marker")), regex.I)
        vague = rows("vague_words.csv")
        self.vague_words = {r["word"]: float(r["multiplier"]) for r in vague if r["role"] == "count"}
        self.vague_leads = [r["word"] for r in vague if r["role"] == "lead"]
        self.vague = regex.compile(rf"{alternation(self.vague_leads)}((?:\s+{alternation(self.vague_words)})+)")
        self.digit = regex.compile(r"\d")
        joins = {role: alternation(connectives(role), boundary=False) for role in ("list", "range", "range_start")}
        self.list_next = regex.compile(rf"(?:\s*,\s*|\s+{joins['list']}\s+)({NUMBER})(?![\w.,/])")
        cues, allowed = column("not_figure_before.csv", "word"), column("figure_before.csv", "phrase")
        self.cue_before = regex.compile(rf"{alternation(cues)}\s*$", regex.I | regex.REVERSE)
        self.allow_before = regex.compile(rf"{alternation(allowed)}\s*$", regex.I | regex.REVERSE)
        stop = set(column("not_units.csv", "word")) | set(self.scales) | set(self.qualifier_of)
        self.not_unit = {w.lower() for w in stop}
        self.mask_patterns = [(p, rule.lower) for rule in patterns("non_figures.csv").values() for p in rule.compiled]
        self.number = regex.compile(NUMBER)
        self.range_tail = regex.compile(rf"\s*(?:-|{joins['range']})\s*({NUMBER})")
        self.fraction_tail = regex.compile(rf"\s*/\s*({NUMBER})")
        self.divisor = regex.compile(r"\s*/\s*(\p{L}+)(?!\w)")
        self.word_after = regex.compile(r"\s+(\p{Ll}+)(?!\w)")
        self.name_before = regex.compile(r"(?<![\w])\p{Lu}\p{L}*\s+$", regex.REVERSE)
        self.range_start = regex.compile(rf"(?<![\w]){joins['range_start']}\s+$", regex.I | regex.REVERSE)
        self.before_tests = (_ends(cues, regex.I), _ends(allowed, regex.I), _ends(self.qualifier_of, regex.I),
                             regex.compile(r"\p{Lu}"))
        self.after_tests = (_starts(self.scales), _starts(["-", *connectives("range")], bounded=False),
                            _starts(["/"], bounded=False), _starts(self.unit_of, regex.I), _starts(nouns, regex.I))
        self.opens_unit = _opens([*self.unit_of, *nouns], regex.I)
        self.before = functools.lru_cache(maxsize=WORDS_CACHED)(self._before)
        self.after = functools.lru_cache(maxsize=WORDS_CACHED)(self._after)
        self.stack = functools.lru_cache(maxsize=WORDS_CACHED)(self._stack)

    def _before(self, word: str) -> _Before:
        return _Before(*(t.search(word) is not None for t in self.before_tests))

    def _after(self, head: str) -> _After:
        words = head.lstrip()
        after = _After(*(t.search(words.partition(" ")[0]) is not None for t in self.after_tests))
        if self.opens_unit.search(words):
            return after
        # no unit or noun runs past the head, so the head alone holds what they match
        return after._replace(settled=True, reading=_unit_or_noun(self, head, 0, len(head), after))

    def _stack(self, stack: str) -> tuple[int, str, int, str, str]:
        """(offset of the first word, qualifier, offset and word of the one that sets it, rule) of a
        stack of qualifier words: the last bound (`over`, `under`) sets it, else the first word."""
        kinds = [(self.qualifier_of[w.group().lower()], w.start(), w.group().lower())
                 for w in self.qualifier_word.finditer(stack)]
        bounds = [k for k in kinds if k[0] != "approx"]
        kind, pos, word = bounds[-1] if bounds else kinds[0]
        return kinds[0][1], kind, pos, word, f"qty.qualifier.{kind}"


@functools.cache
def lexicon() -> _Lexicon:
    return _Lexicon()


class NumberScan:
    """The numbers (`NUMBER` matches) of text[start:end], found in one scan (`spans`, when already
    known). The lowered text has the same: lowering changes no digit, dot or comma, nor any offset."""

    def __init__(self, text: str, start: int = 0, end: int | None = None, spans: list | None = None):
        self.text, self.start, self.end = text, start, len(text) if end is None else end
        if spans is None:
            spans = [m.span() for m in lexicon().number.finditer(text, self.start, self.end)]
        self.spans = spans
        self.starts = [start for start, _ in spans]
        self.ends = [end for _, end in spans]

    def has_digit(self, start: int, end: int) -> bool:
        """True when text[start:end] holds a digit: a number of the scan starts there (or one that
        starts before runs into it and holds one there)."""
        i = bisect.bisect_right(self.ends, start)
        if i < len(self.spans) and self.starts[i] < start:
            return lexicon().digit.search(self.text, start, end) is not None
        return i < len(self.spans) and self.starts[i] < end

    def window(self, start: int, end: int) -> list | None:
        """The spans of the numbers a scan of text[start:end] alone finds, or None when a number
        runs over `start` or `end` (a number holds no lookaround: elsewhere both scans agree)."""
        i, j = bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end)
        if i < len(self.spans) and self.starts[i] < start or j and self.ends[j - 1] > end:
            return None
        return self.spans[i:j]

    def within(self, start: int, end: int) -> NumberScan:
        """The scan of text[start:end]: taken from this one (`window`), else scanned again."""
        return NumberScan(self.text, start, end, self.window(start, end))

    def first(self, pos: int, end: int) -> tuple[int, int] | None:
        """The span of the first number in text[pos:end], as `lex.number.search` finds it: a number
        of the scan unless it starts before `pos` or ends after `end` (then it is searched again).
        Every digit of the scan lies in one of its numbers, so none lies before the one chosen."""
        if self.start <= pos and end <= self.end:
            i = bisect.bisect_right(self.ends, pos)
            if i == len(self.spans) or self.spans[i][0] >= end:
                return None
            start, stop = self.spans[i]
            if start >= pos and stop <= end:
                return start, stop
        m = lexicon().number.search(self.text, pos, end)
        return m.span() if m else None

    def groups(self, gap: int) -> list[tuple[int, int]]:
        """Spans of the runs of numbers at most `gap` characters apart: only non-digits lie between
        two numbers, so these are the runs of digits at most `gap` non-digits apart."""
        out = []
        for start, end in self.spans:
            if out and start - out[-1][1] <= gap:
                out[-1] = (out[-1][0], end)
            else:
                out.append((start, end))
        return out


def _masked(lex: _Lexicon, text: str, low: str, numbers: NumberScan) -> set[int]:
    """Dates, times, document numbers, phone numbers…: the offsets inside a span whose digits are no figure
    (`numbers`: those of the sentences, from the first to just past the last).

    Each such pattern holds a digit, so the patterns scan only the neighbourhoods
    of the digits of the sentences, joined into one string (one scan per pattern).
    Digits close enough for their neighbourhoods to touch are found as one group."""
    view = _neighbourhoods(numbers)
    joined, joined_low = view.join(text), view.join(low)
    covered = set()
    for pattern, lower in lex.mask_patterns:
        for m in pattern.finditer(joined_low if lower else joined):
            covered.update(range(*view.original(*m.span())))
    return covered


def _neighbourhoods(numbers: NumberScan) -> Excerpts:
    """The neighbourhoods of the digit groups of the scanned text, NUL between them (no pattern
    crosses a NUL). Groups lie more than the two reaches apart, so neighbourhoods are disjoint."""
    before, after = MASK_REACH
    return Excerpts([(max(numbers.start, start - before), min(numbers.end, end + after))
                     for start, end in numbers.groups(before + after)], "\0")


BEFORE_REACH = 40
"""How far before a number its left-context patterns look (qualifiers; cues and names look 30)."""

AFTER_REACH = 24
"""How far after an offset the word that starts there is read; a longer one is not judged."""


def _word_before(left: str) -> str:
    """The word that ends `left` (the text before a number, see `_quantity`), trailing spaces
    skipped: each left-context pattern that matches before the number ends in it."""
    return left.rstrip().rpartition(" ")[2]


def _after(lex: _Lexicon, text: str, pos: int, end: int) -> _After:
    """Which patterns may match at `pos`, judged by the word that starts there after any spaces
    (when a space or `end` follows it), and the unit or noun there, read from the head: those
    spaces and words up to a space (or `end`) no unit or noun of several words runs past."""
    reach = min(end, pos + AFTER_REACH)
    piece = text[pos:reach]
    cut = piece.find(" ", len(piece) - len(piece.lstrip()))
    after = _ANYTHING
    while cut >= 0 or reach == end:
        after = lex.after(piece[:cut] if cut >= 0 else piece)
        if after.settled or cut < 0:
            break
        cut = piece.find(" ", cut + 1)
    return after


def _glued_match(lex: _Lexicon, pattern, text: str, pos: int, end: int):
    """The match of a unit or noun `pattern` at `pos`, unless glued to the number without being listed so."""
    m = pattern.match(text, pos, end)
    return m if m and (m.start(1) > pos or m.group(1).lower() in lex.glued) else None


def _unit_or_noun(lex: _Lexicon, text: str, pos: int, end: int, after: _After) -> tuple[str, str, int, str] | None:
    """(unit, surface, length from `pos`, kind) of the schema unit (kind `unit`) or listed counting
    noun (`noun`) at `pos`, or None (`after`: what may match there). The longer wins, a unit on a tie."""
    m = _glued_match(lex, lex.unit, text, pos, end) if after.unit else None
    kind = "unit"
    if after.noun and (noun := _glued_match(lex, lex.compound, text, pos, end)) and (not m or noun.end() > m.end()):
        m, kind = noun, "noun"
    if not m:
        return None
    surface = m.group(1).lower()
    return lex.unit_of.get(surface, surface) if kind == "unit" else surface, surface, m.end() - pos, kind


def _read_unit(lex: _Lexicon, text: str, pos: int, end: int, after: _After | None = None):
    """(unit, end offset, kind) of the unit at `pos`, or None. `kind` is `unit` for a schema unit,
    `noun` for a listed counting noun and `word` for any other word that follows the number
    (`after`: what may match at `pos`, when known). The longer of a unit and a noun wins, a unit on a tie."""
    if after is None:
        after = _after(lex, text, pos, end)
    found = after.reading if after.settled else _unit_or_noun(lex, text, pos, end, after)
    if found:
        unit, surface, length, kind = found
        stop = pos + length
    elif pos < end and (text[pos].isalpha() or text[pos] == "%"):
        return None
    else:
        m = lex.word_after.match(text, pos, end)
        if not m or m.group(1).lower() in lex.not_unit:
            return None
        surface = unit = m.group(1).lower()
        stop, kind = m.end(), "word"
    d = text.find("/", stop, end) >= 0 and lex.divisor.match(text, stop, end)
    if d:
        return f"{surface}/{d.group(1).lower()}", d.end(), kind
    return unit, stop, kind


def _read_scale(lex: _Lexicon, text: str, pos: int, end: int) -> tuple[float, int]:
    factor = 1.0
    while m := lex.scale.match(text, pos, end):
        factor *= lex.scales[m.group(1)]
        pos = m.end()
    return factor, pos


def _qualifier(lex: _Lexicon, text: str, sentence_start: int, sentence_end: int,
               left: str, at: int, figure_end: int, before: _Before) -> tuple[str, int, str]:
    """(qualifier, text start, rule) from the words just before offset `at` (`left`, see `_quantity`).

    `hơn` after a comparative adjective completes a comparison (`thấp hơn 8% so với
    năm trước`) when the sentence names what is compared with: then it is no bound.
    """
    if not before.qualifier:
        return "exact", at, "qty"
    m = lex.qualifier_stack.search(left)
    if not m:
        return "exact", at, "qty"
    base = at - len(left) + m.start()
    first, kind, pos, word, rule = lex.stack(m.group())
    first += base
    if (lex.comparative.search(text[max(sentence_start, first - 20):first])
            and lex.compared_with.search(text, at, sentence_end)):
        return "exact", at, "qty.comparative"
    cancel = lex.cancelled_after.get(word)
    if cancel and cancel.match(text, figure_end, sentence_end):
        return "exact", at, "qty.target_exceeded"
    return kind, base + pos, rule


def _excluded_before(lex: _Lexicon, left: str, before: _Before) -> bool:
    """True when the words before a number (`left`, see `_quantity`) make it a date, name or identifier."""
    if not before.cue:
        return False
    left = left[-30:]
    if before.allow and lex.allow_before.search(left):
        return False
    return bool(lex.cue_before.search(left))


def _glued_left(left: str) -> bool:
    """A number glued to a word or code before it (COVID-19, I/2022, 4D); `left`: see `_quantity`."""
    if not left:
        return False
    prev = left[-1]
    if prev.isalnum() or prev in "_":
        return True
    return prev in "-/." and left[-2:-1].isalnum()


def _after_name(lex: _Lexicon, text: str, sentence_start: int, left: str, at: int, before: _Before) -> bool:
    """A number right after a capitalised word inside the sentence (Nậm Chim 1, Tổ 5); `left`: see `_quantity`."""
    if not before.name:
        return False
    left = left[-30:]
    m = lex.name_before.search(left)
    if not m:
        return False
    prefix = text[sentence_start:at - len(left) + m.start()].rstrip()
    return bool(prefix) and prefix[-1] not in ",:;(“\"-–"


def _holds_any(low: str, start: int, end: int, words) -> bool:
    """True when one of `words` stands in low[start:end] (as it must where a vague amount is)."""
    for word in words:
        if low.find(word, start, end) >= 0:
            return True
    return False


def may_hold_figures(low: str, start: int, end: int, scan: NumberScan) -> bool:
    """A cheap test: only text with a digit or a vague amount can hold a figure (`low`: lowered
    text; `scan`: its numbers)."""
    lex = lexicon()
    return scan.has_digit(start, end) or (
        _holds_any(low, start, end, lex.vague_leads) and lex.vague.search(low, start, end) is not None)


def find_quantities(text: str, low: str, sentences, scan: NumberScan) -> list[list[Quantity]]:
    """The figures of each sentence (objects with `start` and `end` into the normalised text;
    `low` is that text lowered; `scan`: the numbers of either)."""
    if not sentences:
        return []
    lex = lexicon()
    numbers = scan.within(sentences[0].start, min(len(text), sentences[-1].end + 1))
    masks = _masked(lex, text, low, numbers)
    out: list[list[Quantity]] = []
    for sentence in sentences:
        start, end = sentence.start, sentence.end
        found = _vague(lex, text, low, start, end)
        taken = Spans((q.start, q.end) for q in found) if found else None
        pos = start
        while number := numbers.first(pos, end):
            at, pos = number
            if at in masks or taken and at in taken:
                continue
            figures = _quantity(lex, text, start, end, at, pos)
            if figures:
                found.extend(figures)
                pos = max(pos, figures[0].end)
        if taken:
            found.sort(key=_reading_order)
        out.append(found)
    return out


def _reading_order(q: Quantity) -> tuple[int, str]:
    """Figures of numbers come out in this order already; vague amounts are sorted in."""
    return q.number_start, q.role or ""


def _quantity(lex: _Lexicon, text: str, s_start: int, s_end: int, at: int, pos: int) -> list[Quantity]:
    """The figure(s) the number text[at:pos] starts, or [] when it is not a figure."""
    left = text[max(s_start, at - BEFORE_REACH):at]  # what the left-context tests read
    if _glued_left(left):
        return []
    before = lex.before(_word_before(left))
    if _excluded_before(lex, left, before):
        return []
    token = text[at:pos]
    value = _value(token)
    if value is None:
        return []
    after = _after(lex, text, pos, s_end)
    factor = 1.0
    if after.scale:
        factor, pos = _read_scale(lex, text, pos, s_end)
        after = _after(lex, text, pos, s_end)
    value_max = role_value = fraction = None
    rule = "qty"
    tail = lex.range_tail.match(text, pos, s_end) if after.range else None
    if tail:
        second = _value(tail.group(1))
        factor2, pos2 = _read_scale(lex, text, tail.end(), s_end)
        if second is not None and second > value:
            factor = factor2 if factor2 != 1.0 else factor
            value_max, pos, rule, after = second * factor, pos2, "qty.range", None
    elif after.fraction and (fraction := lex.fraction_tail.match(text, pos, s_end)):
        denominator = _value(fraction.group(1))
        if denominator is not None and denominator >= value:
            role_value, pos, rule, after = denominator, fraction.end(), "qty.fraction", None
    unit = _read_unit(lex, text, pos, s_end, after) or _shared_unit(lex, text, pos, s_end)
    if unit is None:
        return []
    unit_name, unit_end, kind = unit
    if kind != "unit" and _after_name(lex, text, s_start, left, at, before) or kind == "word" and _is_year(token):
        return []
    if rule == "qty.fraction" and unit_name == "percent":
        return []
    value *= factor
    if value_max is not None:
        qualifier, text_start = "range", at
        r = lex.range_start.search(text[max(s_start, at - 10):at])
        if r:
            text_start = at - (len(text[max(s_start, at - 10):at]) - r.start())
        return [Quantity(text_start, unit_end, at, _round(value), unit_name, qualifier, rule, _round(value_max))]
    qualifier, text_start, qrule = _qualifier(lex, text, s_start, s_end, left, at, unit_end, before)
    if qrule != "qty":
        rule = rule if rule != "qty" else qrule
    if kind == "word":
        rule += ".noun"
    figure = Quantity(text_start, unit_end, at, _round(value), unit_name, qualifier, rule)
    if role_value is None:
        return [figure]
    target_at = fraction.start(1)
    target = Quantity(target_at, unit_end, target_at, _round(role_value * factor), unit_name,
                      "exact", "qty.fraction.target", role="target")
    return [figure, target]


def _shared_unit(lex: _Lexicon, text: str, pos: int, end: int):
    """The unit at the end of a list of numbers (`412, 385 và 27 hồ sơ`), as (unit, own end, False)."""
    own_end = pos
    while m := lex.list_next.match(text, pos, end):
        _, pos = _read_scale(lex, text, m.end(), end)
        unit = _read_unit(lex, text, pos, end)
        if unit:
            return unit[0], own_end, unit[2]
    return None


def _vague(lex: _Lexicon, text: str, low: str, start: int, end: int) -> list[Quantity]:
    """Vague amounts (`hàng trăm nguồn tin`, `hàng chục tỷ đồng`): the lower bound, qualifier `vague`."""
    out = []
    if not _holds_any(low, start, end, lex.vague_leads):
        return out
    for m in lex.vague.finditer(low, start, end):
        unit = _read_unit(lex, text, m.end(), end)
        if unit is None:
            continue
        value = 1.0
        for word in m.group(1).split():
            value *= lex.vague_words[word]
        out.append(Quantity(m.start(), unit[1], m.start(), value, unit[0], "vague", "qty.vague"))
    return out


def _is_year(token: str) -> bool:
    return token.isdigit() and len(token) == 4 and 1900 <= int(token) <= 2100


def _round(value: float) -> float:
    """`value` to 12 significant digits (a whole number below 10^12 has no more)."""
    if value.is_integer() and abs(value) < 1e12:
        return value
    return float(f"{value:.12g}")
