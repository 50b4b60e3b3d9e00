"""Sets of character spans with fast membership and overlap tests."""
from __future__ import annotations

import bisect


class Spans:
    """Spans [start, end) merged into sorted, disjoint runs."""

    def __init__(self, spans=()):
        self.starts: list[int] = []
        self.ends: list[int] = []
        starts, ends = self.starts, self.ends
        reach = None
        for start, end in sorted(spans):
            if ends and start <= reach:
                if end > reach:
                    ends[-1] = reach = end
            else:
                starts.append(start)
                ends.append(end)
                reach = end

    def __contains__(self, pos: int) -> bool:
        i = bisect.bisect_right(self.starts, pos) - 1
        return i >= 0 and pos < self.ends[i]

    def overlaps(self, start: int, end: int) -> bool:
        """True when [start, end) shares a character with any span."""
        i = bisect.bisect_left(self.ends, start + 1)
        return i < len(self.starts) and self.starts[i] < end

    def holds(self, start: int, end: int) -> bool:
        """True when [start, end) lies inside one span."""
        i = bisect.bisect_right(self.starts, start) - 1
        return i >= 0 and end <= self.ends[i]


def any_between(starts: list[int], start: int, end: int) -> bool:
    """True when one of the sorted `starts` lies in [start, end)."""
    k = bisect.bisect_left(starts, start)
    return k < len(starts) and starts[k] < end


class Excerpts:
    """Pieces [start, end) of a text, in order and disjoint, joined into one string with `sep`
    between them, and the map back from offsets in that string to offsets in the text."""

    def __init__(self, pieces: list[tuple[int, int]], sep: str = ""):
        self.pieces, self.sep = pieces, sep
        self.offsets, at = [], 0
        for start, end in pieces:
            self.offsets.append(at)
            at += end - start + len(sep)

    def join(self, text: str) -> str:
        return self.sep.join(text[start:end] for start, end in self.pieces)

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The text offsets of [start, end) of the joined string (within one piece)."""
        i = bisect.bisect_right(self.offsets, start) - 1
        shift = self.pieces[i][0] - self.offsets[i]
        return start + shift, end + shift
