"""Paragraphs, sentences and related-news (teaser) blocks of a normalised article."""
from __future__ import annotations

import functools
from typing import NamedTuple

import regex

from .lexicon import alternation, column


class Paragraph(NamedTuple):
    """A line of the article [start, end); `teaser` is the index of its related-news item, or None."""

    start: int
    end: int
    index: int
    teaser: int | None = None


class Sentence(NamedTuple):
    """A sentence [start, end) of the paragraph numbered `paragraph`."""

    start: int
    end: int
    paragraph: int


_BLANK = regex.compile(r"\s*")


def _has_text(line: str) -> bool:
    """True when `line` holds a character other than a space (`\\s`; `str.isspace` is wider)."""
    return bool(line) and not (line.isspace() and _BLANK.fullmatch(line))


_FULL_STOP, _OTHER_STOPS = ".", "!?…"


@functools.cache
def _sentence_end(stops: str):
    """Sentence ends in a text whose stops are among `stops` (one alone scans several times faster)."""
    abbreviations = alternation(column("abbreviations.csv", "abbreviation"), boundary=False)
    # A stop not after an abbreviation, then more stops, space and an opening character, or a
    # full stop glued to a capitalised word.
    return regex.compile(
        rf"[{stops}](?<!(?<![\w.])(?i:{abbreviations}).)"
        rf"(?:[{stops}]*[”\"’)]?(?=\s+[\p{{Lu}}\d“\"‘(\-])|(?<=(?:\p{{Ll}}{{2}}|\d)\.)(?=\p{{Lu}}\p{{Ll}}))"
    )


@functools.cache
def _marker():
    words = alternation(column("related_news_markers.csv", "marker"), boundary=False)
    return regex.compile(rf"^\W*{words}\W*$", regex.IGNORECASE)


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines; lines after a related-news marker are grouped into teaser items."""
    spans, lines, at = [], [], 0
    for line in text.split("\n"):
        if _has_text(line):
            spans.append((at, at + len(line)))
            lines.append(line)
        at += len(line) + 1
    marker = _marker()
    block_at = next((i for i, line in enumerate(lines) if marker.match(line.strip())), None)
    if block_at is None:
        return [Paragraph(s, e, i) for i, (s, e) in enumerate(spans)]
    teasers = [None] * block_at + [-1] + _teaser_items(spans[block_at + 1:])
    return [Paragraph(s, e, i, teaser) for i, ((s, e), teaser) in enumerate(zip(spans, teasers))]


def _teaser_items(spans) -> list[int]:
    """Item number of each teaser line: a headline and the longer lead that follows it."""
    items, item, i = [0] * len(spans), 0, 0
    while i < len(spans):
        items[i] = item
        length = spans[i][1] - spans[i][0]
        if i + 1 < len(spans) and spans[i + 1][1] - spans[i + 1][0] > length:
            items[i + 1] = item
            i += 1
        item += 1
        i += 1
    return items


def sentences(text: str, paragraph: Paragraph) -> list[Sentence]:
    """Sentences of one paragraph; abbreviations and number separators do not end one."""
    base, end, index = paragraph.start, paragraph.end, paragraph.index
    out, start, body = [], base, text[base:end]
    stops = _FULL_STOP + _OTHER_STOPS if any(c in body for c in _OTHER_STOPS) else _FULL_STOP
    for m in _sentence_end(stops).finditer(body):
        stop = base + m.end()
        out.append(Sentence(start, stop, index))
        start = stop
        while start < end and text[start].isspace():
            start += 1
    if text[start:end].strip():  # only this last one may be blank: the others hold their stop
        out.append(Sentence(start, end, index))
    return out
