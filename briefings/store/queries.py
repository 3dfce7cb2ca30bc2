"""The read side: what commands, the bot and the summariser ask the store. Returns models only.

Every query is one or two indexed selects over the denormalised fact rows; pages start at 1.
Names are matched on folded keys (case, accents and punctuation ignored), by exact key, alias or
key prefix, so "Öztürk", "ozturk" and "Selim Öztürk" find the same person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, case, func, null, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from briefings.errors import InputError, NotFoundError
from briefings.models import Story, StoryDeal, StoryEvent, StoryMeeting
from briefings.rates import rate_table
from briefings.store.db import Store
from briefings.store.deliveries import recent_deliveries
from briefings.store.people import entity_keys, person_keys, person_profile
from briefings.store.schema import (
    ArticleRow,
    DealRow,
    EventRow,
    FactEntityRow,
    MeetingRow,
    StoryRow,
    SubscriberRow,
)
from briefings.store.search import search
from briefings.store.views import DealFilter, FactSources, Page, StoreStats, check_date_range

__all__ = [
    "fact_sources",
    "get_story",
    "list_deals",
    "list_meetings",
    "list_stories",
    "person_profile",
    "search",
    "stats",
    "stories_updated_since",
    "timeline",
    "upcoming_events",
]

M = TypeVar("M", bound=BaseModel)
Column = QueryableAttribute[Any]  # a mapped column, as the private helpers below take it
MAX_PAGE_SIZE = 100


MAX_PAGE = 1_000_000  # beyond it an offset overflows SQLite's and PostgreSQL's integers


def check_page(page: int, page_size: int) -> None:
    if page < 1:
        raise InputError(f"page numbers start at 1 (got {page})")
    if page > MAX_PAGE:
        raise InputError(f"page numbers go up to {MAX_PAGE:,} (got a {len(str(page))}-digit one)")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InputError(f"page size must be between 1 and {MAX_PAGE_SIZE} (got {page_size})")


_Tables = type[StoryRow] | type[MeetingRow] | type[DealRow] | type[EventRow]


def paged(session: Session, stmt: Select[tuple[str]], table: _Tables, model: type[M], page: int,
          page_size: int) -> Page[M]:
    """One page of a select of ids, as validated models.

    Ordering and counting run on ids only; the JSON of the page's rows is read afterwards by
    primary key, so a sort never carries the (large) `data` column.
    """
    check_page(page, page_size)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    ids = list(session.scalars(stmt.offset((page - 1) * page_size).limit(page_size)))
    data = dict(session.execute(select(table.id, table.data).where(table.id.in_(ids))).tuples().all())
    return Page[model](items=[model.model_validate_json(data[i]) for i in ids],  # type: ignore[valid-type]
                       total=total, page=page, page_size=page_size)


def _with_entity(fact_id: Column, roles: Sequence[str], keys: set[str],
                 prefix: str | None = None) -> ColumnElement[bool]:
    """Facts having an entity row of one of `roles` whose key is in `keys` (or starts with `prefix`)."""
    # Two subqueries rather than one with OR: each then uses the (role, key) index on every backend.
    exact = fact_id.in_(select(FactEntityRow.fact_id).where(FactEntityRow.role.in_(roles),
                                                            FactEntityRow.key.in_(sorted(keys))))
    if not prefix:
        return exact
    # A range, not LIKE: it uses the index whatever the collation.
    starts = fact_id.in_(select(FactEntityRow.fact_id).where(
        FactEntityRow.role.in_(roles), FactEntityRow.key >= prefix, FactEntityRow.key < prefix + "\uffff"))
    return or_(exact, starts)


def list_stories(store: Store, *, since: dt.datetime | None = None, page: int = 1,
                 page_size: int = 10) -> Page[Story]:
    """Stories, most recently published first (undated last), optionally only those updated since."""
    stmt = select(StoryRow.id)
    if since is not None:
        stmt = stmt.where(StoryRow.updated_at >= since)
    stmt = stmt.order_by(StoryRow.last_published.desc().nulls_last(), StoryRow.updated_at.desc(), StoryRow.id)
    with store.session() as session:
        return paged(session, stmt, StoryRow, Story, page, page_size)


def get_story(store: Store, story_id: str) -> Story:
    """One story by id (`s-…`); `NotFoundError` if the store has none."""
    with store.session() as session:
        row = session.get(StoryRow, story_id.strip())
        if row is None:
            raise NotFoundError(f"no story with id {story_id[:40]!r}")
        return Story.model_validate_json(row.data)


def stories_updated_since(store: Store, since: dt.datetime | None) -> list[Story]:
    """Every story changed after `since` (all when None), oldest change first: the summariser's input."""
    stmt = select(StoryRow.data)
    if since is not None:
        stmt = stmt.where(StoryRow.updated_at > since)
    with store.session() as session:
        rows = session.scalars(stmt.order_by(StoryRow.updated_at, StoryRow.id))
        return [Story.model_validate_json(r) for r in rows]


_LONGEST_SPAN = dt.timedelta(days=366)  # a date at year precision covers at most this


def _overlaps(start_col: Column, end_col: Column,
              start: dt.date | None, end: dt.date | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if end is not None:
        conditions.append(start_col <= end)
    if start is not None:
        # The redundant lower bound on the start lets the date index narrow the scan.
        conditions += [end_col >= start, start_col >= start - _LONGEST_SPAN]
    return conditions


def list_deals(store: Store, flt: DealFilter, *, page: int = 1, page_size: int = 10) -> Page[StoryDeal]:
    """Deals matching every given filter, newest dated first (undated last)."""
    stmt = select(DealRow.id)
    with store.session() as session:
        if flt.party:
            keys, prefix = entity_keys(session, flt.party)
            stmt = stmt.where(_with_entity(DealRow.id, ["party"], keys, prefix))
        if flt.country:
            keys, _ = entity_keys(session, flt.country)
            stmt = stmt.where(_with_entity(DealRow.id, ["country"], keys))
        if flt.kind:
            stmt = stmt.where(DealRow.kind == flt.kind)
        if flt.status:
            stmt = stmt.where(DealRow.status == flt.status)
        amount: ColumnElement[Any] | Column = DealRow.amount
        if flt.currency:
            stmt = stmt.where(DealRow.currency == flt.currency.strip().upper())
        elif flt.min_amount is not None or flt.max_amount is not None:
            # Across currencies: compared in the rate table's base currency (no rate: left out).
            # Only the currencies the store holds go into the CASE (an indexed DISTINCT): a few, not 60.
            rates = rate_table().rates
            held = {c: rates[c] for c in session.scalars(select(DealRow.currency).distinct()) if c in rates}
            amount = DealRow.amount * case(held, value=DealRow.currency, else_=None) if held else null()
        if flt.min_amount is not None:
            stmt = stmt.where(amount >= flt.min_amount)
        if flt.max_amount is not None:
            stmt = stmt.where(amount <= flt.max_amount)
        stmt = stmt.where(*_overlaps(DealRow.date_start, DealRow.date_end, flt.start, flt.end))
        stmt = stmt.order_by(DealRow.date_start.desc().nulls_last(), DealRow.id)
        return paged(session, stmt, DealRow, StoryDeal, page, page_size)


def list_meetings(store: Store, *, person: str | None = None, country: str | None = None, page: int = 1,
                  page_size: int = 10) -> Page[StoryMeeting]:
    """Meetings, calls and visits with that person or in/with that country, newest dated first."""
    stmt = select(MeetingRow.id)
    with store.session() as session:
        if person:
            keys, part = person_keys(session, person)
            roles = ["participant", "participant_part"] if part else ["participant"]
            stmt = stmt.where(_with_entity(MeetingRow.id, roles, keys | ({part} if part else set())))
        if country:
            keys, _ = entity_keys(session, country)
            stmt = stmt.where(or_(_with_entity(MeetingRow.id, ["country"], keys),
                                  _with_entity(MeetingRow.story_id, ["country"], keys)))
        stmt = stmt.order_by(MeetingRow.date_start.desc().nulls_last(), MeetingRow.id)
        return paged(session, stmt, MeetingRow, StoryMeeting, page, page_size)


_ENTITY_ROLES = ("person", "person_part", "participant", "party", "country")


def timeline(store: Store, *, entity: str | None = None, start: dt.date | None = None,
             end: dt.date | None = None, page: int = 1, page_size: int = 20) -> Page[StoryEvent]:
    """Dated events in date order (at their precision: a month sorts at its first day)."""
    check_date_range(start, end)
    stmt = _events_overlapping(start, end)
    with store.session() as session:
        if entity:
            keys, prefix = entity_keys(session, entity)
            people, part = person_keys(session, entity)
            keys |= people | ({part} if part else set())
            stmt = stmt.where(_with_entity(EventRow.story_id, _ENTITY_ROLES, keys, prefix))
        stmt = stmt.order_by(EventRow.date_start, EventRow.date_end, EventRow.id)
        return paged(session, stmt, EventRow, StoryEvent, page, page_size)


def _events_overlapping(start: dt.date | None, end: dt.date | None) -> Select[tuple[str]]:
    """Ids of events whose date span meets [start, end]. On SQLite the (date_start, date_end) index
    is named: without statistics the planner takes the date_start one and reads a year of rows to
    test date_end (40 ms at 10,000 articles, 6 ms with the span index; bench/README.md)."""
    stmt = select(EventRow.id).where(*_overlaps(EventRow.date_start, EventRow.date_end, start, end))
    if start is not None:
        stmt = stmt.with_hint(EventRow, "INDEXED BY ix_events_date_span", dialect_name="sqlite")
    return stmt


def upcoming_events(store: Store, *, today: dt.date, days: int = 30, limit: int = 50) -> list[StoryEvent]:
    """Events whose date falls in the next `days` days (today included), soonest first, at most `limit`."""
    horizon = today + dt.timedelta(days=days)
    stmt = _events_overlapping(today, horizon)
    with store.session() as session:
        ids = list(session.scalars(stmt.order_by(EventRow.date_start, EventRow.id).limit(limit)))
        found = session.execute(select(EventRow.id, EventRow.data).where(EventRow.id.in_(ids)))
        data = dict(found.tuples().all())
        return [StoryEvent.model_validate_json(data[i]) for i in ids]


def fact_sources(store: Store, fact_id: str) -> FactSources:
    """Every source of one meeting, deal or event, with disagreements; `NotFoundError` if unknown."""
    fact_id = fact_id.strip()
    with store.session() as session:
        found: FactSources | None = None
        if fact_id.startswith("m-") and (m := session.get(MeetingRow, fact_id)) is not None:
            meeting = StoryMeeting.model_validate_json(m.data)
            found = FactSources(id=fact_id, kind="meeting", label=m.label, sources=meeting.sources,
                                disagreements=meeting.disagreements, story_id=m.story_id)
        elif fact_id.startswith("d-") and (d := session.get(DealRow, fact_id)) is not None:
            deal = StoryDeal.model_validate_json(d.data)
            found = FactSources(id=fact_id, kind="deal", label=d.label, sources=deal.sources,
                                disagreements=deal.disagreements, status_history=deal.status_history,
                                story_id=d.story_id)
        elif fact_id.startswith("e-") and (e := session.get(EventRow, fact_id)) is not None:
            event = StoryEvent.model_validate_json(e.data)
            found = FactSources(id=fact_id, kind="event", label=e.label, sources=event.sources,
                                story_id=e.story_id)
        if found is not None:
            ids = sorted({ev.article_id for ev in found.sources})
            titled = session.execute(select(ArticleRow.id, ArticleRow.title).where(ArticleRow.id.in_(ids)))
            found.titles = {i: " ".join(t.split()) for i, t in titled.tuples() if t and t.strip()}
            return found
    raise NotFoundError(f"no meeting, deal or event with id {fact_id[:40]!r}")


def stats(store: Store) -> StoreStats:
    """Counts for the admin: articles, stories, facts, subscribers, and the latest deliveries."""
    with store.session() as session:
        def count(column: Column, *where: ColumnElement[bool]) -> int:
            return session.scalar(select(func.count(column)).where(*where)) or 0

        result = StoreStats(
            articles=count(ArticleRow.id), stories=count(StoryRow.id), meetings=count(MeetingRow.id),
            deals=count(DealRow.id), events=count(EventRow.id), subscribers=count(SubscriberRow.chat_id),
            active_subscribers=count(SubscriberRow.chat_id, SubscriberRow.active.is_(True)))
    result.last_deliveries = recent_deliveries(store)
    return result
