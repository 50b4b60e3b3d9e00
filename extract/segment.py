"""Paragraphs, sentences and related-news (teaser) blocks of a normalised article."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import regex

from .lexicon import alternation, column


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Paragraph(Span):
    """A line of the article; `teaser` is the index of its related-news item, or None."""

    index: int
    teaser: int | None = None


@dataclass(frozen=True)
class Sentence(Span):
    paragraph: int


@functools.cache
def _sentence_end():
    abbreviations = alternation(column("abbreviations.csv", "abbreviation"), boundary=False)
    # A stop, then space and an opening character, or a stop glued to a capitalised word.
    return regex.compile(
        rf"(?<!(?<![\w.])(?i:{abbreviations}))(?:[.!?…]+[”\"’)]?(?=\s+[\p{{Lu}}\d“\"‘(\-])"
        rf"|(?<=\p{{Ll}}{{2}}|\d)\.(?=\p{{Lu}}\p{{Ll}}))"
    )


@functools.cache
def _marker():
    words = alternation(column("related_news_markers.csv", "marker"), boundary=False)
    return regex.compile(rf"^\W*{words}\W*$", regex.IGNORECASE)


def paragraphs(text: str) -> list[Paragraph]:
    """Non-empty lines; lines after a related-news marker are grouped into teaser items."""
    spans = [(m.start(), m.end()) for m in regex.finditer(r"[^\n]*\S[^\n]*", text)]
    out, block_at = [], None
    for i, (s, e) in enumerate(spans):
        if block_at is None and _marker().match(text[s:e].strip()):
            block_at = i
    items = _teaser_items(text, spans[block_at + 1:]) if block_at is not None else []
    for i, (s, e) in enumerate(spans):
        teaser = None
        if block_at is not None and i > block_at:
            teaser = items[i - block_at - 1]
        elif block_at is not None and i == block_at:
            teaser = -1
        out.append(Paragraph(s, e, i, teaser))
    return out


def _teaser_items(text: str, spans) -> list[int]:
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
    out, start = [], paragraph.start
    body = text[paragraph.start:paragraph.end]
    for m in _sentence_end().finditer(body):
        end = paragraph.start + m.end()
        out.append(Sentence(start, end, paragraph.index))
        start = end
        while start < paragraph.end and text[start].isspace():
            start += 1
    if start < paragraph.end:
        out.append(Sentence(start, paragraph.end, paragraph.index))
    return [s for s in out if text[s.start:s.end].strip()]
