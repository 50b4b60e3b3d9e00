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
"""Spaces as `regex` reads `\\s` (`str.isspace` is wider): a line of them holds no text."""


_FULL_STOP, _OTHER_STOPS = ".", "!?…"


@functools.cache
def _sentence_end(stops: str):
    """Sentence ends in a text whose stops are among `stops` (one alone scans several times faster)."""
    abbreviations = alternation(column("abbreviations.csv", "abbreviation"), boundary=False)
    # A stop not after an abbreviation, then more stops, space and an opening character, or a
    # full stop glued to a capitalised word. (The first lookahead only says what may follow a
    # stop at all: most full stops, in numbers, fail there.)
    return regex.compile(
        rf"[{stops}](?=[{stops}”\"’)\s\p{{Lu}}])(?<!(?<![\w.])(?i:{abbreviations}).)"
        rf"(?:[{stops}]*[”\"’)]?(?=\s+[\p{{Lu}}\d“\"‘(\-])|(?<=(?:\p{{Ll}}{{2}}|\d)\.)(?=\p{{Lu}}\p{{Ll}}))"
    )


@functools.cache
def _marker():
    """A line that is only a related-news marker (`Tin liên quan:`), and the longest marker's length."""
    markers = column("related_news_markers.csv", "marker")
    words = alternation(markers, boundary=False)
    return regex.compile(rf"^\W*{words}\W*$", regex.IGNORECASE), max(map(len, markers))


def _is_marker(line: str) -> bool:
    """True when `line` is only a related-news marker.

    A line that opens with a letter and has another past the longest marker's length is none
    (letters are word characters, and matching without case keeps lengths): most lines stop there."""
    marker, longest = _marker()
    if len(line) > longest and line[0].isalpha() and line[longest].isalpha():
        return False
    return marker.match(line.strip()) is not None


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines; lines after a related-news marker are grouped into teaser items."""
    out, at, block_at = [], 0, None
    for line in text.split("\n"):
        end = at + len(line)
        if line and not (line.isspace() and _BLANK.fullmatch(line)):
            if block_at is None and _is_marker(line):
                block_at = len(out)
            out.append(Paragraph(at, end, len(out)))
        at = end + 1
    if block_at is None:
        return out
    teasers = [None] * block_at + [-1] + _teaser_items(out[block_at + 1:])
    return [p._replace(teaser=teaser) for p, teaser in zip(out, teasers)]


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
