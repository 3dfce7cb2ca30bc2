"""Registered feeds are polled: new entries are ingested, old ones change nothing, a dead feed is
reported and the others go on. The feed is served on 127.0.0.1 (loopback explicitly allowed)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from briefings.core import Core
from briefings.settings import Settings
from briefings.store.db import Store
from tests.support.loopback import serve

NOW = dt.datetime(2025, 9, 15, 6, 0, tzinfo=dt.UTC)
ITEM = """<item><title>{title}</title><link>https://news.example/{slug}</link>
<pubDate>Mon, 15 Sep 2025 05:00:00 GMT</pubDate><description>{text}</description></item>"""
ENTRIES = [
    ("Northland and Southport sign port deal", "port-deal",
     "Northland President Aron Vale and Southport Prime Minister Mira Costa met in Harbourtown on Monday "
     "and signed a $2 billion port agreement, officials said. The deal covers a new container terminal."),
    ("Southport leader visits Northland", "visit",
     "Southport Prime Minister Mira Costa visited Northland in August for talks on energy, the foreign "
     "ministry said. Costa and Vale discussed a pipeline and agreed to meet again next year."),
]


class _Feed(BaseHTTPRequestHandler):
    entries: list[tuple[str, str, str]] = ENTRIES[:1]

    def do_GET(self) -> None:
        if self.path != "/feed.xml":
            self.send_error(404)
            return
        items = "".join(ITEM.format(title=t, slug=s, text=x) for t, s, x in type(self).entries)
        body = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Example</title>{items}'
                "</channel></rss>")
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    with serve(_Feed) as base:
        yield base


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def core(tmp_path: Path, clock: Clock) -> Iterator[Core]:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = Store(url)
    store.upgrade()
    yield Core(Settings(database_url=url, token=None, allow_private_urls=True, feeds_poll_minutes=30),
               store, clock=clock)
    store.close()


def test_feed_polling_ingests_new_entries_once(core: Core, clock: Clock, server: str) -> None:
    _Feed.entries = ENTRIES[:1]
    core.add_feed(f"{server}/feed.xml", added_by=1)
    core.add_feed(f"{server}/missing.xml", added_by=1)
    first = core.poll_feeds()
    assert len(first.added) == 1
    assert [origin for origin, _ in first.failed] == [f"{server}/missing.xml"]
    _Feed.entries = ENTRIES
    assert core.poll_feeds().added == []  # polled a moment ago: not due yet
    clock.now += dt.timedelta(minutes=31)
    second = core.poll_feeds()
    assert len(second.added) == 1 and len(second.unchanged) == 1
    assert core.stats().articles == 2


def test_feed_polling_refuses_loopback_unless_allowed(tmp_path: Path, server: str) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite3'}"
    store = Store(url)
    store.upgrade()
    strict = Core(Settings(database_url=url, token=None, allow_private_urls=False), store, clock=lambda: NOW)
    strict.add_feed(f"{server}/feed.xml", added_by=1)
    report = strict.poll_feeds()
    store.close()
    assert not report.added and len(report.failed) == 1


def test_feed_polling_each_due_feed_goes_to_one_process(core: Core, clock: Clock) -> None:
    from briefings.store.feeds import claim_due_feeds

    for n in range(3):
        core.add_feed(f"https://feeds.example/{n}.xml", added_by=1)
    every = dt.timedelta(minutes=30)
    first = claim_due_feeds(core.store, clock.now, every)
    other = claim_due_feeds(core.store, clock.now, every)  # a second process, a moment later
    assert sorted(first) == [f"https://feeds.example/{n}.xml" for n in range(3)]
    assert other == []
    assert len(claim_due_feeds(core.store, clock.now + every, every)) == 3
