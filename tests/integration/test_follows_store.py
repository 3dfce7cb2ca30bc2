"""Follows, the alert ledger and charts on both backends: resolution, limits, exactly-once alerts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefings import alert_scan
from briefings.cli import main
from briefings.commands import run_callback, run_command
from briefings.core import Caller, Core
from briefings.models import Person
from briefings.settings import Settings
from briefings.store import alert_ledger, subscribers
from briefings.store import follows as follow_store
from briefings.store.articles import ingest
from briefings.store.db import Store
from tests.support import store_fixtures as _fixtures
from tests.support.follow_articles import deal_article, meeting_article, profile_article

store = _fixtures.store_fixture
NOW = dt.datetime(2025, 9, 15, 6, 0, tzinfo=dt.UTC)
CHAT = 7


def _core(store: Store, clock: list[dt.datetime]) -> Core:
    settings = Settings(database_url="sqlite://", token=None, admins=frozenset())
    return Core(settings, store, clock=lambda: clock[0])


def _say(core: Core, line: str, chat: int = CHAT) -> str:
    name, _, args = line.partition(" ")
    return "\n".join(run_command(core, Caller(chat_id=chat, user_id=chat), name, args, "text").messages)


def test_follow_ambiguous_name_offers_buttons(store: Store) -> None:
    core = _core(store, [NOW])
    second = profile_article().model_copy(deep=True)
    second.article.id = "other-okafor"
    second.article.text = second.article.text.replace("regional trade", "interest rates")
    second.article.content_hash = ""
    second.article.url = "https://lagosledger.example/other-okafor"
    second.people = [Person(name="Chidi Okafor", titles=["Central Bank Governor"], aliases=["Okafor"],
                            country="Nigeria", mentions=1)]
    ingest(store, [profile_article(), second], NOW)
    reply = run_command(core, Caller(chat_id=CHAT, user_id=CHAT), "follow", "Okafor", "html")
    assert "Several match &#39;Okafor&#39;" in reply.messages[0]
    buttons = {row[0].text: row[0].data for row in reply.keyboard}
    assert sorted(buttons) == ["👤 Chidi Okafor (Central Bank Governor, Nigeria)",
                               "👤 Lena Okafor (Foreign Minister, Nigeria)"]
    assert follow_store.list_follows(store, CHAT) == []  # nothing followed until one is chosen
    chidi = buttons["👤 Chidi Okafor (Central Bank Governor, Nigeria)"]
    chosen = run_callback(core, Caller(chat_id=CHAT, user_id=CHAT), chidi, "text")
    assert "Following Chidi Okafor" in chosen.messages[0]
    assert "Stopped following Chidi Okafor" in _say(core, "unfollow chidi okafor")
    assert "Following Nigeria" in _say(core, "follow nigeria")


def test_alert_ledger_one_row_per_reader_and_fact_across_scans(store: Store) -> None:
    clock = [NOW]
    core = _core(store, clock)
    ingest(store, [profile_article()], NOW)
    for chat in (1, 2, 3):
        subscribers.upsert_subscriber(store, chat, user_id=chat, chat_type="private", timezone="UTC",
                                      delivery_time=dt.time(8, 0), now=NOW)
        assert "Following" in _say(core, "follow Lena Okafor alert", chat)
    subscribers.deactivate(store, 3, "blocked")
    clock[0] = NOW + dt.timedelta(minutes=1)
    ingest(store, [meeting_article()], clock[0])
    assert alert_scan.scan(core) == 2   # the blocked chat gets no row
    ingest(store, [meeting_article("okafor-varga-2", "Danube Daily")], clock[0])
    assert alert_scan.scan(core) == 0 and alert_scan.scan(core) == 0
    claimed = alert_scan.claim(core)
    assert sorted(c.chat_id for c in claimed) == [1, 2] and alert_scan.claim(core) == []
    alert_scan.sent(core, claimed[0], 11)
    alert_scan.release(core, claimed[1])
    assert alert_ledger.counts(store) == {"sent": 1, "pending": 1}
    # Another processes' scan of the same store finds nothing new either.
    other = _core(store, clock)
    assert alert_scan.scan(other) == 0
    (again,) = alert_scan.claim(other)
    assert again.chat_id == claimed[1].chat_id


def test_cli_chart_writes_the_png(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if store.dialect != "sqlite":
        pytest.skip("the CLI test runs once, on SQLite")
    ingest(store, [deal_article("fert-1", "Lagos Ledger", ("Nigeria", "Hungary"), 2e9, "PKR",
                                dt.date(2025, 9, 10))], NOW)
    out = tmp_path / "deals.png"
    url = store.url.render_as_string(hide_password=False)
    assert main(["chart", "deals", "--out", str(out), "--database", url]) == 0
    assert out.read_bytes().startswith(b"\x89PNG") and "1 deal by country" in capsys.readouterr().out
    assert main(["chart", "deals", "kind:loan", "--out", str(tmp_path / "none.png"), "--database", url]) == 1
    assert not (tmp_path / "none.png").exists()


def test_follows_survive_unsubscribe_and_move_with_a_migrated_group(store: Store) -> None:
    core = _core(store, [NOW])
    ingest(store, [profile_article()], NOW)
    subscribers.upsert_subscriber(store, -5, user_id=1, chat_type="group", timezone="UTC",
                                  delivery_time=dt.time(8, 0), now=NOW)
    assert "Following" in _say(core, "follow Lena Okafor alert", -5)
    _say(core, "settings only-follows", -5)
    core.unsubscribe(-5)
    assert [f.label for f in follow_store.list_follows(store, -5)] == ["Lena Okafor"]
    core.chat_migrated(-5, -1005)
    assert follow_store.list_follows(store, -5) == []
    assert [f.label for f in follow_store.list_follows(store, -1005)] == ["Lena Okafor"]
    assert follow_store.get_prefs(store, -1005).only_follows
