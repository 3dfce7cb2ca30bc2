"""Overlap tests against a fixed set of character spans in O(log n) (bisect), not a scan per query."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable


class SpanIndex:
    """Spans `[start, end)` fixed at construction; `overlaps(a, b)` is `any(s < b and a < e)`."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [s for s, _ in ordered]
        # _reach[i]: the furthest end among the first i spans (by start), so one bisect answers a query.
        self._reach = [0] * (len(ordered) + 1)
        furthest = -1
        for i, (_, end) in enumerate(ordered):
            furthest = max(furthest, end)
            self._reach[i + 1] = furthest
        self._reach[0] = -1

    def overlaps(self, start: int, end: int) -> bool:
        """Does any span start before `end` and end after `start`?"""
        count = bisect_left(self._starts, end)
        return count > 0 and self._reach[count] > start

    def covers(self, point: int) -> bool:
        """Is `point` inside a span (start <= point < end)?"""
        return self.overlaps(point, point + 1)
