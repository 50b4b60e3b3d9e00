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
