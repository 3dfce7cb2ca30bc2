"""Delivery claims on SQLite and PostgreSQL: exclusive, leased, taken over, fenced, counted."""

from __future__ import annotations

import datetime as dt
import threading

from alembic.script import ScriptDirectory

from briefings.store import deliveries, subscribers
from briefings.store.db import Store
from briefings.store.deliveries import Slot
from briefings.store.migrate import alembic_config
from tests.support import store_fixtures as _fixtures

store = _fixtures.store_fixture
NOW = dt.datetime(2025, 9, 20, 8, 0, tzinfo=dt.UTC)
DAY = dt.date(2025, 9, 20)
LEASE = dt.timedelta(minutes=5)


def _subscribe(store: Store, *chats: int) -> None:
    for chat in chats:
        subscribers.upsert_subscriber(store, chat, user_id=chat, chat_type="private", timezone="UTC",
                                      delivery_time=dt.time(8, 0), now=NOW - dt.timedelta(days=3))


def _slots(*chats: int) -> list[Slot]:
    return [Slot(chat_id=chat, local_date=DAY) for chat in chats]


def test_deliveries_migrations_have_a_single_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1


def test_deliveries_claim_batch_takes_each_slot_once_and_only_for_active_subscribers(store: Store) -> None:
    _subscribe(store, 1, 2, 3, 4)
    subscribers.deactivate(store, 4, "blocked")
    first = deliveries.claim_batch(store, _slots(1, 2, 4, 5), NOW, worker="a", lease=LEASE)
    assert [(c.chat_id, s.chat_id, s.active) for c, s in first] == [(1, 1, True), (2, 2, True)]
    second = deliveries.claim_batch(store, _slots(1, 2, 3), NOW, worker="b", lease=LEASE)
    assert [c.chat_id for c, _ in second] == [3]
    claim = first[0][0]
    assert (claim.attempts, claim.maybe_duplicate, claim.message_ids) == (0, False, [])
    assert claim.lease_until == NOW + LEASE
    assert not deliveries.claim_delivery(store, 1, DAY, NOW, worker="c")
    assert deliveries.delivery_keys(store, [DAY]) == {(1, DAY), (2, DAY), (3, DAY)}


def test_deliveries_lease_takeover_is_fenced_and_flagged_only_when_a_request_was_out(store: Store) -> None:
    _subscribe(store, 1, 2, 3)
    deliveries.claim_batch(store, _slots(1, 2, 3), NOW, worker="a", lease=LEASE)
    deliveries.mark_sent(store, 2, DAY, [10], NOW)
    assert deliveries.start_send(store, 1, DAY, worker="a", now=NOW)  # a request for 1 goes out
    assert deliveries.reclaim_stale(store, NOW + LEASE / 2, worker="b", lease=LEASE) == []
    later = NOW + LEASE + dt.timedelta(seconds=1)
    # Its owner never takes its own claims over, however stale: it holds them.
    assert deliveries.reclaim_stale(store, later, worker="a", lease=LEASE) == []
    taken = {c.chat_id: c for c, _ in deliveries.reclaim_stale(store, later, worker="b", lease=LEASE)}
    # 1 had a request out when "a" stopped: it may be a duplicate; 3 had none: it cannot be.
    assert {chat: claim.maybe_duplicate for chat, claim in taken.items()} == {1: True, 3: False}
    # The old owner wakes up: its claim is gone, so it must not send.
    assert not deliveries.start_send(store, 3, DAY, worker="a", now=later)
    assert not deliveries.renew_lease(store, 1, DAY, worker="a", now=later, lease=LEASE)
    assert deliveries.renew_leases(store, [(1, DAY), (3, DAY)], worker="a", now=later) == set()
    assert deliveries.start_send(store, 3, DAY, worker="b", now=later)
    # Under the SQLite sender lock, any claim of another worker is abandoned at once.
    assert deliveries.reclaim_stale(store, later, worker="c", lease=LEASE) == []
    taken_by_c = deliveries.reclaim_stale(store, later, worker="c", lease=LEASE, foreign=True)
    assert {c.chat_id: c.maybe_duplicate for c, _ in taken_by_c} == {1: True, 3: True}


def test_deliveries_heartbeat_keeps_claims_and_release_hands_back_the_begun(store: Store) -> None:
    _subscribe(store, 1, 2, 3)
    deliveries.claim_batch(store, _slots(1, 2, 3), NOW, worker="a", lease=LEASE)
    renewed_at = NOW + LEASE * 0.9
    assert deliveries.renew_leases(store, [(1, DAY), (2, DAY), (3, DAY), (4, DAY)], worker="a",
                                   now=renewed_at, lease=LEASE) == {(1, DAY), (2, DAY), (3, DAY)}
    # Past the first lease but inside the renewed one: nothing is stale.
    assert deliveries.reclaim_stale(store, NOW + LEASE * 1.5, worker="b", lease=LEASE) == []
    deliveries.start_send(store, 2, DAY, worker="a", now=renewed_at)
    deliveries.mark_progress(store, 3, DAY, [30])
    deliveries.release_claims(store, _slots(1, 2, 3), worker="a")
    # 1 never began: gone, as if never claimed. 2 (request out) and 3 (a part sent) are handed
    # back: anyone takes them over at once, 2 flagged, 3 resumed after its first part.
    taken = {c.chat_id: c for c, _ in deliveries.reclaim_stale(store, renewed_at, worker="b", lease=LEASE)}
    assert set(taken) == {2, 3} and deliveries.delivery_keys(store, [DAY]) == {(2, DAY), (3, DAY)}
    assert taken[2].maybe_duplicate and not taken[3].maybe_duplicate and taken[3].message_ids == [30]


def test_deliveries_progress_attempts_and_confirm(store: Store) -> None:
    _subscribe(store, 1)
    deliveries.claim_batch(store, _slots(1), NOW, worker="a", lease=LEASE)
    deliveries.mark_progress(store, 1, DAY, [100])
    deliveries.mark_attempt(store, 1, DAY, "TimedOut: Timed out", ambiguous=True)
    [resumed] = deliveries.claims_for(store, DAY)
    assert (resumed.message_ids, resumed.attempts, resumed.maybe_duplicate) == ([100], 1, True)
    composed = NOW - dt.timedelta(seconds=30)
    deliveries.mark_sent(store, 1, DAY, [100, 101], NOW, covered_until=composed)
    [info] = deliveries.deliveries_for(store, DAY)
    assert (info.status, info.message_ids, info.sent_at) == ("sent", [100, 101], NOW)
    assert "TimedOut" in (info.error or "")  # a possible duplicate keeps its reason
    sub = subscribers.get_subscriber(store, 1)
    assert sub is not None and sub.last_briefing_at == composed


def test_deliveries_counts_per_day(store: Store) -> None:
    _subscribe(store, 1, 2, 3, 4, 5)
    deliveries.claim_batch(store, _slots(1, 2, 3, 4, 5), NOW, worker="a", lease=LEASE)
    deliveries.mark_sent(store, 1, DAY, [1], NOW)
    deliveries.mark_failed(store, 2, DAY, "Forbidden: bot was blocked by the user", NOW)
    deliveries.mark_failed(store, 3, DAY, "TimedOut", NOW, status="ambiguous")
    deliveries.mark_failed(store, 4, DAY, "missed", NOW, status="skipped")
    deliveries.mark_sent(store, 9, DAY - dt.timedelta(days=1), [2], NOW)  # unclaimed: recorded anyway
    counts = deliveries.delivery_counts(store, DAY - dt.timedelta(days=7))
    assert [c.local_date for c in counts] == [DAY, DAY - dt.timedelta(days=1)]
    today = counts[0]
    assert (today.sent, today.failed, today.pending, today.ambiguous, today.skipped) == (1, 1, 1, 1, 1)
    assert today.maybe_duplicate == 1 and counts[1].sent == 1


def test_deliveries_concurrent_claimers_split_the_slots(store: Store) -> None:
    """Four threads (own connections) claim the same 400 slots in batches: each slot exactly once."""
    chats = list(range(1, 401))
    _subscribe(store, *chats)
    got: dict[str, list[int]] = {}
    start = threading.Barrier(4)

    def claimer(name: str) -> None:
        start.wait()
        mine: list[int] = []
        for first in range(0, len(chats), 25):
            mine += [c.chat_id for c, _ in deliveries.claim_batch(store, _slots(*chats[first:first + 25]),
                                                                  NOW, worker=name, lease=LEASE)]
        got[name] = mine

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    every = [chat for mine in got.values() for chat in mine]
    assert sorted(every) == chats


def test_deliveries_concurrent_reclaimers_never_take_the_same_row(store: Store) -> None:
    chats = list(range(1, 201))
    _subscribe(store, *chats)
    deliveries.claim_batch(store, _slots(*chats), NOW, worker="dead", lease=LEASE)
    later = NOW + 2 * LEASE
    got: dict[str, list[int]] = {}
    start = threading.Barrier(3)

    def reclaimer(name: str) -> None:
        start.wait()
        mine: list[int] = []
        while batch := deliveries.reclaim_stale(store, later, worker=name, lease=LEASE, limit=20):
            mine += [c.chat_id for c, _ in batch]
        got[name] = mine

    threads = [threading.Thread(target=reclaimer, args=(f"r{i}",)) for i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    every = [chat for mine in got.values() for chat in mine]
    assert sorted(every) == chats
