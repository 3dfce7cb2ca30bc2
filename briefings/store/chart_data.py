"""What charts read: every deal a filter matches (not one page), and the countries facts are indexed under."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from sqlalchemy import select

from briefings.models import StoryDeal, StoryEvent, StoryMeeting
from briefings.store import queries
from briefings.store.db import Store
from briefings.store.schema import FactEntityRow
from briefings.store.views import DealFilter, Page

T = TypeVar("T")

MAX_FACTS = 2000  # a chart of more is unreadable anyway; the caption counts what it drew
_PAGE = 100


def _all(fetch: Callable[[int], Page[T]], limit: int) -> list[T]:
    """Every item of a paged query, up to `limit`."""
    found: list[T] = []
    page = 1
    while len(found) < limit:
        result = fetch(page)
        found += result.items
        if page >= result.pages:
            break
        page += 1
    return found[:limit]


def matching_deals(store: Store, flt: DealFilter, limit: int = MAX_FACTS) -> list[StoryDeal]:
    return _all(lambda p: queries.list_deals(store, flt, page=p, page_size=_PAGE), limit)


def entity_facts(store: Store, entity: str,
                 limit: int = MAX_FACTS) -> tuple[list[StoryMeeting], list[StoryDeal], list[StoryEvent]]:
    """Meetings with, deals of, and timeline events about one person, organisation or country."""
    meetings = _all(lambda p: queries.list_meetings(store, person=entity, page=p, page_size=_PAGE), limit)
    events = _all(lambda p: queries.timeline(store, entity=entity, page=p, page_size=_PAGE), limit)
    return meetings, matching_deals(store, DealFilter(party=entity), limit), events


def fact_countries(store: Store, fact_ids: Sequence[str]) -> dict[str, list[str]]:
    """The country codes each fact is indexed under (a deal's parties' countries)."""
    found: dict[str, list[str]] = {}
    if not fact_ids:
        return found
    with store.session() as session:
        for start in range(0, len(fact_ids), 500):
            rows = session.execute(select(FactEntityRow.fact_id, FactEntityRow.key).where(
                FactEntityRow.fact_id.in_(sorted(set(fact_ids[start:start + 500]))),
                FactEntityRow.role == "country"))
            for fact_id, key in rows:
                found.setdefault(fact_id, []).append(key)
    return found
