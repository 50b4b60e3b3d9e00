"""Figures in a sentence: a number with its scale words, unit and qualifier.

Every word list comes from extract/data/; this module only knows the shape of
a Vietnamese quantity:  [qualifier…] [từ] NUMBER [scale…] [(-|đến) NUMBER | /NUMBER] UNIT.
"""
from __future__ import annotations

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
    """Which patterns may match at an offset, judged by the word that starts there."""

    scale: bool
    range: bool
    fraction: bool
    unit: bool
    noun: bool


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
        # possessive: giving back a non-digit never lets a digit follow
        self.digit_groups = regex.compile(rf"\d+(?:\D{{1,{sum(MASK_REACH)}}}+\d+)*")
        joins = {role: alternation(connectives(role), boundary=False) for role in ("list", "range", "range_start")}
        self.list_next = regex.compile(rf"(?:\s*,\s*|\s+{joins['list']}\s+)({NUMBER})(?![\w.,/])")
        cues, allowed = column("not_figure_before.csv", "word"), column("figure_before.csv", "phrase")
        self.cue_before = regex.compile(rf"{alternation(cues)}\s*$", regex.I | regex.REVERSE)
        self.allow_before = regex.compile(rf"{alternation(allowed)}\s*$", regex.I | regex.REVERSE)
        stop = set(column("not_units.csv", "word")) | set(self.scales) | set(self.qualifier_of)
        self.not_unit = {w.lower() for w in stop}
        self.masks = list(patterns("non_figures.csv").values())
        self.mask_patterns = [(p, rule.lower) for rule in self.masks for p in rule.compiled]
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
        self.before = functools.lru_cache(maxsize=WORDS_CACHED)(self._before)
        self.after = functools.lru_cache(maxsize=WORDS_CACHED)(self._after)

    def _before(self, word: str) -> _Before:
        return _Before(*(t.search(word) is not None for t in self.before_tests))

    def _after(self, word: str) -> _After:
        return _After(*(t.search(word) is not None for t in self.after_tests))


@functools.cache
def lexicon() -> _Lexicon:
    return _Lexicon()


def _masked(lex: _Lexicon, text: str, low: str, sentences) -> set[int]:
    """Dates, times, document numbers, phone numbers…: the offsets inside a span whose digits are no figure.

    Each such pattern holds a digit, so the patterns scan only the neighbourhoods
    of the digits of the sentences, joined into one string (one scan per pattern).
    Digits close enough for their neighbourhoods to touch are found as one group."""
    if not sentences:
        return set()
    view = _neighbourhoods(lex, text, sentences[0].start, min(len(text), sentences[-1].end + 1))
    joined, joined_low = view.join(text), view.join(low)
    covered = set()
    for pattern, lower in lex.mask_patterns:
        for m in pattern.finditer(joined_low if lower else joined):
            covered.update(range(*view.original(*m.span())))
    return covered


def _neighbourhoods(lex: _Lexicon, text: str, start: int, end: int) -> Excerpts:
    """The neighbourhoods of the digit groups of text[start:end], NUL between them (no pattern
    crosses a NUL). Groups lie more than the two reaches apart, so neighbourhoods are disjoint."""
    before, after = MASK_REACH
    return Excerpts([(max(start, m.start() - before), min(end, m.end() + after))
                     for m in lex.digit_groups.finditer(text, start, end)], "\0")


BEFORE_REACH = 40
"""How far before a number its left-context patterns look (qualifiers; cues and names look 30)."""

AFTER_REACH = 24
"""How far after an offset the word that starts there is read; a longer one is not judged."""


def _word_before(text: str, sentence_start: int, at: int) -> str:
    """The word just before `at` (trailing spaces skipped, cut at the reach): each left-context
    pattern that matches before `at` ends in it."""
    return text[max(sentence_start, at - BEFORE_REACH):at].rstrip().rpartition(" ")[2]


def _after(lex: _Lexicon, text: str, pos: int, end: int) -> _After:
    """Which patterns may match at `pos`, judged by the word that starts there after any spaces."""
    reach = min(end, pos + AFTER_REACH)
    word, space, _ = text[pos:reach].lstrip().partition(" ")
    return lex.after(word) if space or reach == end else _ANYTHING


def _glued_match(lex: _Lexicon, pattern, text: str, pos: int, end: int):
    """The match of a unit or noun `pattern` at `pos`, unless glued to the number without being listed so."""
    m = pattern.match(text, pos, end)
    return m if m and (m.start(1) > pos or m.group(1).lower() in lex.glued) else None


def _read_unit(lex: _Lexicon, text: str, pos: int, end: int, after: _After | None = None):
    """(unit, end offset, kind) of the unit at `pos`, or None. `kind` is `unit` for a schema unit,
    `noun` for a listed counting noun and `word` for any other word that follows the number
    (`after`: what may match at `pos`, when known). The longer of a unit and a noun wins, a unit on a tie."""
    if after is None:
        after = _after(lex, text, pos, end)
    m = _glued_match(lex, lex.unit, text, pos, end) if after.unit else None
    kind = "unit"
    if after.noun and (noun := _glued_match(lex, lex.compound, text, pos, end)) and (not m or noun.end() > m.end()):
        m, kind = noun, "noun"
    if m:
        surface = m.group(1).lower()
        unit = lex.unit_of.get(surface, surface) if kind == "unit" else surface
    elif pos < end and (text[pos].isalpha() or text[pos] == "%"):
        return None
    else:
        m = lex.word_after.match(text, pos, end)
        if not m or m.group(1).lower() in lex.not_unit:
            return None
        surface = unit = m.group(1).lower()
        kind = "word"
    d = text.find("/", m.end(), end) >= 0 and lex.divisor.match(text, m.end(), end)
    if d:
        return f"{surface}/{d.group(1).lower()}", d.end(), kind
    return unit, m.end(), kind


def _read_scale(lex: _Lexicon, text: str, pos: int, end: int) -> tuple[float, int]:
    factor = 1.0
    while m := lex.scale.match(text, pos, end):
        factor *= lex.scales[m.group(1)]
        pos = m.end()
    return factor, pos


def _qualifier(lex: _Lexicon, text: str, sentence_start: int, sentence_end: int,
               at: int, figure_end: int, before: _Before) -> tuple[str, int, str]:
    """(qualifier, text start, rule) from the words just before offset `at`.

    `hơn` after a comparative adjective completes a comparison (`thấp hơn 8% so với
    năm trước`) when the sentence names what is compared with: then it is no bound.
    """
    if not before.qualifier:
        return "exact", at, "qty"
    left = text[max(sentence_start, at - 40):at]
    m = lex.qualifier_stack.search(left)
    if not m:
        return "exact", at, "qty"
    base = at - len(left)
    words = [(w.group(), base + m.start() + w.start()) for w in lex.qualifier_word.finditer(m.group())]
    if (lex.comparative.search(text[max(sentence_start, words[0][1] - 20):words[0][1]])
            and lex.compared_with.search(text, at, sentence_end)):
        return "exact", at, "qty.comparative"
    kinds = [(lex.qualifier_of[w.lower()], pos, w.lower()) for w, pos in words]
    bounds = [k for k in kinds if k[0] != "approx"]
    kind, pos, word = bounds[-1] if bounds else kinds[0]
    cancel = lex.cancelled_after.get(word)
    if cancel and cancel.match(text, figure_end, sentence_end):
        return "exact", at, "qty.target_exceeded"
    return kind, pos, f"qty.qualifier.{kind}"


def _excluded_before(lex: _Lexicon, text: str, sentence_start: int, at: int, before: _Before) -> bool:
    """True when the words before `at` make the number a date, name or identifier."""
    if not before.cue:
        return False
    left = text[max(sentence_start, at - 30):at]
    if before.allow and lex.allow_before.search(left):
        return False
    return bool(lex.cue_before.search(left))


def _glued_left(text: str, at: int, sentence_start: int) -> bool:
    """A number glued to a word or code before it (COVID-19, I/2022, 4D)."""
    if at <= sentence_start:
        return False
    prev = text[at - 1]
    if prev.isalnum() or prev in "_":
        return True
    return prev in "-/." and at - 2 >= sentence_start and text[at - 2].isalnum()


def _after_name(lex: _Lexicon, text: str, sentence_start: int, at: int, before: _Before) -> bool:
    """A number right after a capitalised word inside the sentence (Nậm Chim 1, Tổ 5)."""
    if not before.name:
        return False
    left = text[max(sentence_start, at - 30):at]
    m = lex.name_before.search(left)
    if not m:
        return False
    prefix = text[sentence_start:at - len(left) + m.start()].rstrip()
    return bool(prefix) and prefix[-1] not in ",:;(“\"-–"


def _holds_any(low: str, start: int, end: int, words) -> bool:
    """True when one of `words` stands in low[start:end] (as it must where a vague amount is)."""
    return any(low.find(w, start, end) >= 0 for w in words)


def may_hold_figures(low: str, start: int, end: int) -> bool:
    """A cheap test: only text with a digit or a vague amount can hold a figure (`low`: lowered text)."""
    lex = lexicon()
    return lex.digit.search(low, start, end) is not None or (
        _holds_any(low, start, end, lex.vague_leads) and lex.vague.search(low, start, end) is not None)


def find_quantities(text: str, low: str, sentences) -> list[list[Quantity]]:
    """The figures of each sentence (objects with `start` and `end` into the normalised text;
    `low` is that text lowered)."""
    lex = lexicon()
    masks = _masked(lex, text, low, sentences)
    out: list[list[Quantity]] = []
    for sentence in sentences:
        start, end = sentence.start, sentence.end
        found = _vague(lex, text, low, start, end)
        taken = Spans((q.start, q.end) for q in found) if found else None
        pos = start
        while m := lex.number.search(text, pos, end):
            pos = m.end()
            if m.start() in masks or taken and m.start() in taken:
                continue
            figures = _quantity(lex, text, start, end, m)
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


def _quantity(lex: _Lexicon, text: str, s_start: int, s_end: int, m) -> list[Quantity]:
    """The figure(s) a number match starts, or [] when it is not a figure."""
    at = m.start()
    if _glued_left(text, at, s_start):
        return []
    before = lex.before(_word_before(text, s_start, at))
    if _excluded_before(lex, text, s_start, at, before):
        return []
    value = _value(m.group())
    if value is None:
        return []
    pos = m.end()
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
    if kind != "unit" and _after_name(lex, text, s_start, at, before) or kind == "word" and _is_year(m.group()):
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
    qualifier, text_start, qrule = _qualifier(lex, text, s_start, s_end, at, unit_end, before)
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
