"""Real processes broadcasting against the fake Bot API: killed halfway (SIGKILL) and restarted,
stopped (SIGTERM), two at once on PostgreSQL with one chat in a long flood wait.

Each worker is `python -m bot --worker` (the production planner run, the paced rate limiter, the
real HTTP stack) against the fake Bot API server in this process. Subscribers are due a minute
ago, so one run sends everybody's briefing for the day. Every test counts the subscribers with
0, 1 and 2+ briefings and the records flagged `maybe_duplicate`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.sender_lock import SenderLock, SenderLockHeld, lock_path
from briefings.store.db import Store
from tests.support import store_fixtures as _fixtures
from tests.support.due import MARKER, populate, received
from tests.support.fake_bot_api import TOKEN, FakeBotApi
from tests.support.tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    server = FakeBotApi().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema, dropped afterwards."""
    _fixtures.postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_fixtures.PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{_fixtures.PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def worker(api: FakeBotApi, database_url: str, folder: Path, rate: int, *, once: bool = True,
           lease: int = 300, interval: float = 60, run: bool = False) -> subprocess.Popen[str]:
    """A worker process (with `run`: the whole bot, polling); its log lines go to a file (a pipe
    nobody reads would fill and block it)."""
    env = {**os.environ, "BRIEFBOT_TOKEN": TOKEN, "BRIEFBOT_API_BASE_URL": api.base_url,
           "BRIEFBOT_DATABASE_URL": database_url, "BRIEFBOT_RATE_PER_SECOND": str(rate),
           "BRIEFBOT_LEASE_SECONDS": str(lease), "BRIEFBOT_FEEDS_POLL_MINUTES": "0", "PYTHONPATH": str(ROOT)}
    log = (folder / f"worker-{uuid.uuid4().hex[:8]}.log").open("w")
    args = ["--interval", str(interval)] if run or not once else ["--once"]
    mode = [] if run else ["--worker"]
    process = subprocess.Popen([sys.executable, "-m", "bot", *mode, *args], cwd=folder, env=env,
                               stdout=log, stderr=log, text=True)
    process.log_path = Path(log.name)  # type: ignore[attr-defined]
    log.close()
    return process


def finish(process: subprocess.Popen[str], timeout: float = 90) -> str:
    """Wait for a worker (bounded); its log, after checking it ended well."""
    try:
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
    err = Path(process.log_path).read_text()  # type: ignore[attr-defined]
    assert process.returncode == 0, err[-3000:]
    assert TOKEN not in err and "Traceback" not in err, err[-3000:]
    return err


def rows(store: Store) -> dict[int, dict[str, object]]:
    with store.engine.connect() as connection:
        result = connection.execute(text(
            "select chat_id, status, message_ids, maybe_duplicate, claimed_by, sending_at from deliveries"))
        return {int(r.chat_id): {"status": r.status, "ids": json.loads(r.message_ids),
                                 "maybe_duplicate": bool(r.maybe_duplicate), "by": r.claimed_by,
                                 "sending": r.sending_at is not None}
                for r in result}


def flagged(records: dict[int, dict[str, object]]) -> set[int]:
    return {chat for chat, r in records.items() if r["maybe_duplicate"]}


def check_records_agree(api: FakeBotApi, records: dict[int, dict[str, object]], chats: range) -> None:
    """Each record holds message ids the server really gave that chat, and says sent."""
    given: dict[int, set[int]] = {}
    for call in api.sent():
        if call.chat_id is not None and MARKER in call.text:
            given.setdefault(call.chat_id, set()).add(int(call.params["_message_id"]))
    assert set(records) == set(chats)
    for chat, record in records.items():
        assert record["status"] == "sent", (chat, record)
        ids = record["ids"]
        assert isinstance(ids, list) and ids and set(ids) <= given[chat], (chat, record, given.get(chat))


def test_deliveries_sigkill_halfway_then_restart_doubles_and_flags_only_the_sends_in_flight(
        api: FakeBotApi, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    store = Store(url)
    store.upgrade()
    chats = range(10_000, 10_500)
    populate(store, chats)

    first = worker(api, url, tmp_path, rate=250)
    try:
        api.wait_for("sendMessage", lambda c: MARKER in c.text, count=200, timeout=60)
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    before = sum(api.delivered(MARKER).values())
    assert before < len(chats), "the first process finished before it was killed"
    # In flight at the kill: requests begun (sending_at) and never confirmed.
    in_flight = {chat for chat, r in rows(store).items() if r["status"] == "claimed" and r["sending"]}

    finish(worker(api, url, tmp_path, rate=1000))
    got = received(api, chats)
    records = rows(store)
    store.close()
    doubled = {chat for chat, n in api.delivered(MARKER).items() if n > 1}
    assert got[0] == 0 and set(got) <= {1, 2}  # none lost, at most the one documented duplicate
    assert doubled <= in_flight  # only a request out at the kill can be doubled ...
    assert flagged(records) == in_flight  # ... and exactly those are flagged, not every claim held
    assert len(in_flight) <= 32  # at most the sending slots
    check_records_agree(api, records, chats)


@pytest.mark.parametrize("run", [False, True], ids=["worker", "run"])
def test_deliveries_sigterm_mid_broadcast_loses_nothing_and_exits_cleanly(api: FakeBotApi, tmp_path: Path,
                                                                          run: bool) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    store = Store(url)
    store.upgrade()
    chats = range(30_000, 30_600)
    populate(store, chats)
    first = worker(api, url, tmp_path, rate=100, once=False, run=run)
    try:
        api.wait_for("sendMessage", lambda c: MARKER in c.text, count=150, timeout=60)
        first.send_signal(signal.SIGTERM)
        stopped = time.monotonic()
        log = finish(first, timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert time.monotonic() - stopped < 15 and "stopping on SIGTERM" in log
    between = rows(store)
    sent_before = sum(api.delivered(MARKER).values())
    assert sent_before < len(chats)
    # Nothing left hanging: what was begun was finished, the rest given back (deleted).
    assert {r["status"] for r in between.values()} == {"sent"} and len(between) == sent_before

    finish(worker(api, url, tmp_path, rate=1000))
    records = rows(store)
    store.close()
    assert received(api, chats) == Counter({1: len(chats)})  # 0 lost, 0 duplicates
    assert flagged(records) == set()
    check_records_agree(api, records, chats)


def test_deliveries_second_sender_on_one_sqlite_file_refuses(api: FakeBotApi, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    store = Store(url)
    store.upgrade()
    populate(store, range(1, 4))
    path = lock_path(store)
    assert path is not None
    held = SenderLock(path)
    held.acquire()
    try:
        with pytest.raises(SenderLockHeld, match=f"pid {os.getpid()}"):
            SenderLock(path).acquire()
        second = worker(api, url, tmp_path, rate=30)
        assert second.wait(timeout=60) == 1
        err = Path(second.log_path).read_text()
        assert "already sending" in err and "will not send" in err
        assert not api.sent("sendMessage")
    finally:
        held.release()
        store.close()


@pytest.mark.postgres
def test_deliveries_two_processes_on_postgres_never_send_twice(api: FakeBotApi, tmp_path: Path,
                                                               pg_url: str) -> None:
    store = Store(pg_url)
    try:
        store.upgrade()
        chats = range(20_000, 21_000)
        populate(store, chats)
        processes = [worker(api, pg_url, tmp_path, rate=300) for _ in range(2)]
        for process in processes:
            finish(process)
        assert received(api, chats) == Counter({1: len(chats)})
        records = rows(store)
        check_records_agree(api, records, chats)
        assert flagged(records) == set()
        shares = Counter(r["by"] for r in records.values())
        assert len(shares) == 2, f"one process did everything: {shares}"
    finally:
        store.close()


@pytest.mark.postgres
def test_deliveries_a_chat_in_a_flood_wait_longer_than_the_lease_is_not_taken_over(
        api: FakeBotApi, tmp_path: Path, pg_url: str) -> None:
    """One chat answered 429 with a retry_after four times the lease (12 s against 3 s), two workers
    on PostgreSQL, the second one ticking every second (taking over whatever looks abandoned): the
    waiting claim stays with its live owner, and the other chats are not held up by it."""
    store = Store(pg_url)
    try:
        store.upgrade()
        chats = range(40_000, 40_600)
        slow = chats[5]
        populate(store, chats)
        api.fail("sendMessage", 429, chat_id=slow, retry_after=12)
        ticking = worker(api, pg_url, tmp_path, rate=100, once=False, lease=3, interval=1)
        try:
            finish(worker(api, pg_url, tmp_path, rate=100, lease=3), timeout=120)
            api.wait_for("sendMessage", lambda c: c.chat_id == slow and MARKER in c.text, timeout=60)
        finally:
            ticking.send_signal(signal.SIGTERM)
            finish(ticking, timeout=30)
        assert received(api, chats) == Counter({1: len(chats)})  # 0 lost, 0 duplicates
        records = rows(store)
        assert flagged(records) == set()
        check_records_agree(api, records, chats)
        # The others went on during the wait: all of them were out before the slow one.
        times = {c.chat_id: c.at for c in api.sent() if MARKER in c.text}
        [refused] = api.sent("sendMessage!429")
        assert max(t for chat, t in times.items() if chat != slow) < times[slow]
        assert times[slow] - refused.at >= 12
    finally:
        store.close()


@pytest.mark.postgres
def test_deliveries_database_outage_mid_broadcast_is_waited_out(api: FakeBotApi, tmp_path: Path,
                                                                 pg_url: str) -> None:
    """PostgreSQL unreachable for 8 s mid-broadcast (every connection dropped, new ones refused):
    the worker backs off with one log line per attempt, carries on when it is back, loses and
    doubles nothing, and stops cleanly on SIGTERM afterwards."""
    store = Store(pg_url)
    try:
        store.upgrade()
        chats = range(60_000, 60_600)
        populate(store, chats)
        with TcpProxy("127.0.0.1", 5432) as proxy:
            through = pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
            process = worker(api, through, tmp_path, rate=100, once=False, interval=1)
            try:
                api.wait_for("sendMessage", lambda c: MARKER in c.text, count=150, timeout=60)
                proxy.cut(8)
                during = sum(api.delivered(MARKER).values())
                api.wait_for("sendMessage", lambda c: MARKER in c.text, count=len(chats), timeout=90)
                time.sleep(1.5)  # the last confirms
            finally:
                process.send_signal(signal.SIGTERM)
                log = finish(process, timeout=30)
        assert during < len(chats)
        assert received(api, chats) == Counter({1: len(chats)})  # 0 lost, 0 duplicates
        records = rows(store)
        assert flagged(records) == set()
        check_records_agree(api, records, chats)
        outage = [line for line in log.splitlines() if "database unavailable" in line]
        assert 1 <= len(outage) <= 30, outage  # one line per attempt, not one per delivery
        assert "database answers again" in log
    finally:
        store.close()
