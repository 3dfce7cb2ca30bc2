"""Broadcast throughput: N subscribers due at once, the production sending path, a fake Bot API.

    .venv/bin/python bench/broadcast.py [--subscribers 10000] [--rates 30 1000] [--window 60]
                                        [--database URL] [--concurrency N] [--post-now]
    .venv/bin/python bench/broadcast.py --workers 2 4 --database postgresql+psycopg://... \
                                        [--subscribers 10000] [--rates 1000]

In-process mode: one planner run in this process (`--post-now`: the `/post_now` path instead, with
a planner tick every minute beside it, as `briefbot run` does). Worker mode (`--workers N`): N
`python -m bot --worker --once` processes on one PostgreSQL database, each at the configured rate.
Both report, next to the speed, what matters for the ledger: subscribers with 0, 1 and 2+
briefings (from the server's own count) and the records flagged `maybe_duplicate`.

For each configured overall rate, a fresh store gets `--subscribers` subscribers all due a minute
ago and a few stories; one planner run (`bot.broadcast.run_due`: claims in batches, the paced rate
limiter, the retry policy, a confirm per briefing) sends to the fake Bot API server from
`tests/support/`, which runs in its own process so its CPU does not share this one's GIL. When the
whole broadcast would take longer than `--window` seconds at the configured rate, the run is
stopped after the window and the rest is extrapolated from the measured rate (the report says so).

Measured: achieved send rate as a fraction of the configured one (over the steady part: from the
first briefing sent), CPU time and peak RSS of the sending process, database statements and
commits per briefing, planning time; and, from the measured rate, the time 1,000,000 subscribers
would take next to Telegram's limits (30 messages/s; paid broadcasts up to 1,000/s).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, event, func, select, text  # noqa: E402

from bot.__main__ import skip_missing_sniffio  # noqa: E402
from bot.app import build_application  # noqa: E402
from bot.broadcast import broadcast as broadcast_post_now  # noqa: E402
from bot.broadcast import run_due  # noqa: E402
from bot.delivery import DeliveryPolicy, Sender  # noqa: E402
from bot.rate_limit import rate_limiter_for  # noqa: E402
from briefings.core import Core  # noqa: E402
from briefings.settings import Settings  # noqa: E402
from briefings.store.articles import ingest  # noqa: E402
from briefings.store.db import Store  # noqa: E402
from briefings.store.schema import DeliveryRow, SubscriberRow  # noqa: E402
from tests.support.builders import deal_article  # noqa: E402
from tests.support.fake_bot_api import TOKEN  # noqa: E402

TELEGRAM_RATE = 30
PAID_RATE = 1000
MILLION = 1_000_000
SERVER = """
import json, sys
from collections import Counter
sys.path.insert(0, sys.argv[1])
from tests.support.fake_bot_api import FakeBotApi
api = FakeBotApi().start()
print(api.base_url, flush=True)
sys.stdin.read()
sent = [c for c in api.calls if c.method == "sendMessage"]
per_chat = Counter(c.chat_id for c in sent)
times = sorted(c.at for c in sent)
print(json.dumps({"sent": len(sent), "chats": len(per_chat),
                  "max_per_chat": max(per_chat.values(), default=0),
                  "doubled": sum(1 for n in per_chat.values() if n > 1),
                  "span_s": times[-1] - times[0] if len(times) > 1 else 0.0}), flush=True)
api.stop()
"""


def populate(store: Store, count: int, now: dt.datetime) -> None:
    """`count` subscribers due a minute ago, who joined just before; a few stories to brief them on."""
    ingest(store, [deal_article(i) for i in range(5)], now - dt.timedelta(hours=2))
    due = (now - dt.timedelta(minutes=1)).replace(second=0, microsecond=0)
    joined = due - dt.timedelta(minutes=1)
    for start in range(0, count, 5000):
        with store.session() as session:
            session.add_all([SubscriberRow(chat_id=chat, user_id=chat, chat_type="private", timezone="UTC",
                                           delivery_time=due.time(), language="en", active=True,
                                           created_at=joined)
                             for chat in range(1_000_000 + start, 1_000_000 + min(count, start + 5000))])


class DbLoad:
    """Statements and commits on the store's engine (counted from any thread)."""

    def __init__(self, store: Store) -> None:
        self.statements = itertools.count()
        self.commits = itertools.count()
        event.listen(store.engine, "before_cursor_execute", lambda *a: next(self.statements))
        event.listen(store.engine, "commit", lambda *a: next(self.commits))

    def snapshot(self) -> tuple[int, int]:
        # Reading an itertools.count means taking a number from it; subtract the reads.
        return next(self.statements), next(self.commits)


async def post_now_with_ticks(sender: Sender, core: Core) -> None:
    """`/post_now` to everyone with the planner ticking every minute beside it (`briefbot run`)."""
    slots = [(sub.chat_id, day) for sub, day in core.claim_today_for_all()]
    post = asyncio.create_task(broadcast_post_now(sender, core, slots))
    while not post.done():
        await asyncio.wait({post}, timeout=60)
        if not post.done():
            await run_due(sender, core)
    await post


async def broadcast(core: Core, settings: Settings, concurrency: int | None, window: float,
                    expected: int, post_now: bool = False) -> dict[str, float]:
    application = build_application(settings, core, rate_limiter=rate_limiter_for(settings), planner=False)
    policy = DeliveryPolicy.from_settings(settings)
    if concurrency:
        policy = DeliveryPolicy(concurrency=concurrency)
    sent_times: list[float] = []
    original = core.record_sent

    def stamped(*args: object, **kwargs: object) -> None:
        original(*args, **kwargs)  # type: ignore[arg-type]
        sent_times.append(time.perf_counter())

    core.record_sent = stamped  # type: ignore[method-assign]
    async with application:
        sender = Sender(application.bot, policy=policy)
        started = time.perf_counter()
        task = asyncio.create_task(post_now_with_ticks(sender, core) if post_now else run_due(sender, core))
        done, _ = await asyncio.wait({task}, timeout=window)
        cut = not done
        if cut:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        elapsed = time.perf_counter() - started
    first = sent_times[0] if sent_times else started
    last = sent_times[-1] if sent_times else started
    steady = max(last - first, 1e-9)
    return {"sent": len(sent_times), "elapsed": elapsed, "steady_s": steady,
            "rate": (len(sent_times) - 1) / steady if len(sent_times) > 1 else 0.0,
            "first_after": first - started, "cut": float(cut), "concurrency": policy.concurrency,
            "expected": expected}


def flagged(store: Store) -> int:
    with store.session() as session:
        return int(session.scalar(select(func.count(DeliveryRow.id)).where(DeliveryRow.maybe_duplicate)) or 0)


def run_one(rate: float, subscribers: int, window: float, database: str | None,
            concurrency: int | None, post_now: bool = False, lease: int = 300) -> dict[str, object]:
    server, base_url = _start_server()
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as folder:
        url = database or f"sqlite:///{Path(folder) / 'broadcast.sqlite3'}"
        settings = Settings(token=TOKEN, api_base_url=base_url, database_url=url, rate_per_second=rate,
                            grace_minutes=120, lease_seconds=lease)
        store = Store(url)
        store.upgrade()
        now = dt.datetime.now(dt.UTC)
        t = time.perf_counter()
        populate(store, subscribers, now)
        setup_s = time.perf_counter() - t
        core = Core(settings, store)
        t = time.perf_counter()
        plans = core.due_deliveries()
        plan_s = time.perf_counter() - t
        assert len(plans) == subscribers, len(plans)
        load = DbLoad(store)
        s0, c0 = load.snapshot()
        cpu0 = time.process_time()
        measured = asyncio.run(broadcast(core, settings, concurrency, window, subscribers, post_now))
        cpu = time.process_time() - cpu0
        s1, c1 = load.snapshot()
        marked = flagged(store)
        store.close()
    counts = _server_counts(server)
    sent = int(measured["sent"])
    achieved = float(measured["rate"])
    return {
        "configured_rate": rate, "subscribers": subscribers, "sent": sent,
        "cut_after_window": bool(measured["cut"]), "window_s": window,
        "achieved_rate": round(achieved, 1), "fraction": round(achieved / rate, 3),
        "wall_s": round(float(measured["elapsed"]), 1),
        "first_send_after_s": round(measured["first_after"], 2),
        "full_broadcast_s": round(subscribers / achieved, 1) if achieved else None,
        "cpu_ms_per_briefing": round(1000 * cpu / max(sent, 1), 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "db_statements_per_briefing": round((s1 - s0 - 1) / max(sent, 1), 2),
        "db_commits_per_briefing": round((c1 - c0 - 1) / max(sent, 1), 2),
        "db_commits_per_s": round((c1 - c0 - 1) / max(float(measured["elapsed"]), 1e-9), 1),
        "plan_ms": round(plan_s * 1000, 1), "setup_s": round(setup_s, 1),
        "concurrency": int(measured["concurrency"]),
        "server_saw": counts,
        "million_hours": round(MILLION / achieved / 3600, 2) if achieved else None,
        "million_hours_at_telegram_limit": round(MILLION / TELEGRAM_RATE / 3600, 2),
        "million_hours_at_paid_limit": round(MILLION / PAID_RATE / 3600, 2),
        "database": "postgresql" if database else "sqlite",
        "path": "post_now + planner ticks" if post_now else "planner",
        "doubled": counts["doubled"], "flagged": marked, "lease_s": lease,
    }


def _start_server() -> tuple[subprocess.Popen[str], str]:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(ROOT)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    return server, server.stdout.readline().strip()


def _server_counts(server: subprocess.Popen[str]) -> dict[str, float]:
    assert server.stdin is not None and server.stdout is not None
    server.stdin.close()
    counts: dict[str, float] = json.loads(server.stdout.readline())
    server.wait(timeout=30)
    return counts


def _run_workers(count: int, base_url: str, url: str, rate: float, folder: Path) -> tuple[float, float]:
    """`count` worker processes at once until they exit; (wall seconds, their CPU seconds)."""
    env = {**os.environ, "BRIEFBOT_TOKEN": TOKEN, "BRIEFBOT_API_BASE_URL": base_url,
           "BRIEFBOT_DATABASE_URL": url, "BRIEFBOT_RATE_PER_SECOND": str(rate),
           "BRIEFBOT_FEEDS_POLL_MINUTES": "0", "BRIEFBOT_LOG_LEVEL": "WARNING", "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    logs = [(folder / f"worker-{i}.log").open("w") for i in range(count)]
    processes = [subprocess.Popen([sys.executable, "-m", "bot", "--worker", "--once"], cwd=folder, env=env,
                                  stdout=log, stderr=log) for log in logs]
    cpu = 0.0
    for process in processes:
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        cpu += usage.ru_utime + usage.ru_stime
    for log in logs:
        log.close()
    bad = [p.returncode for p in processes if p.returncode != 0]
    assert not bad, (bad, (folder / "worker-0.log").read_text()[-2000:])
    return time.perf_counter() - started, cpu


def run_workers(workers: int, total_rate: float, subscribers: int, database: str) -> dict[str, object]:
    """`workers` processes on one PostgreSQL database sharing the bot's `total_rate` (each is set to
    its share, as production must: Telegram's limit is the bot's); a fresh schema per run."""
    rate = total_rate / workers
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(database)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{database}{'&' if '?' in database else '?'}options=-csearch_path%3D{schema}"
    try:
        with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as folder:
            store = Store(url)
            store.upgrade()
            # Start-up alone (imports, warm-up, one empty planner run), to take out of the CPU figure.
            server, base_url = _start_server()
            _, idle_cpu = _run_workers(1, base_url, url, rate, Path(folder))
            _server_counts(server)
            populate(store, subscribers, dt.datetime.now(dt.UTC))
            server, base_url = _start_server()
            wall, cpu = _run_workers(workers, base_url, url, rate, Path(folder))
            counts = _server_counts(server)
            marked = flagged(store)
            with store.session() as session:
                shares = sorted(int(n) for n in session.scalars(
                    select(func.count(DeliveryRow.id)).group_by(DeliveryRow.claimed_by)))
            store.close()
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    sent = int(counts["sent"])
    achieved = (sent - 1) / counts["span_s"] if counts["span_s"] else 0.0
    configured = total_rate
    return {
        "workers": workers, "rate_per_worker": rate, "configured_total": configured,
        "subscribers": subscribers,
        "sent": sent, "chats": int(counts["chats"]), "doubled": int(counts["doubled"]), "flagged": marked,
        "lost": subscribers - int(counts["chats"]), "shares": shares,
        "achieved_rate": round(achieved, 1), "fraction_of_configured": round(achieved / configured, 3),
        "wall_s": round(wall, 1), "send_span_s": round(counts["span_s"], 1),
        "cpu_ms_per_briefing": round(1000 * (cpu - workers * idle_cpu) / max(sent, 1), 2),
        "startup_cpu_s_per_worker": round(idle_cpu, 2),
        "million_minutes": round(MILLION / achieved / 60, 1) if achieved else None,
    }


def run_planner(count: int) -> dict[str, object]:
    """The planner tick over `count` subscribers spread over the day's minutes (SQLite): the first
    tick looks at everyone once (new rows); the next ones read only who is due."""
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'plan.sqlite3'}"
        store = Store(url)
        store.upgrade()
        now = dt.datetime.now(dt.UTC).replace(second=30, microsecond=0)
        joined = now - dt.timedelta(days=3)
        for start in range(0, count, 5000):
            with store.session() as session:
                session.add_all([SubscriberRow(
                    chat_id=chat, user_id=chat, chat_type="private", timezone="UTC",
                    delivery_time=dt.time((chat % 1440) // 60, chat % 60), language="en", active=True,
                    created_at=joined) for chat in range(start, min(count, start + 5000))])
        ticks = []
        for minute in range(4):
            clock = now + dt.timedelta(minutes=minute)
            settings = Settings(token=TOKEN, database_url=url, grace_minutes=120)
            core = Core(settings, store, clock=lambda c=clock: c)
            started = time.perf_counter()
            plans = core.due_deliveries()
            core.record_skipped([p for p in plans if p.skip_reason is not None])
            core.claim_due([p for p in plans if p.skip_reason is None])
            ticks.append({"ms": round(1000 * (time.perf_counter() - started), 1), "planned": len(plans)})
        store.close()
    return {"planner_subscribers": count, "ticks": ticks}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--rates", type=float, nargs="+", default=[30.0, 1000.0])
    parser.add_argument("--window", type=float, default=60.0,
                        help="stop a broadcast after this many seconds and extrapolate (default 60)")
    parser.add_argument("--database", default=None,
                        help="a PostgreSQL URL (default: a temporary SQLite file)")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="briefings in flight (default: from the rate, as production)")
    parser.add_argument("--lease", type=int, default=300, help="BRIEFBOT_LEASE_SECONDS (default 300)")
    parser.add_argument("--post-now", action="store_true",
                        help="in-process: the /post_now path with planner ticks beside it")
    parser.add_argument("--workers", type=int, nargs="+", default=None,
                        help="worker processes on --database (PostgreSQL), sharing each rate")
    parser.add_argument("--planner", type=int, default=None,
                        help="time planner ticks over this many subscribers spread over the day")
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args()
    if args.planner:
        print(json.dumps(run_planner(args.planner)), flush=True)
        return 0
    skip_missing_sniffio()  # as the production entrypoint does
    results: list[dict[str, object]] = []
    if args.workers:
        if not args.database:
            parser.error("--workers needs --database (PostgreSQL)")
        for workers in args.workers:
            for rate in args.rates:
                result = run_workers(workers, rate, args.subscribers, args.database)
                print(json.dumps(result), flush=True)
                results.append(result)
    for rate in [] if args.workers else args.rates:
        result = run_one(rate, args.subscribers, args.window, args.database, args.concurrency, args.post_now,
                         args.lease)
        print(json.dumps(result), flush=True)
        results.append(result)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
