"""Deliveries: one row per chat and local day, claimed before sending so a day is never sent twice."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import exc, select
from sqlalchemy.orm import Session

from briefings.store.db import Store
from briefings.store.schema import DeliveryRow, SubscriberRow
from briefings.store.views import DeliveryInfo, DeliveryStatus

__all__ = ["DeliveryInfo", "claim_delivery", "deliveries_for", "mark_failed", "mark_sent",
           "recent_deliveries"]


def _view(row: DeliveryRow) -> DeliveryInfo:
    status: DeliveryStatus = row.status  # type: ignore[assignment]  # written only from DeliveryStatus
    return DeliveryInfo(chat_id=row.chat_id, local_date=row.local_date, status=status, late=row.late,
                        claimed_at=row.claimed_at, sent_at=row.sent_at,
                        message_ids=json.loads(row.message_ids), error=row.error)


def claim_delivery(store: Store, chat_id: int, local_date: dt.date, now: dt.datetime, *,
                   late: bool = False) -> bool:
    """Claim the (chat, day) slot; False when it is already claimed (by this or another process)."""
    try:
        with store.session() as session:
            session.add(DeliveryRow(chat_id=chat_id, local_date=local_date, status="claimed", late=late,
                                    claimed_at=now, sent_at=None, message_ids="[]", error=None))
            session.flush()
    except exc.IntegrityError:
        return False
    return True


def _claimed(session: Session, chat_id: int, local_date: dt.date, now: dt.datetime) -> DeliveryRow:
    row = session.scalars(select(DeliveryRow).where(
        DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == local_date)).first()
    if row is not None:
        return row
    # Marking an unclaimed day records it anyway: the message may already be out.
    return DeliveryRow(chat_id=chat_id, local_date=local_date, status="claimed", late=False, claimed_at=now,
                       sent_at=None, message_ids="[]", error=None)


def mark_sent(store: Store, chat_id: int, local_date: dt.date, message_ids: list[int],
              now: dt.datetime) -> None:
    """Record a sent briefing and the subscriber's last briefing time."""
    with store.session() as session:
        row = _claimed(session, chat_id, local_date, now)
        row.status = "sent"
        row.sent_at = now
        row.message_ids = json.dumps([int(m) for m in message_ids])
        row.error = None
        session.add(row)
        subscriber = session.get(SubscriberRow, chat_id)
        if subscriber is not None:
            subscriber.last_briefing_at = now


def mark_failed(store: Store, chat_id: int, local_date: dt.date, error: str, now: dt.datetime, *,
                status: DeliveryStatus = "failed") -> None:
    """Record a failed (or ambiguous, or skipped) delivery with a short error text."""
    with store.session() as session:
        row = _claimed(session, chat_id, local_date, now)
        row.status = status
        row.error = error[:1000]
        session.add(row)


def deliveries_for(store: Store, local_date: dt.date) -> list[DeliveryInfo]:
    with store.session() as session:
        rows = session.scalars(select(DeliveryRow).where(DeliveryRow.local_date == local_date)
                               .order_by(DeliveryRow.chat_id))
        return [_view(row) for row in rows]


def recent_deliveries(store: Store, limit: int = 10) -> list[DeliveryInfo]:
    """The most recently claimed deliveries, newest first."""
    with store.session() as session:
        newest = select(DeliveryRow).order_by(DeliveryRow.claimed_at.desc(), DeliveryRow.id.desc())
        rows = session.scalars(newest.limit(limit))
        return [_view(row) for row in rows]
