"""Feeds the bot polls: a URL, who added it and when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import or_, select, update

from briefings.errors import InputError
from briefings.store.db import Store
from briefings.store.schema import FeedRow

__all__ = ["add_feed", "claim_due_feeds", "list_feeds", "remove_feed"]


def add_feed(store: Store, url: str, added_by: int | None, now: dt.datetime | None = None) -> None:
    """Remember a feed URL (adding it twice changes nothing). Fetching checks it is really a feed."""
    url = url.strip()
    if not url.lower().startswith(("http://", "https://")) or len(url) > 2048:
        raise InputError(f"not a feed URL: {url[:100]!r} (use http:// or https://)")
    with store.session() as session:
        if session.get(FeedRow, url) is None:
            session.add(FeedRow(url=url, added_by=added_by, added_at=now or dt.datetime.now(dt.UTC)))


def list_feeds(store: Store) -> list[str]:
    with store.session() as session:
        return list(session.scalars(select(FeedRow.url).order_by(FeedRow.added_at, FeedRow.url)))


def remove_feed(store: Store, url: str) -> None:
    """Forget a feed; an unknown URL changes nothing."""
    with store.session() as session:
        row = session.get(FeedRow, url.strip())
        if row is not None:
            session.delete(row)


def claim_due_feeds(store: Store, now: dt.datetime, every: dt.timedelta) -> list[str]:
    """The feeds not polled for `every`, each claimed for this caller by a compare-and-set on its
    `polled_at`: of several processes polling at once, exactly one gets each feed."""
    due_before = now - every
    with store.session() as session:
        candidates = list(session.scalars(
            select(FeedRow.url).where(or_(FeedRow.polled_at.is_(None), FeedRow.polled_at <= due_before))
            .order_by(FeedRow.added_at, FeedRow.url)))
    claimed: list[str] = []
    for url in candidates:
        with store.session() as session:
            result = session.execute(
                update(FeedRow)
                .where(FeedRow.url == url)
                .where(or_(FeedRow.polled_at.is_(None), FeedRow.polled_at <= due_before))
                .values(polled_at=now))
            if getattr(result, "rowcount", 0) == 1:
                claimed.append(url)
    return claimed
