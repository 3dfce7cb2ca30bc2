"""Subscribers: who gets a briefing, in which timezone and at what local time, active or not."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Sequence

from sqlalchemy import and_, bindparam, or_, select, update

from briefings.errors import InputError, NotFoundError
from briefings.store.db import Store
from briefings.store.schema import EVALUATE_NOW, DeliveryRow, SubscriberRow
from briefings.store.views import Subscriber

__all__ = [
    "Subscriber",
    "check_timezone",
    "deactivate",
    "due_subscribers",
    "get_subscriber",
    "list_active",
    "migrate_chat",
    "set_next_due",
    "update_settings",
    "upsert_subscriber",
]


def check_timezone(name: str) -> str:
    """The IANA zone name as given; `InputError` when no such zone exists."""
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise InputError(f"unknown timezone {name!r}: use an IANA name such as Europe/Berlin") from error
    return name


def _view(row: SubscriberRow) -> Subscriber:
    return Subscriber(chat_id=row.chat_id, user_id=row.user_id, chat_type=row.chat_type,
                      timezone=row.timezone, delivery_time=row.delivery_time, active=row.active,
                      created_at=row.created_at, last_briefing_at=row.last_briefing_at,
                      language=row.language)


def upsert_subscriber(store: Store, chat_id: int, *, user_id: int | None, chat_type: str, timezone: str,
                      delivery_time: dt.time, now: dt.datetime) -> Subscriber:
    """Add a subscriber, or re-activate one; a returning subscriber keeps their saved settings."""
    check_timezone(timezone)
    with store.session() as session:
        row = session.get(SubscriberRow, chat_id)
        if row is None:
            row = SubscriberRow(chat_id=chat_id, user_id=user_id, chat_type=chat_type, timezone=timezone,
                                delivery_time=delivery_time.replace(tzinfo=None), language="en",
                                active=True, inactive_reason=None, created_at=now,
                                last_briefing_at=None)
            session.add(row)
        else:
            row.user_id = user_id if user_id is not None else row.user_id
            row.chat_type = chat_type
            row.active = True
            row.inactive_reason = None
            row.next_due_at = EVALUATE_NOW  # the planner looks again
        session.flush()
        return _view(row)


def get_subscriber(store: Store, chat_id: int) -> Subscriber | None:
    with store.session() as session:
        row = session.get(SubscriberRow, chat_id)
        return None if row is None else _view(row)


def update_settings(store: Store, chat_id: int, *, timezone: str | None = None,
                    delivery_time: dt.time | None = None) -> Subscriber:
    """Change timezone and/or delivery time; `InputError` on an unknown zone, `NotFoundError` if absent."""
    if timezone is not None:
        check_timezone(timezone)
    with store.session() as session:
        row = session.get(SubscriberRow, chat_id)
        if row is None:
            raise NotFoundError(f"chat {chat_id} is not subscribed")
        if timezone is not None:
            row.timezone = timezone
        if delivery_time is not None:
            row.delivery_time = delivery_time.replace(tzinfo=None)
        row.next_due_at = EVALUATE_NOW  # the planner looks again
        session.flush()
        return _view(row)


def deactivate(store: Store, chat_id: int, reason: str) -> None:
    """Stop deliveries (unsubscribed, blocked, kicked); settings stay for a return. Unknown chats: no-op."""
    with store.session() as session:
        row = session.get(SubscriberRow, chat_id)
        if row is not None:
            row.active = False
            row.inactive_reason = reason[:500]


def migrate_chat(store: Store, old_chat_id: int, new_chat_id: int) -> None:
    """A group became a supergroup: move the subscriber and its delivery history to the new id."""
    with store.session() as session:
        old = session.get(SubscriberRow, old_chat_id)
        if old is None:
            return
        new = session.get(SubscriberRow, new_chat_id)
        if new is None:
            session.add(SubscriberRow(
                chat_id=new_chat_id, user_id=old.user_id, chat_type="supergroup", timezone=old.timezone,
                delivery_time=old.delivery_time, language=old.language, active=old.active,
                inactive_reason=old.inactive_reason, created_at=old.created_at,
                last_briefing_at=old.last_briefing_at))
        taken = set(session.scalars(select(DeliveryRow.local_date).where(DeliveryRow.chat_id == new_chat_id)))
        for delivery in session.scalars(select(DeliveryRow).where(DeliveryRow.chat_id == old_chat_id)):
            if delivery.local_date in taken:
                session.delete(delivery)
        session.flush()
        session.execute(update(DeliveryRow).where(DeliveryRow.chat_id == old_chat_id)
                        .values(chat_id=new_chat_id))
        session.delete(old)


def list_active(store: Store) -> list[Subscriber]:
    with store.session() as session:
        rows = session.scalars(select(SubscriberRow).where(SubscriberRow.active.is_(True))
                               .order_by(SubscriberRow.chat_id))
        return [_view(row) for row in rows]


DueKey = tuple[dt.datetime, int]


def due_subscribers(store: Store, now: dt.datetime, *, after: DueKey | None = None,
                    limit: int = 1000) -> list[tuple[Subscriber, DueKey]]:
    """Active subscribers whose `next_due_at` is at or before `now`, in (next_due_at, chat) order,
    a page at a time from `after`: one range read on the (active, next_due_at) index, never a
    scan of everyone. Each comes with its key, to pass as `after` for the next page."""
    query = select(SubscriberRow).where(SubscriberRow.active.is_(True), SubscriberRow.next_due_at <= now)
    if after is not None:
        query = query.where(or_(SubscriberRow.next_due_at > after[0], and_(
            SubscriberRow.next_due_at == after[0], SubscriberRow.chat_id > after[1])))
    query = query.order_by(SubscriberRow.next_due_at, SubscriberRow.chat_id).limit(limit)
    with store.session() as session:
        return [(_view(row), (row.next_due_at, row.chat_id)) for row in session.scalars(query)]


def set_next_due(store: Store, changes: Sequence[tuple[int, dt.datetime]]) -> None:
    """Move subscribers' `next_due_at` (the planner, after looking at them), in one statement."""
    if not changes:
        return
    statement = update(SubscriberRow).where(SubscriberRow.chat_id == bindparam("chat")).values(
        next_due_at=bindparam("due", type_=SubscriberRow.next_due_at.type))
    with store.session() as session:
        session.connection().execute(statement, [{"chat": chat, "due": due} for chat, due in changes])
