"""One spelling for every rule: NFC, modern tone placement, plain spaces and dashes.

The normalised text keeps a map back to the text as read, so that a span found
in it can be reported as offsets into the original.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

import regex

from .lexicon import rows

_SPACES = "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\f\v"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
_DROP = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_PLAIN = {**{c: " " for c in _SPACES}, **{c: "-" for c in _DASHES}}


@functools.cache
def _tone_rules():
    """Old → new tone placement, word-final only and not after `q` (quý stays quý); and quick
    tests that find every place the rule may apply.

    The tests, one per first letter, count only ASCII word characters as letters that may follow,
    and the standard `re` scans for a letter several times faster: where they find nothing, the
    rule finds nothing either."""
    table = {}
    for r in rows("tone_placement.csv"):
        for old, new in ((r["old"], r["new"]), (r["old"].capitalize(), r["new"].capitalize()),
                         (r["old"].upper(), r["new"].upper())):
            table[old] = new
    firsts = "".join(sorted({old[0] for old in table}))
    seconds = "".join(sorted({old[1] for old in table}))
    pattern = regex.compile(rf"(?<![qQ])[{firsts}][{seconds}](?!\w)")
    maybe = tuple(re.compile(rf"{first}(?<![qQ].)[{seconds}](?![A-Za-z0-9_])") for first in firsts)
    return pattern, maybe, table


@dataclass(frozen=True)
class Normalized:
    """Normalised text and, when lengths differ, each character's original span."""

    text: str
    starts: tuple[int, ...] | None = None
    ends: tuple[int, ...] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Offsets in the text as read of the normalised span [start, end)."""
        if self.starts is None:
            return start, end
        return self.starts[start], self.ends[end - 1] if end > start else self.starts[start]


def _compose(text: str) -> Normalized:
    """NFC with a character map; drops invisible characters."""
    out, starts, ends = [], [], []
    i, n = 0, len(text)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(text[j]):
            j += 1
        cluster = text[i:j]
        if cluster in _DROP:
            i = j
            continue
        for ch in unicodedata.normalize("NFC", cluster):
            out.append(ch)
            starts.append(i)
            ends.append(j)
        i = j
    starts.append(n)
    ends.append(n)
    return Normalized("".join(out), tuple(starts), tuple(ends))


def normalize(text: str) -> Normalized:
    """Text every rule can read; offsets map back through `original_span`."""
    if unicodedata.is_normalized("NFC", text) and not any(c in text for c in _DROP):
        norm = Normalized(text)
    else:
        norm = _compose(text)
    body = norm.text
    for odd, plain in _PLAIN.items():
        if odd in body:
            body = body.replace(odd, plain)
    pattern, maybe, table = _tone_rules()
    if any(test.search(body) for test in maybe):
        body = pattern.sub(lambda m: table.get(m.group(), m.group()), body)
    return Normalized(body, norm.starts, norm.ends)


@functools.lru_cache(maxsize=65536)
def normalize_name(name: str) -> str:
    """A place or word list entry in the same spelling as normalised text."""
    return normalize(name).text.strip()


def lowered(text: str) -> str:
    """`text` in lower case, character for character (offsets stay valid)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
