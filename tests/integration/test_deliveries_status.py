"""`briefbot status`: per-day delivery counts as a table or JSON (`--health`: test_health.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from briefings.cli import main
from briefings.store import deliveries, subscribers
from briefings.store.db import Store
from briefings.store.deliveries import Slot

TODAY = dt.datetime.now(dt.UTC)


def _records(url: str) -> None:
    store = Store(url)
    store.upgrade()
    day = TODAY.date()
    for chat in (1, 2, 3, 4):
        subscribers.upsert_subscriber(store, chat, user_id=chat, chat_type="private", timezone="UTC",
                                      delivery_time=dt.time(23, 59), now=TODAY)
    deliveries.claim_batch(store, [Slot(chat_id=c, local_date=day) for c in (1, 2, 3, 4)], TODAY, worker="w")
    deliveries.mark_sent(store, 1, day, [11], TODAY)
    deliveries.mark_failed(store, 2, day, "Forbidden: bot was blocked by the user", TODAY)
    deliveries.mark_failed(store, 3, day, "TimedOut: Timed out", TODAY, status="ambiguous")
    deliveries.mark_sent(store, 1, day - dt.timedelta(days=1), [10], TODAY)
    store.close()


def test_deliveries_status_json_and_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    _records(url)
    assert main(["status", "--database", url, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    today, yesterday = report["days"]
    assert today["local_date"] == TODAY.date().isoformat() and yesterday["sent"] == 1
    assert (today["sent"], today["failed"], today["pending"], today["ambiguous"]) == (1, 1, 1, 1)
    assert report["active_subscribers"] == 4
    assert main(["status", "--database", url]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("Active subscribers: 4")
    assert table[2].split() == ["date", "sent", "failed", "pending", "ambiguous", "skipped", "maybe-dup"]
    assert table[3].split() == [TODAY.date().isoformat(), "1", "1", "1", "1", "0", "1"]
