"""Subscribers, deliveries and feeds on both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.errors import InputError, NotFoundError
from briefings.store import deliveries, feeds, queries, subscribers
from briefings.store.db import Store
from tests.support import store_fixtures as _fixtures

store = _fixtures.store_fixture
NOW = dt.datetime(2025, 9, 20, 6, 30, tzinfo=dt.UTC)
DAY = dt.date(2025, 9, 20)
BIG_CHAT = -1001234567890  # supergroup ids do not fit 32 bits


def _subscribe(store: Store, chat_id: int = 42, zone: str = "Asia/Karachi") -> subscribers.Subscriber:
    return subscribers.upsert_subscriber(
        store, chat_id, user_id=7, chat_type="private", timezone=zone, delivery_time=dt.time(8, 0), now=NOW
    )


def test_store_subscribers_upsert_settings_and_reactivation(store: Store) -> None:
    first = _subscribe(store)
    assert (first.active, first.timezone, first.created_at) == (True, "Asia/Karachi", NOW)
    changed = subscribers.update_settings(store, 42, timezone="Europe/Lisbon", delivery_time=dt.time(7, 15))
    assert (changed.timezone, changed.delivery_time) == ("Europe/Lisbon", dt.time(7, 15))
    subscribers.deactivate(store, 42, "blocked the bot")
    assert subscribers.list_active(store) == []
    back = _subscribe(store, zone="UTC")
    assert (back.active, back.timezone, back.delivery_time) == (True, "Europe/Lisbon", dt.time(7, 15))


@pytest.mark.parametrize("zone", ["Mars/Olympus", "", "../etc/passwd"])
def test_store_subscribers_unknown_timezone_is_input_error(store: Store, zone: str) -> None:
    _subscribe(store)
    with pytest.raises(InputError, match="timezone"):
        subscribers.update_settings(store, 42, timezone=zone)
    assert subscribers.get_subscriber(store, 42).timezone == "Asia/Karachi"  # type: ignore[union-attr]


def test_store_subscribers_unknown_chat(store: Store) -> None:
    assert subscribers.get_subscriber(store, 1) is None
    with pytest.raises(NotFoundError):
        subscribers.update_settings(store, 1, timezone="UTC")
    subscribers.deactivate(store, 1, "never subscribed")  # no error


def test_store_deliveries_claim_once_then_mark(store: Store) -> None:
    _subscribe(store, BIG_CHAT)
    assert deliveries.claim_delivery(store, BIG_CHAT, DAY, NOW)
    assert not deliveries.claim_delivery(store, BIG_CHAT, DAY, NOW)
    deliveries.mark_sent(store, BIG_CHAT, DAY, [11, 12], NOW + dt.timedelta(seconds=3))
    [info] = deliveries.deliveries_for(store, DAY)
    assert (info.status, info.message_ids, info.late) == ("sent", [11, 12], False)
    assert subscribers.get_subscriber(store, BIG_CHAT).last_briefing_at == NOW + dt.timedelta(seconds=3)  # type: ignore[union-attr]
    assert deliveries.claim_delivery(store, BIG_CHAT, DAY + dt.timedelta(days=1), NOW, late=True)
    deliveries.mark_failed(store, BIG_CHAT, DAY + dt.timedelta(days=1), "timed out", NOW, status="ambiguous")
    [later] = deliveries.deliveries_for(store, DAY + dt.timedelta(days=1))
    assert (later.status, later.error, later.late) == ("ambiguous", "timed out", True)
    assert [d.local_date for d in queries.stats(store).last_deliveries] == [DAY + dt.timedelta(days=1), DAY]


def test_store_subscribers_migrate_chat_moves_settings_and_history(store: Store) -> None:
    _subscribe(store, -42)
    deliveries.claim_delivery(store, -42, DAY, NOW)
    subscribers.migrate_chat(store, -42, BIG_CHAT)
    assert subscribers.get_subscriber(store, -42) is None
    moved = subscribers.get_subscriber(store, BIG_CHAT)
    assert moved is not None and moved.timezone == "Asia/Karachi" and moved.chat_type == "supergroup"
    assert [d.chat_id for d in deliveries.deliveries_for(store, DAY)] == [BIG_CHAT]
    assert not deliveries.claim_delivery(store, BIG_CHAT, DAY, NOW)


def test_store_feeds_add_list_remove(store: Store) -> None:
    feeds.add_feed(store, "https://news.example/rss", 7)
    feeds.add_feed(store, "https://news.example/rss", 7)
    feeds.add_feed(store, "https://other.example/atom.xml", None)
    assert feeds.list_feeds(store) == ["https://news.example/rss", "https://other.example/atom.xml"]
    feeds.remove_feed(store, "https://news.example/rss")
    feeds.remove_feed(store, "https://never.example/")
    assert feeds.list_feeds(store) == ["https://other.example/atom.xml"]
    with pytest.raises(InputError):
        feeds.add_feed(store, "ftp://old.example/feed", 7)
