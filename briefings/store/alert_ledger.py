"""The alert side of the delivery ledger: one row per (chat, fact), claimed before it is sent.

Same life as a briefing's row in `deliveries` (claimed with a lease, then sent, failed, ambiguous
or skipped; a claim whose lease ran out is taken over and flagged `maybe_duplicate`), with one more
state first: `pending`, a fact waiting for the reader's next alert message. Rows are written by
`record_scan` (any process: the unique (chat, fact_key) keeps one), and a reader's pending rows
are claimed together, at most once per `COALESCE`, by exactly one process (an `UPDATE ... WHERE
status = 'pending'` takes each row once on every backend).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from briefings.alerts import Alert, NewFact
from briefings.store.db import Store
from briefings.store.schema import (
    AlertDeliveryRow,
    AlertScanRow,
    ArticleRow,
    DeliveryRow,
    ReaderPrefsRow,
    StoryRow,
    SubscriberRow,
)
from briefings.store.story_rows import table_of

LEASE = dt.timedelta(minutes=5)


class ScanArticle(BaseModel):
    id: str
    story_id: str | None
    ingested_at: dt.datetime


class ClaimedAlerts(BaseModel):
    """One reader's alerts claimed for one message; `ids` are their ledger rows."""

    chat_id: int
    ids: list[int]
    alerts: list[Alert]
    maybe_duplicate: bool = False


def unscanned(store: Store, since: dt.datetime, limit: int = 500) -> list[ScanArticle]:
    """Articles ingested since `since` that no scan has looked at yet, oldest first."""
    scanned = exists().where(AlertScanRow.article_id == ArticleRow.id)
    stmt = select(ArticleRow.id, ArticleRow.story_id, ArticleRow.ingested_at).where(
        ArticleRow.ingested_at >= since, ~scanned,
    ).order_by(ArticleRow.ingested_at, ArticleRow.id).limit(limit)
    with store.session() as session:
        return [ScanArticle(id=i, story_id=s, ingested_at=t) for i, s, t in session.execute(stmt)]


def story_articles(store: Store, story_ids: Sequence[str]) -> dict[str, tuple[dt.datetime, bool]]:
    """Every article of these stories: when it was ingested, and whether a scan has seen it."""
    found: dict[str, tuple[dt.datetime, bool]] = {}
    scan = aliased(AlertScanRow)
    with store.session() as session:
        rows = session.execute(select(ArticleRow.id, ArticleRow.ingested_at, scan.article_id)
                               .outerjoin(scan, scan.article_id == ArticleRow.id)
                               .where(ArticleRow.story_id.in_(sorted(set(story_ids)))))
        for article_id, at, seen in rows:
            found[article_id] = (at, seen is not None)
    return found


def stories(store: Store, story_ids: Sequence[str]) -> dict[str, str]:
    """Story JSON by id."""
    with store.session() as session:
        rows = session.execute(select(StoryRow.id, StoryRow.data)
                               .where(StoryRow.id.in_(sorted(set(story_ids)))))
        return {i: d for i, d in rows}


def record_scan(store: Store, alerts: Sequence[tuple[int, NewFact, list[str]]], article_ids: Sequence[str],
                now: dt.datetime) -> int:
    """Add pending rows (those not there yet) and mark the articles scanned, in one transaction.

    A row's payload is an `Alert`: the fact (serialised once per fact, not per reader) and the
    labels of the reader's follows it touches."""
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    added = 0
    facts: dict[str, str] = {}
    table = table_of(AlertDeliveryRow)
    # One compiled statement run over many rows (a multi-row VALUES is compiled anew every time).
    statement = insert(table).on_conflict_do_nothing(index_elements=["chat_id", "fact_key"]) \
        .returning(table.c.id)
    with store.session() as session:
        for start in range(0, len(alerts), 2000):
            values = []
            for chat, fact, labels in alerts[start:start + 2000]:
                if fact.fact_key not in facts:
                    facts[fact.fact_key] = fact.model_dump_json()
                values.append({"chat_id": chat, "fact_key": fact.fact_key, "fact_id": fact.fact_id,
                               "story_id": fact.story_id, "payload": f'{{"fact":{facts[fact.fact_key]},'
                               f'"follows":{json.dumps(labels)}}}', "status": "pending", "created_at": now,
                               "claimed_by": None, "lease_until": None, "sent_at": None, "message_id": None,
                               "error": None, "maybe_duplicate": False})
            added += len(session.connection().execute(statement, values).all())
        if article_ids:
            session.execute(insert(AlertScanRow).values(
                [{"article_id": a, "scanned_at": now} for a in sorted(set(article_ids))],
            ).on_conflict_do_nothing(index_elements=["article_id"]))
    return added


def claim_due(store: Store, now: dt.datetime, *, worker: str, lease: dt.timedelta = LEASE,
              quiet: dt.timedelta, limit: int = 500) -> list[ClaimedAlerts]:
    """Claim the pending alerts of readers who had no alert message in the last `quiet`, and take over
    claims whose lease ran out (possible duplicates)."""
    other = aliased(AlertDeliveryRow)
    # A reader is due when no message went out in the last `quiet` and none is on its way.
    recent = exists().where(other.chat_id == AlertDeliveryRow.chat_id, other.fact_id != "chart", or_(
        and_(other.status == "sent", other.sent_at > now - quiet), other.status == "claimed"))
    returned = (AlertDeliveryRow.id, AlertDeliveryRow.chat_id, AlertDeliveryRow.payload,
                AlertDeliveryRow.maybe_duplicate)
    with store.session() as session:
        due_chats = select(AlertDeliveryRow.chat_id).join(
            SubscriberRow, SubscriberRow.chat_id == AlertDeliveryRow.chat_id).where(
            AlertDeliveryRow.status == "pending", SubscriberRow.active.is_(True), ~recent,
        ).distinct().limit(limit)
        chats = [int(c) for c in session.scalars(due_chats)]
        # Two statements, not one with OR: each then reads the (status, chat_id) index only.
        rows = list(session.execute(update(AlertDeliveryRow).where(
            AlertDeliveryRow.status == "pending", AlertDeliveryRow.chat_id.in_(chats),
        ).values(claimed_by=worker, lease_until=now + lease, status="claimed").returning(*returned))) \
            if chats else []
        rows += session.execute(update(AlertDeliveryRow).where(
            AlertDeliveryRow.status == "claimed",
            or_(AlertDeliveryRow.lease_until.is_(None), AlertDeliveryRow.lease_until < now),
        ).values(claimed_by=worker, lease_until=now + lease, maybe_duplicate=True).returning(*returned)).all()
        rows.sort(key=lambda r: (r[1], r[0]))
    claimed: dict[int, ClaimedAlerts] = {}
    facts: dict[str, NewFact] = {}  # many readers share a fact: validated once
    for row_id, chat_id, payload, duplicate in rows:
        group = claimed.setdefault(int(chat_id), ClaimedAlerts(chat_id=int(chat_id), ids=[], alerts=[]))
        group.ids.append(int(row_id))
        group.alerts.append(_alert(json.loads(payload), facts))
        group.maybe_duplicate = group.maybe_duplicate or bool(duplicate)
    return list(claimed.values())


def _alert(payload: dict[str, Any], facts: dict[str, NewFact]) -> Alert:
    raw = payload["fact"]
    fact = facts.get(raw["fact_key"])
    if fact is None:
        fact = facts[raw["fact_key"]] = NewFact.model_validate(raw)
    return Alert(fact=fact, follows=payload.get("follows", []))


def skip_inactive(store: Store) -> int:
    """Pending alerts of chats that are no longer active subscribers (blocked, unsubscribed) are
    recorded as skipped; how many."""
    with store.session() as session:
        result = session.execute(update(AlertDeliveryRow).where(
            AlertDeliveryRow.status == "pending",
            ~exists().where(SubscriberRow.chat_id == AlertDeliveryRow.chat_id,
                            SubscriberRow.active.is_(True)),
        ).values(status="skipped", error="not an active subscriber")
            .execution_options(synchronize_session=False))
        return int(result.rowcount)  # type: ignore[attr-defined]


def mark_sent(store: Store, ids: Sequence[int], message_id: int, now: dt.datetime) -> None:
    with store.session() as session:
        session.execute(update(AlertDeliveryRow).where(AlertDeliveryRow.id.in_(list(ids))).values(
            status="sent", sent_at=now, message_id=message_id, lease_until=None))


def mark_failed(store: Store, ids: Sequence[int], error: str, *, status: str = "failed") -> None:
    values: dict[str, object] = {"status": status, "error": error[:1000], "lease_until": None}
    if status == "ambiguous":
        values["maybe_duplicate"] = True
    with store.session() as session:
        session.execute(update(AlertDeliveryRow).where(AlertDeliveryRow.id.in_(list(ids))).values(**values))


def release(store: Store, ids: Sequence[int], *, worker: str) -> None:
    """Give claimed rows back (nothing was sent): the next tick claims them again."""
    with store.session() as session:
        session.execute(update(AlertDeliveryRow).where(
            AlertDeliveryRow.id.in_(list(ids)), AlertDeliveryRow.claimed_by == worker,
            AlertDeliveryRow.status == "claimed").values(status="pending", claimed_by=None, lease_until=None))


def counts(store: Store) -> dict[str, int]:
    """Alert rows by status (for tests, `/stats` and the bench)."""
    with store.session() as session:
        rows = session.execute(select(AlertDeliveryRow.status, func.count())
                               .group_by(AlertDeliveryRow.status))
        return {str(s): int(n) for s, n in rows}


def sent_for(store: Store, chat_id: int) -> list[Alert]:
    with store.session() as session:
        rows = session.scalars(select(AlertDeliveryRow.payload).where(
            AlertDeliveryRow.chat_id == chat_id, AlertDeliveryRow.status == "sent",
        ).order_by(AlertDeliveryRow.id))
        return [Alert.model_validate_json(r) for r in rows]



def charts_due(store: Store, now: dt.datetime, window: dt.timedelta = dt.timedelta(hours=6),
               limit: int = 500) -> list[tuple[int, dt.date]]:
    """(chat, local day) of briefings sent in the last `window` to readers who asked for a chart and
    have not had that day's chart yet."""
    with store.session() as session:
        rows = session.execute(select(DeliveryRow.chat_id, DeliveryRow.local_date).join(
            ReaderPrefsRow, ReaderPrefsRow.chat_id == DeliveryRow.chat_id).where(
            ReaderPrefsRow.chart.is_(True), DeliveryRow.status == "sent", DeliveryRow.sent_at >= now - window,
        ).order_by(DeliveryRow.sent_at).limit(limit)).all()
        if not rows:
            return []
        done = set(session.scalars(select(AlertDeliveryRow.fact_key).where(
            AlertDeliveryRow.chat_id.in_(sorted({int(c) for c, _ in rows})),
            AlertDeliveryRow.fact_key.like("chart:%"))))
    return [(int(c), d) for c, d in rows if chart_key(int(c), d) not in done]


def chart_key(chat_id: int, day: dt.date) -> str:
    return f"chart:{day.isoformat()}"


def claim_chart(store: Store, chat_id: int, day: dt.date, now: dt.datetime, *, worker: str) -> int | None:
    """Claim the day's chart for the chat (its ledger row id), or None when another process has it.

    A chart is an extra: a process stopping mid-send leaves the row `sending`, never retried."""
    insert = postgresql.insert if store.dialect == "postgresql" else sqlite.insert
    with store.session() as session:
        row = session.execute(insert(AlertDeliveryRow).values(
            chat_id=chat_id, fact_key=chart_key(chat_id, day), fact_id="chart", story_id=None, payload="{}",
            status="sending", created_at=now, claimed_by=worker, maybe_duplicate=False,
        ).on_conflict_do_nothing(index_elements=["chat_id", "fact_key"])
            .returning(AlertDeliveryRow.id)).first()
    return None if row is None else int(row[0])
