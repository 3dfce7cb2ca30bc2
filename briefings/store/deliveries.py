"""Deliveries: one row per chat and local day, the single source of truth of what went out.

A row's life: `claimed` (committed before anything is sent, by one worker, with a lease) ->
`sent` (with the message ids Telegram returned), or `failed`, `ambiguous` (we cannot know whether
Telegram delivered it), or `skipped`. The unique (chat, local date) key makes a claim exclusive on
every backend: a claim is an `INSERT ... ON CONFLICT DO NOTHING`, so of two processes claiming the
same day exactly one gets the row.

Leases: a live worker renews the leases of every claim it holds (`renew_leases`, a heartbeat), so
a claim that waits in its queue, behind the rate limit or in a flood wait keeps its owner. A claim
whose lease ran out belongs to a process that stopped renewing (it crashed, was killed or cut off);
`reclaim_stale` hands it to another worker (`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, so
concurrent reclaimers never take the same row), never to its own owner.

Fencing and the duplicate flag: `start_send` is written just before each request to Telegram; it
succeeds only while the worker still owns the claim (renewing the lease), and sets `sending_at`
until the answer is recorded. A taken-over claim is flagged `maybe_duplicate` only when
`sending_at` was set: then its old owner may have had the message accepted just before it stopped.
Claims it had not started on are taken over unflagged.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Collection, Sequence
from itertools import groupby

from pydantic import BaseModel, ConfigDict
from sqlalchemy import and_, case, delete, exc, false, func, literal, or_, select, true, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from briefings.store.db import Store
from briefings.store.schema import DeliveryRow, SubscriberRow, UTCDateTime
from briefings.store.views import DeliveryInfo, DeliveryStatus, Subscriber

__all__ = ["LEASE", "Claim", "DayCounts", "DeliveryInfo", "Slot", "claim_batch", "claim_delivery",
           "claims_for", "deliveries_for", "delivery_counts", "delivery_keys", "load_claims",
           "mark_attempt", "mark_failed", "mark_progress", "mark_sent", "recent_deliveries",
           "reclaim_stale", "record_skipped", "release_claims", "renew_lease", "renew_leases",
           "start_send"]

LEASE = dt.timedelta(minutes=5)
FINAL: tuple[DeliveryStatus, ...] = ("sent", "failed", "ambiguous", "skipped")


class Slot(BaseModel):
    """A (chat, local day) to claim; `late` when it goes out after its time."""

    model_config = ConfigDict(frozen=True)

    chat_id: int
    local_date: dt.date
    late: bool = False


class Claim(BaseModel):
    """A claimed delivery as its worker sees it: the parts already sent (a resumed claim) and flags."""

    chat_id: int
    local_date: dt.date
    late: bool
    message_ids: list[int]
    attempts: int
    maybe_duplicate: bool
    lease_until: dt.datetime

    @property
    def key(self) -> tuple[int, dt.date]:
        return (self.chat_id, self.local_date)


class DayCounts(BaseModel):
    """Deliveries of one local day by status; `pending` are claims not yet confirmed."""

    local_date: dt.date
    sent: int = 0
    failed: int = 0
    pending: int = 0
    ambiguous: int = 0
    skipped: int = 0
    maybe_duplicate: int = 0


def _view(row: DeliveryRow) -> DeliveryInfo:
    status: DeliveryStatus = row.status  # type: ignore[assignment]  # written only from DeliveryStatus
    return DeliveryInfo(chat_id=row.chat_id, local_date=row.local_date, status=status, late=row.late,
                        claimed_at=row.claimed_at, sent_at=row.sent_at,
                        message_ids=json.loads(row.message_ids), error=row.error)


def _claim(row: DeliveryRow) -> Claim:
    return Claim(chat_id=row.chat_id, local_date=row.local_date, late=row.late,
                 message_ids=json.loads(row.message_ids), attempts=row.attempts,
                 maybe_duplicate=row.maybe_duplicate, lease_until=row.lease_until or row.claimed_at)


def _row_values(slot: Slot, now: dt.datetime, worker: str, lease: dt.timedelta) -> dict[str, object]:
    return {"chat_id": slot.chat_id, "local_date": slot.local_date, "status": "claimed", "late": slot.late,
            "claimed_at": now, "sent_at": None, "message_ids": "[]", "error": None, "attempts": 0,
            "claimed_by": worker, "lease_until": now + lease, "maybe_duplicate": False, "sending_at": None}


def claim_delivery(store: Store, chat_id: int, local_date: dt.date, now: dt.datetime, *,
                   late: bool = False, worker: str = "", lease: dt.timedelta = LEASE) -> bool:
    """Claim the (chat, day) slot; False when it is already claimed (by this or another process)."""
    try:
        with store.session() as session:
            session.add(DeliveryRow(**_row_values(Slot(chat_id=chat_id, local_date=local_date, late=late),
                                                  now, worker, lease)))
            session.flush()
    except exc.IntegrityError:
        return False
    return True


def claim_batch(store: Store, slots: Sequence[Slot], now: dt.datetime, *, worker: str,
                lease: dt.timedelta = LEASE) -> list[tuple[Claim, Subscriber]]:
    """Claim, in one transaction, the slots of active subscribers nobody has claimed yet.

    One `INSERT ... SELECT ... FROM subscribers WHERE active ON CONFLICT DO NOTHING RETURNING` per
    (day, late) group: a slot another process holds, or whose subscriber left, is simply not returned.
    """
    if not slots:
        return []
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    claimed: set[tuple[int, dt.date]] = set()
    with store.session() as session:
        ordered = sorted(slots, key=lambda s: (s.local_date, s.late, s.chat_id))
        for (day, late), group in groupby(ordered, key=lambda s: (s.local_date, s.late)):
            chats = sorted({s.chat_id for s in group})
            source = select(
                SubscriberRow.chat_id, literal(day), literal("claimed"), literal(late),
                literal(now, UTCDateTime()), literal("[]"), literal(0), literal(worker),
                literal(now + lease, UTCDateTime()), false(),
            ).where(SubscriberRow.chat_id.in_(chats), SubscriberRow.active.is_(True))
            statement = insert(DeliveryRow).from_select(
                ["chat_id", "local_date", "status", "late", "claimed_at", "message_ids", "attempts",
                 "claimed_by", "lease_until", "maybe_duplicate"], source,
            ).on_conflict_do_nothing(index_elements=["chat_id", "local_date"]).returning(
                DeliveryRow.chat_id, DeliveryRow.local_date)
            claimed.update((int(chat), date) for chat, date in session.execute(statement))
        if not claimed:
            return []
        return _with_subscribers(session, claimed)


def record_skipped(store: Store, skipped: Sequence[tuple[Slot, str]], now: dt.datetime) -> list[Slot]:
    """Record missed slots as skipped (those nobody recorded yet), in one statement; the ones recorded."""
    if not skipped:
        return []
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    values = [{**_row_values(slot, now, "", dt.timedelta(0)), "status": "skipped", "lease_until": None,
               "error": reason[:1000]} for slot, reason in skipped]
    statement = insert(DeliveryRow).values(values).on_conflict_do_nothing(
        index_elements=["chat_id", "local_date"]).returning(DeliveryRow.chat_id, DeliveryRow.local_date)
    with store.session() as session:
        done = {(int(chat), day) for chat, day in session.execute(statement)}
    return [slot for slot, _ in skipped if (slot.chat_id, slot.local_date) in done]


def _with_subscribers(session: Session, keys: set[tuple[int, dt.date]]) -> list[tuple[Claim, Subscriber]]:
    chats = sorted({chat for chat, _ in keys})
    rows = session.scalars(select(DeliveryRow).where(DeliveryRow.chat_id.in_(chats),
                                                     DeliveryRow.status == "claimed"))
    claims = [_claim(row) for row in rows if (row.chat_id, row.local_date) in keys]
    subs = {row.chat_id: Subscriber.model_validate(row, from_attributes=True)
            for row in session.scalars(select(SubscriberRow).where(SubscriberRow.chat_id.in_(chats)))}
    return sorted(((c, subs[c.chat_id]) for c in claims if c.chat_id in subs),
                  key=lambda pair: (pair[0].local_date, pair[0].chat_id))


def load_claims(store: Store, slots: Sequence[Slot], *, worker: str) -> list[tuple[Claim, Subscriber]]:
    """The claims this worker holds for `slots` (e.g. the ones `/post_now` just claimed)."""
    keys = {(s.chat_id, s.local_date) for s in slots}
    if not keys:
        return []
    with store.session() as session:
        pairs = _with_subscribers(session, keys)
        held = {(row.chat_id, row.local_date) for row in session.scalars(
            select(DeliveryRow).where(DeliveryRow.claimed_by == worker, DeliveryRow.status == "claimed",
                                      DeliveryRow.chat_id.in_(sorted({c for c, _ in keys}))))}
    return [(c, s) for c, s in pairs if (c.chat_id, c.local_date) in held]


def reclaim_stale(store: Store, now: dt.datetime, *, worker: str, lease: dt.timedelta = LEASE,
                  limit: int = 500, foreign: bool = False) -> list[tuple[Claim, Subscriber]]:
    """Take over claims whose lease ran out, or that their owner handed back (or, with `foreign`,
    every claim another worker holds: only for the one sending process on SQLite, which knows no
    other sender is alive). Never this worker's own claims: it is alive, so they are in its hands.

    A taken row is flagged `maybe_duplicate` only when its old owner had a request out for it
    (`sending_at`). Rows are picked with `FOR UPDATE SKIP LOCKED`, so two reclaimers split them.
    """
    others = or_(DeliveryRow.claimed_by.is_(None), DeliveryRow.claimed_by != worker)
    stale = or_(DeliveryRow.lease_until.is_(None), DeliveryRow.lease_until < now)
    if foreign:
        stale = true()
    picked = select(DeliveryRow.id).where(DeliveryRow.status == "claimed", others, stale) \
        .order_by(DeliveryRow.id).limit(limit).with_for_update(skip_locked=True)
    # One statement: SQLite runs it under its write lock, PostgreSQL skips rows another reclaimer
    # has locked, so no row is taken twice either way.
    take = update(DeliveryRow).where(DeliveryRow.id.in_(picked.scalar_subquery())).values(
        claimed_by=worker, lease_until=now + lease, sending_at=None,
        maybe_duplicate=or_(DeliveryRow.maybe_duplicate, DeliveryRow.sending_at.is_not(None)),
    ).returning(DeliveryRow.chat_id, DeliveryRow.local_date)
    with store.session() as session:
        keys = {(int(chat), day) for chat, day in session.execute(take)}
        return _with_subscribers(session, keys) if keys else []


def release_claims(store: Store, slots: Sequence[Slot], *, worker: str) -> None:
    """Give back this worker's claims on `slots`: one with nothing sent or in flight is deleted, as
    if never claimed; one with a part sent or a request out is handed back (no owner, no lease),
    so the next reclaimer takes it over at once, flagged when a request was out."""
    if not slots:
        return
    with store.session() as session:
        for slot in slots:
            mine = and_(DeliveryRow.chat_id == slot.chat_id, DeliveryRow.local_date == slot.local_date,
                        DeliveryRow.claimed_by == worker, DeliveryRow.status == "claimed")
            session.execute(delete(DeliveryRow).where(mine, DeliveryRow.message_ids == "[]",
                                                      DeliveryRow.sending_at.is_(None)))
            session.execute(update(DeliveryRow).where(mine).values(claimed_by=None, lease_until=None)
                            .execution_options(synchronize_session=False))


def renew_leases(store: Store, keys: Collection[tuple[int, dt.date]], *, worker: str, now: dt.datetime,
                 lease: dt.timedelta = LEASE) -> set[tuple[int, dt.date]]:
    """The heartbeat: extend the lease of every claim in `keys` this worker still holds, a few
    statements whatever the number; the keys it still holds (the others were taken over or ended)."""
    chats = sorted({chat for chat, _ in keys})
    held: set[tuple[int, dt.date]] = set()
    with store.session() as session:
        for start in range(0, len(chats), 500):
            renewed = session.execute(update(DeliveryRow).where(
                DeliveryRow.chat_id.in_(chats[start:start + 500]), DeliveryRow.claimed_by == worker,
                DeliveryRow.status == "claimed",
            ).values(lease_until=now + lease).returning(DeliveryRow.chat_id, DeliveryRow.local_date)
                .execution_options(synchronize_session=False))
            held.update((int(chat), day) for chat, day in renewed)
    return held & set(keys)


def start_send(store: Store, chat_id: int, local_date: dt.date, *, worker: str, now: dt.datetime,
               lease: dt.timedelta = LEASE) -> bool:
    """Just before a request for this claim goes out: record it as in flight and renew the lease.
    False when this worker no longer holds the claim (taken over, or ended): it must not send."""
    with store.session() as session:
        result = session.execute(update(DeliveryRow).where(
            DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == local_date,
            DeliveryRow.claimed_by == worker, DeliveryRow.status == "claimed",
        ).values(sending_at=now, lease_until=now + lease).execution_options(synchronize_session=False))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def renew_lease(store: Store, chat_id: int, local_date: dt.date, *, worker: str, now: dt.datetime,
                lease: dt.timedelta = LEASE) -> bool:
    """Extend this worker's claim; False when it lost it (another worker took it over, or it ended)."""
    with store.session() as session:
        result = session.execute(update(DeliveryRow).where(
            DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == local_date,
            DeliveryRow.claimed_by == worker, DeliveryRow.status == "claimed",
        ).values(lease_until=now + lease))
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _claimed(session: Session, chat_id: int, local_date: dt.date, now: dt.datetime) -> DeliveryRow:
    row = session.scalars(select(DeliveryRow).where(
        DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == local_date)).first()
    if row is not None:
        return row
    # Marking an unclaimed day records it anyway: the message may already be out.
    return DeliveryRow(**_row_values(Slot(chat_id=chat_id, local_date=local_date), now, "", dt.timedelta(0)))


def mark_progress(store: Store, chat_id: int, local_date: dt.date, message_ids: Sequence[int]) -> None:
    """Record the parts sent so far, so a resumed claim does not send them again."""
    with store.session() as session:
        session.execute(update(DeliveryRow).where(
            DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == local_date,
        ).values(message_ids=json.dumps([int(m) for m in message_ids]), sending_at=None))


def mark_attempt(store: Store, chat_id: int, local_date: dt.date, error: str, *, ambiguous: bool,
                 counted: bool = True) -> None:
    """A failed attempt that will be retried (the request is no longer in flight); an ambiguous one
    flags the row as a possible duplicate; a flood wait (`counted` False) uses up no attempt."""
    values: dict[str, object] = {"error": error[:1000], "sending_at": None}
    if counted:
        values["attempts"] = DeliveryRow.attempts + 1
    if ambiguous:
        values["maybe_duplicate"] = True
    with store.session() as session:
        session.execute(update(DeliveryRow).where(
            DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == local_date).values(**values))


def mark_sent(store: Store, chat_id: int, local_date: dt.date, message_ids: list[int],
              now: dt.datetime, *, covered_until: dt.datetime | None = None) -> None:
    """Record a sent briefing and move the subscriber's window to `covered_until` (default `now`).

    `covered_until` is the instant the briefing was composed at: news stored after it, even before
    the send, belongs to the next briefing.
    """
    ids = json.dumps([int(m) for m in message_ids])
    with store.session() as session:
        # Two plain UPDATEs: this runs once per briefing, at the broadcast rate.
        confirmed = session.execute(update(DeliveryRow).where(
            DeliveryRow.chat_id == chat_id, DeliveryRow.local_date == local_date,
        ).values(status="sent", sent_at=now, message_ids=ids, lease_until=None, sending_at=None,
                 error=case((DeliveryRow.maybe_duplicate, DeliveryRow.error), else_=None),
                 ).execution_options(synchronize_session=False))
        if not confirmed.rowcount:  # type: ignore[attr-defined]
            row = _claimed(session, chat_id, local_date, now)
            row.status, row.sent_at, row.message_ids, row.lease_until = "sent", now, ids, None
            row.sending_at = None
            session.add(row)
        session.execute(update(SubscriberRow).where(SubscriberRow.chat_id == chat_id)
                        .values(last_briefing_at=covered_until or now)
                        .execution_options(synchronize_session=False))


def mark_failed(store: Store, chat_id: int, local_date: dt.date, error: str, now: dt.datetime, *,
                status: DeliveryStatus = "failed") -> None:
    """Record a failed (or ambiguous, or skipped) delivery with a short error text."""
    with store.session() as session:
        row = _claimed(session, chat_id, local_date, now)
        row.status = status
        row.error = error[:1000]
        row.lease_until = None
        row.sending_at = None
        if status == "ambiguous":
            row.maybe_duplicate = True
        session.add(row)


def deliveries_for(store: Store, local_date: dt.date) -> list[DeliveryInfo]:
    with store.session() as session:
        rows = session.scalars(select(DeliveryRow).where(DeliveryRow.local_date == local_date)
                               .order_by(DeliveryRow.chat_id))
        return [_view(row) for row in rows]


def delivery_keys(store: Store, days: Sequence[dt.date], chats: Collection[int] | None = None,
                  ) -> set[tuple[int, dt.date]]:
    """(chat, local day) of every row on `days` (of `chats`, when given), whatever its status: what
    the planner must not plan."""
    query = select(DeliveryRow.chat_id, DeliveryRow.local_date).where(DeliveryRow.local_date.in_(list(days)))
    keys: set[tuple[int, dt.date]] = set()
    with store.session() as session:
        if chats is None:
            return {(int(chat), day) for chat, day in session.execute(query)}
        ordered = sorted(chats)
        for start in range(0, len(ordered), 500):
            rows = session.execute(query.where(DeliveryRow.chat_id.in_(ordered[start:start + 500])))
            keys.update((int(chat), day) for chat, day in rows)
    return keys


def claims_for(store: Store, local_date: dt.date) -> list[Claim]:
    """Every row of a day with its attempts and flags (tests and `briefbot status`)."""
    with store.session() as session:
        rows = session.scalars(select(DeliveryRow).where(DeliveryRow.local_date == local_date)
                               .order_by(DeliveryRow.chat_id))
        return [_claim(row) for row in rows]


def recent_deliveries(store: Store, limit: int = 10) -> list[DeliveryInfo]:
    """The most recently claimed deliveries, newest first."""
    with store.session() as session:
        newest = select(DeliveryRow).order_by(DeliveryRow.claimed_at.desc(), DeliveryRow.id.desc())
        rows = session.scalars(newest.limit(limit))
        return [_view(row) for row in rows]


def delivery_counts(store: Store, since: dt.date) -> list[DayCounts]:
    """Per local day from `since` on, newest first: how many were sent, failed, pending, ambiguous."""
    by_status = select(DeliveryRow.local_date, DeliveryRow.status, func.count(DeliveryRow.id)) \
        .where(DeliveryRow.local_date >= since).group_by(DeliveryRow.local_date, DeliveryRow.status)
    flagged = select(DeliveryRow.local_date, func.count(DeliveryRow.id)).where(
        and_(DeliveryRow.local_date >= since, DeliveryRow.maybe_duplicate.is_(True))
    ).group_by(DeliveryRow.local_date)
    days: dict[dt.date, DayCounts] = {}
    with store.session() as session:
        for day, status, count in session.execute(by_status):
            counts = days.setdefault(day, DayCounts(local_date=day))
            field = "pending" if status == "claimed" else status
            if field in DayCounts.model_fields:
                setattr(counts, field, getattr(counts, field) + int(count))
        for day, count in session.execute(flagged):
            days.setdefault(day, DayCounts(local_date=day)).maybe_duplicate = int(count)
    return sorted(days.values(), key=lambda c: c.local_date, reverse=True)
