"""Broadcast throughput: N subscribers due at once, the production sending path, a fake Bot API.

    .venv/bin/python bench/broadcast.py [--subscribers 10000] [--rates 30 1000] [--window 60]
                                        [--database URL] [--concurrency N]

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
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from bot.__main__ import skip_missing_sniffio  # noqa: E402
from bot.app import build_application  # noqa: E402
from bot.broadcast import run_due  # noqa: E402
from bot.delivery import DeliveryPolicy, Sender  # noqa: E402
from bot.rate_limit import rate_limiter_for  # noqa: E402
from briefings.core import Core  # noqa: E402
from briefings.settings import Settings  # noqa: E402
from briefings.store.articles import ingest  # noqa: E402
from briefings.store.db import Store  # noqa: E402
from briefings.store.schema import SubscriberRow  # noqa: E402
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
print(json.dumps({"sent": len(sent), "chats": len(per_chat), "max_per_chat": max(per_chat.values(),
                                                                               default=0)}), flush=True)
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


async def broadcast(core: Core, settings: Settings, concurrency: int | None, window: float,
                    expected: int) -> dict[str, float]:
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
        task = asyncio.create_task(run_due(sender, core))
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


def run_one(rate: float, subscribers: int, window: float, database: str | None,
            concurrency: int | None) -> dict[str, object]:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(ROOT)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdin is not None
    base_url = server.stdout.readline().strip()
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as folder:
        url = database or f"sqlite:///{Path(folder) / 'broadcast.sqlite3'}"
        settings = Settings(token=TOKEN, api_base_url=base_url, database_url=url, rate_per_second=rate,
                            grace_minutes=120)
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
        measured = asyncio.run(broadcast(core, settings, concurrency, window, subscribers))
        cpu = time.process_time() - cpu0
        s1, c1 = load.snapshot()
        store.close()
    server.stdin.close()
    counts = json.loads(server.stdout.readline())
    server.wait(timeout=30)
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
    }


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
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args()
    skip_missing_sniffio()  # as the production entrypoint does
    results = []
    for rate in args.rates:
        result = run_one(rate, args.subscribers, args.window, args.database, args.concurrency)
        print(json.dumps(result), flush=True)
        results.append(result)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
