"""Greedy one-to-one assignment of one article's facts to the fact groups built so far."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

Item = TypeVar("Item")
G = TypeVar("G")


def assign(items: Sequence[Item], groups: Sequence[G],
           match: Callable[[G, Item], float | None]) -> list[tuple[Item, G | None]]:
    """Pair each item with the best-scoring free group (None: it starts a new group).

    One article states a fact once, so no two of its items may join the same group; best scores
    are served first and ties go to the earlier item and group, which keeps the result deterministic.
    """
    pairs = [(score, i, g) for i, item in enumerate(items) for g, group in enumerate(groups)
             if (score := match(group, item)) is not None]
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    chosen: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, g in pairs:
        if i not in chosen and g not in taken:
            chosen[i] = g
            taken.add(g)
    return [(item, groups[chosen[i]] if i in chosen else None) for i, item in enumerate(items)]
