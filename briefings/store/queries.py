"""The read side: what commands, the bot and the summariser ask the store. Returns models only.

Every query is one or two indexed selects over the denormalised fact rows; pages start at 1.
Names are matched on folded keys (case, accents and punctuation ignored), by exact key, alias or
key prefix, so "Erdogan", "erdoğan" and "Recep Tayyip Erdogan" find the same person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import QueryableAttribute, Session

from briefings.errors import InputError, NotFoundError
from briefings.models import Story, StoryDeal, StoryEvent, StoryMeeting
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


def check_page(page: int, page_size: int) -> None:
    if page < 1:
        raise InputError(f"page numbers start at 1 (got {page})")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InputError(f"page size must be between 1 and {MAX_PAGE_SIZE} (got {page_size})")


def paged(session: Session, stmt: Select[tuple[str]], model: type[M], page: int, page_size: int) -> Page[M]:
    """Run a select of JSON `data` columns as one page of validated models."""
    check_page(page, page_size)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    rows = session.scalars(stmt.offset((page - 1) * page_size).limit(page_size))
    return Page[model](items=[model.model_validate_json(r) for r in rows],  # type: ignore[valid-type]
                       total=total, page=page, page_size=page_size)


def _with_entity(fact_id: Column, roles: Sequence[str], keys: set[str],
                 prefix: str | None = None) -> ColumnElement[bool]:
    """Facts having an entity row of one of `roles` whose key is in `keys` (or starts with `prefix`)."""
    match: ColumnElement[bool] = FactEntityRow.key.in_(sorted(keys)) if keys else FactEntityRow.key.is_(None)
    if prefix:
        # A range, not LIKE: it uses the (role, key) index on every backend.
        match = or_(match, and_(FactEntityRow.key >= prefix, FactEntityRow.key < prefix + "\uffff"))
    return fact_id.in_(select(FactEntityRow.fact_id).where(FactEntityRow.role.in_(roles), match))


def list_stories(store: Store, *, since: dt.datetime | None = None, page: int = 1,
                 page_size: int = 10) -> Page[Story]:
    """Stories, most recently published first (undated last), optionally only those updated since."""
    stmt = select(StoryRow.data)
    if since is not None:
        stmt = stmt.where(StoryRow.updated_at >= since)
    stmt = stmt.order_by(StoryRow.last_published.is_(None), StoryRow.last_published.desc(),
                         StoryRow.updated_at.desc(), StoryRow.id)
    with store.session() as session:
        return paged(session, stmt, Story, page, page_size)


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


def _overlaps(start_col: Column, end_col: Column,
              start: dt.date | None, end: dt.date | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if end is not None:
        conditions.append(start_col <= end)
    if start is not None:
        conditions.append(end_col >= start)
    return conditions


def list_deals(store: Store, flt: DealFilter, *, page: int = 1, page_size: int = 10) -> Page[StoryDeal]:
    """Deals matching every given filter, newest dated first (undated last)."""
    stmt = select(DealRow.data)
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
        if flt.currency:
            stmt = stmt.where(DealRow.currency == flt.currency.strip().upper())
        if flt.min_amount is not None:
            stmt = stmt.where(DealRow.amount >= flt.min_amount)
        if flt.max_amount is not None:
            stmt = stmt.where(DealRow.amount <= flt.max_amount)
        stmt = stmt.where(*_overlaps(DealRow.date_start, DealRow.date_end, flt.start, flt.end))
        stmt = stmt.order_by(DealRow.date_start.is_(None), DealRow.date_start.desc(), DealRow.id)
        return paged(session, stmt, StoryDeal, page, page_size)


def list_meetings(store: Store, *, person: str | None = None, country: str | None = None, page: int = 1,
                  page_size: int = 10) -> Page[StoryMeeting]:
    """Meetings, calls and visits with that person or in/with that country, newest dated first."""
    stmt = select(MeetingRow.data)
    with store.session() as session:
        if person:
            keys, part = person_keys(session, person)
            roles = ["participant", "participant_part"] if part else ["participant"]
            stmt = stmt.where(_with_entity(MeetingRow.id, roles, keys | ({part} if part else set())))
        if country:
            keys, _ = entity_keys(session, country)
            stmt = stmt.where(or_(_with_entity(MeetingRow.id, ["country"], keys),
                                  _with_entity(MeetingRow.story_id, ["country"], keys)))
        stmt = stmt.order_by(MeetingRow.date_start.is_(None), MeetingRow.date_start.desc(), MeetingRow.id)
        return paged(session, stmt, StoryMeeting, page, page_size)


_ENTITY_ROLES = ("person", "person_part", "participant", "party", "country")


def timeline(store: Store, *, entity: str | None = None, start: dt.date | None = None,
             end: dt.date | None = None, page: int = 1, page_size: int = 20) -> Page[StoryEvent]:
    """Dated events in date order (at their precision: a month sorts at its first day)."""
    check_date_range(start, end)
    stmt = select(EventRow.data).where(*_overlaps(EventRow.date_start, EventRow.date_end, start, end))
    with store.session() as session:
        if entity:
            keys, prefix = entity_keys(session, entity)
            people, part = person_keys(session, entity)
            keys |= people | ({part} if part else set())
            stmt = stmt.where(_with_entity(EventRow.story_id, _ENTITY_ROLES, keys, prefix))
        stmt = stmt.order_by(EventRow.date_start, EventRow.date_end, EventRow.id)
        return paged(session, stmt, StoryEvent, page, page_size)


def upcoming_events(store: Store, *, today: dt.date, days: int = 30) -> list[StoryEvent]:
    """Events whose date falls in the next `days` days (today included), soonest first."""
    horizon = today + dt.timedelta(days=days)
    stmt = select(EventRow.data).where(EventRow.date_end >= today, EventRow.date_start <= horizon)
    with store.session() as session:
        rows = session.scalars(stmt.order_by(EventRow.date_start, EventRow.id))
        return [StoryEvent.model_validate_json(r) for r in rows]


def fact_sources(store: Store, fact_id: str) -> FactSources:
    """Every source of one meeting, deal or event, with disagreements; `NotFoundError` if unknown."""
    fact_id = fact_id.strip()
    with store.session() as session:
        if fact_id.startswith("m-") and (m := session.get(MeetingRow, fact_id)) is not None:
            meeting = StoryMeeting.model_validate_json(m.data)
            return FactSources(id=fact_id, kind="meeting", label=m.label, sources=meeting.sources,
                               disagreements=meeting.disagreements)
        if fact_id.startswith("d-") and (d := session.get(DealRow, fact_id)) is not None:
            deal = StoryDeal.model_validate_json(d.data)
            return FactSources(id=fact_id, kind="deal", label=d.label, sources=deal.sources,
                               disagreements=deal.disagreements, status_history=deal.status_history)
        if fact_id.startswith("e-") and (e := session.get(EventRow, fact_id)) is not None:
            event = StoryEvent.model_validate_json(e.data)
            return FactSources(id=fact_id, kind="event", label=e.label, sources=event.sources)
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
