"""The planner reads only the subscribers due now, through the (active, next_due_at) index."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import text

from briefings.core import Core
from briefings.settings import Settings
from briefings.store import deliveries, subscribers
from briefings.store.db import Store
from tests.support import store_fixtures as _fixtures
from tests.support.fake_bot_api import TOKEN

store = _fixtures.store_fixture
UTC = dt.UTC
DAY = dt.date(2025, 9, 20)


class Clock:
    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


def _core(store: Store, clock: Clock) -> Core:
    return Core(Settings(token=TOKEN, database_url="sqlite://", grace_minutes=120), store, clock=clock)


def _due_rows(store: Store, now: dt.datetime) -> list[int]:
    return [sub.chat_id for sub, _ in subscribers.due_subscribers(store, now)]


def test_deliveries_planner_reads_only_who_is_due_and_moves_them_on(store: Store) -> None:
    joined = dt.datetime(2025, 9, 20, 6, 0, tzinfo=UTC)
    for chat, at in ((1, dt.time(8, 0)), (2, dt.time(12, 0)), (3, dt.time(20, 0))):
        subscribers.upsert_subscriber(store, chat, user_id=chat, chat_type="private", timezone="UTC",
                                      delivery_time=at, now=joined)
    clock = Clock(dt.datetime(2025, 9, 20, 8, 0, 30, tzinfo=UTC))
    core = _core(store, clock)
    assert _due_rows(store, clock.now) == [1, 2, 3]  # new: looked at once
    assert [p.chat_id for p in core.due_deliveries()] == [1]
    # Now 2 and 3 wait for their own time; 1 is due until its day is recorded.
    assert _due_rows(store, clock.now) == [1]
    core.claim_due(core.due_deliveries())
    clock.now += dt.timedelta(minutes=1)
    assert core.due_deliveries() == []  # 1's day is claimed: it moves to tomorrow
    assert _due_rows(store, clock.now) == []
    assert _due_rows(store, dt.datetime(2025, 9, 20, 12, 0, tzinfo=UTC)) == [2]
    assert sorted(_due_rows(store, dt.datetime(2025, 9, 21, 8, 0, tzinfo=UTC))) == [1, 2, 3]
    # A settings change is looked at again at the next tick.
    subscribers.update_settings(store, 3, delivery_time=dt.time(7, 0))
    assert _due_rows(store, clock.now) == [3]
    [plan] = core.due_deliveries()
    assert (plan.chat_id, plan.late) == (3, True)  # 07:00 passed an hour ago: sent late, within grace
    # Released (the broadcast stopped): the day is unrecorded again, so 3 is due again.
    core.claim_due([plan])
    deliveries.release_claims(store, [deliveries.Slot(chat_id=3, local_date=DAY)], worker=core.worker_id)
    assert [p.chat_id for p in core.due_deliveries()] == [3]


def test_deliveries_planner_query_uses_the_index(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'plan.sqlite3'}")
    store.upgrade()
    try:
        with store.engine.connect() as connection:
            plan = " ".join(str(row[-1]) for row in connection.execute(text(
                "EXPLAIN QUERY PLAN SELECT * FROM subscribers WHERE active = 1 AND next_due_at <= "
                "'2025-09-20 08:00:00' ORDER BY next_due_at, chat_id LIMIT 1000")))
        assert "ix_subscribers_active_next_due_at" in plan, plan
    finally:
        store.close()
