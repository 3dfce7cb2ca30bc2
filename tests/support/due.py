"""Subscribers all due a minute ago, for broadcast tests and the broadcast benchmark."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from briefings.store import subscribers
from briefings.store.articles import ingest
from briefings.store.db import Store
from briefings.store.schema import SubscriberRow
from tests.support.builders import deal_article
from tests.support.fake_bot_api import FakeBotApi

MARKER = "Briefing for"


def populate(store: Store, chats: Iterable[int], *, now: dt.datetime | None = None,
             articles: int = 3) -> None:
    """Subscribers due a minute ago (UTC), who joined just before; a few stories to brief them on."""
    now = now or dt.datetime.now(dt.UTC)
    ingest(store, [deal_article(i) for i in range(articles)], now - dt.timedelta(hours=2))
    due = (now - dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    joined = due - dt.timedelta(minutes=1)
    first, *rest = list(chats)
    subscribers.upsert_subscriber(store, first, user_id=first, chat_type="private", timezone="UTC",
                                  delivery_time=due.time(), now=joined)
    for start in range(0, len(rest), 5000):  # a transaction per 5,000: a commit each is slow on PostgreSQL
        with store.session() as session:
            session.add_all([SubscriberRow(chat_id=chat, user_id=chat, chat_type="private", timezone="UTC",
                                           delivery_time=due.time(), language="en", active=True,
                                           created_at=joined) for chat in rest[start:start + 5000]])


def received(api: FakeBotApi, chats: Iterable[int], marker: str = MARKER) -> Counter[int]:
    """How many subscribers got 0, 1, 2, ... briefings: {0: lost, 1: right, 2+: duplicates}."""
    got = api.delivered(marker)
    return Counter(got.get(chat, 0) for chat in chats)
