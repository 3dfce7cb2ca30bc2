"""Follows, alerts and charts: alert fan-out, chart render time, briefing composition with follows.

    .venv/bin/python bench/follows.py [--readers 10000] [--articles 100] [--rates 30 1000]
                                      [--window 60] [--renders 40] [--compose 300] [--json-out F]

alerts:  `--readers` active subscribers, each following 5 of 250 people, organisations and
         countries with alerts on; then `--articles` articles arrive (one meeting or deal each,
         naming two of them). Timed: the scan (new facts, fan-out, one ledger row per reader and
         fact), the claims and message composition, and the sending through the production path
         (`bot.alerts.run_alerts`: the paced `AIORateLimiter`, the retry policy) to the fake Bot API
         server (its own process), for each configured overall rate; a run longer than `--window`
         is stopped and the rest extrapolated.
charts:  `render_png` of a deals chart (12 bars) and a timeline (60 points), each spec new (no
         cache hit), `--renders` times; and a cached render.
compose: `Core.delivery_messages` for readers with 5 follows each (no shared memo: a reader with
         follows has a briefing of their own), over a store of 300 stories.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from broadcast import SERVER  # noqa: E402
from sqlalchemy import insert, text  # noqa: E402

from bot.__main__ import skip_missing_sniffio  # noqa: E402
from bot.alerts import run_alerts  # noqa: E402
from bot.app import build_application  # noqa: E402
from bot.delivery import DeliveryPolicy, Sender  # noqa: E402
from bot.rate_limit import rate_limiter_for  # noqa: E402
from briefings import alert_scan  # noqa: E402
from briefings.chart_render import render_png  # noqa: E402
from briefings.charts import Bar, DealsChart, Point, TimelineChart  # noqa: E402
from briefings.core import CANDIDATE_STORIES, Core  # noqa: E402
from briefings.reader_briefing import shape  # noqa: E402
from briefings.settings import Settings  # noqa: E402
from briefings.store import alert_ledger, queries  # noqa: E402
from briefings.store import follows as follow_store  # noqa: E402
from briefings.store.articles import ingest  # noqa: E402
from briefings.store.db import Store  # noqa: E402
from briefings.store.schema import FollowRow, SubscriberRow  # noqa: E402
from briefings.stories.keys import name_key  # noqa: E402
from briefings.summarise import summarise  # noqa: E402
from tests.support.builders import deal_article  # noqa: E402
from tests.support.fake_bot_api import TOKEN  # noqa: E402
from tests.support.follow_articles import deal_article as fertiliser_deal  # noqa: E402

FOLLOWS_EACH = 5
NAMES = [f"Party {chr(65 + i % 26)}{i:03d}" for i in range(250)]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ms(values: list[float], cpu: list[float] | None = None) -> dict[str, float]:
    """Median and p95 wall time; and CPU time (this process), which a loaded machine inflates less."""
    out = {"median_ms": round(statistics.median(values) * 1000, 2),
           "p95_ms": round(percentile(values, 0.95) * 1000, 2), "n": len(values)}
    if cpu:
        out |= {"cpu_median_ms": round(statistics.median(cpu) * 1000, 2),
                "cpu_p95_ms": round(percentile(cpu, 0.95) * 1000, 2)}
    return out


class Timer:
    """Wall and CPU time of each timed call."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Timer:
        self._w, self._c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall.append(time.perf_counter() - self._w)
        self.cpu.append(time.process_time() - self._c)

    def summary(self) -> dict[str, float]:
        return ms(self.wall, self.cpu)


def add_readers(store: Store, readers: int, now: dt.datetime, follows_each: int = FOLLOWS_EACH) -> list[int]:
    rng = random.Random(7)
    chats = list(range(2_000_000, 2_000_000 + readers))
    with store.session() as session:
        for start in range(0, readers, 5000):
            session.execute(insert(SubscriberRow), [
                {"chat_id": c, "user_id": c, "chat_type": "private", "timezone": "UTC",
                 "delivery_time": dt.time(8, 0), "language": "en", "active": True, "created_at": now}
                for c in chats[start:start + 5000]])
        rows = [{"chat_id": c, "kind": "organisation", "key": name_key(n), "keys": "[]", "label": n,
                 "detail": None, "alert": True, "created_at": now}
                for c in chats for n in rng.sample(NAMES, follows_each)]
        for start in range(0, len(rows), 5000):
            session.execute(insert(FollowRow), rows[start:start + 5000])
    return chats


def arriving(articles: int, day: dt.date) -> list:  # type: ignore[type-arg]
    """`articles` deals, each between two of the followed names, invented text."""
    out = []
    for i in range(articles):
        parties = (NAMES[(2 * i) % len(NAMES)], NAMES[(2 * i + 1) % len(NAMES)])
        out.append(fertiliser_deal(f"arrive-{i:04d}", f"Outlet {i % 7}", parties, 1e6 * (i + 1), "USD", day))
    return out


async def send_all(core: Core, settings: Settings, window: float) -> dict[str, float]:
    application = build_application(settings, core, rate_limiter=rate_limiter_for(settings), planner=False)
    sent_at: list[float] = []
    original = alert_scan.sent

    def stamped(*args: object) -> None:
        original(*args)  # type: ignore[arg-type]
        sent_at.append(time.perf_counter())

    alert_scan.sent = stamped  # type: ignore[assignment]
    try:
        async with application:
            sender = Sender(application.bot, policy=DeliveryPolicy.from_settings(settings))
            started = time.perf_counter()
            task = asyncio.create_task(run_alerts(sender, core))
            done, _ = await asyncio.wait({task}, timeout=window)
            if not done:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            elapsed = time.perf_counter() - started
    finally:
        alert_scan.sent = original  # type: ignore[assignment]
    steady = max((sent_at[-1] - sent_at[0]) if len(sent_at) > 1 else 0.0, 1e-9)
    return {"sent": len(sent_at), "elapsed": elapsed, "rate": (len(sent_at) - 1) / steady if sent_at else 0.0,
            "cut": float(not done)}


def bench_alerts(readers: int, articles: int, rate: float, window: float) -> dict[str, object]:
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(ROOT)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdin is not None
    base_url = server.stdout.readline().strip()
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'alerts.sqlite3'}"
        settings = Settings(token=TOKEN, api_base_url=base_url, database_url=url, rate_per_second=rate)
        store = Store(url)
        store.upgrade()
        now = dt.datetime.now(dt.UTC)
        add_readers(store, readers, now - dt.timedelta(days=1))
        core = Core(settings, store)
        alert_scan.scan(core)  # nothing yet: marks nothing
        t = time.perf_counter()
        ingest(store, arriving(articles, now.date()), now)
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        rows = alert_scan.scan(core)
        scan_s = time.perf_counter() - t
        t = time.perf_counter()
        claimed = alert_scan.claim(core)
        claim_s = time.perf_counter() - t
        t = time.perf_counter()
        for item in claimed:
            alert_scan.message(core, item)
        compose_s = time.perf_counter() - t
        for item in claimed:
            alert_scan.release(core, item)
        with store.session() as session:
            readers_alerted = session.scalar(text("select count(distinct chat_id) from alert_deliveries"))
        cpu0 = time.process_time()
        measured = asyncio.run(send_all(core, settings, window))
        cpu = time.process_time() - cpu0
        counts = alert_ledger.counts(store)
        store.close()
    server.stdin.close()
    seen = json.loads(server.stdout.readline())
    server.wait(timeout=30)
    achieved = float(measured["rate"])
    return {
        "readers": readers, "follows_each": FOLLOWS_EACH, "articles": articles, "configured_rate": rate,
        "ingest_s": round(ingest_s, 1), "scan_s": round(scan_s, 2), "ledger_rows": rows,
        "claim_s_per_500": round(claim_s, 2), "messages": readers_alerted,
        "compose_ms_per_message": round(1000 * compose_s / max(len(claimed), 1), 3),
        "cpu_ms_per_message": round(1000 * cpu / max(int(measured["sent"]), 1), 2),
        "sent": int(measured["sent"]), "achieved_rate": round(achieved, 1),
        "fraction": round(achieved / rate, 3), "cut_after_window": bool(measured["cut"]),
        "all_messages_s": round(readers_alerted / achieved, 1) if achieved else None,
        "server_saw": seen, "ledger": counts,
    }


def bench_charts(renders: int) -> dict[str, object]:
    rng = random.Random(3)
    render_png(DealsChart(title="warm-up", by="country", currency="USD", rates_date=dt.date(2025, 9, 30),
                          bars=[Bar(label="A", value=1.0, deals=1)], deals=1, sources=1))
    deals, timelines, cached = Timer(), Timer(), Timer()
    for i in range(renders):
        bars = [Bar(label=f"Country {j}", value=rng.uniform(1e6, 5e9), deals=rng.randint(1, 9))
                for j in range(12)]
        chart = DealsChart(title=f"Deal amounts {i}", by="country", currency="USD", bars=bars, deals=40,
                           rates_date=dt.date(2025, 9, 30), sources=25, rates={"PKR": 0.003545})
        with deals:
            render_png(chart)
        with cached:
            render_png(chart)
        start = dt.date(2025, 1, 1)
        line = TimelineChart(title=f"Timeline {i}", sources=30, points=[
            Point(day=start + dt.timedelta(days=rng.randint(0, 300)), precision=rng.choice(["day", "month"]),
                  lane=rng.choice(["meeting", "deal", "event"]), label=f"fact {j} of the timeline")
            for j in range(60)])
        with timelines:
            render_png(line)
    return {"deals_chart": deals.summary(), "timeline_chart": timelines.summary(), "cached": cached.summary()}


def bench_compose(readers: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'compose.sqlite3'}"
        store = Store(url)
        store.upgrade()
        now = dt.datetime.now(dt.UTC)
        ingest(store, [deal_article(i) for i in range(300)], now - dt.timedelta(hours=3))
        parties = [f"{p} {i}" for i, p in enumerate(
            ("Alder Mining", "Birch Ports", "Cedar Rail", "Dune Energy", "Elm Logistics", "Fir Telecom",
             "Gale Shipping", "Hazel Water", "Iris Solar", "Juniper Steel") * 30)]
        rng = random.Random(5)
        chats = list(range(3_000_000, 3_000_000 + readers))
        with store.session() as session:
            session.execute(insert(SubscriberRow), [
                {"chat_id": c, "user_id": c, "chat_type": "private", "timezone": "UTC",
                 "delivery_time": dt.time(8, 0), "language": "en", "active": True,
                 "created_at": now - dt.timedelta(days=1)} for c in chats])
            session.execute(insert(FollowRow), [
                {"chat_id": c, "kind": "organisation", "key": name_key(n), "keys": "[]", "label": n,
                 "detail": None, "alert": False, "created_at": now}
                for c in chats for n in rng.sample(parties, FOLLOWS_EACH)])
        core = Core(Settings(database_url=url, token=None), store)
        subs = [s for s in core.deliverable() if s.chat_id in set(chats)]
        core.delivery_messages(subs[0], at=now)  # warm-up
        times, plain, pure = Timer(), Timer(), Timer()
        for sub in subs:
            with times:
                core.delivery_messages(sub, at=now)
        # The same without the store: summarise, shape by follows and render, from loaded stories
        # (as bench/render.py measures the briefing without follows).
        window = queries.list_stories(store, page=1, page_size=CANDIDATE_STORIES).items
        for sub in subs:
            follows, prefs, extra = follow_store.reader(store, sub.chat_id, None, {s.id for s in window})
            stories = [*window, *extra]
            with pure:
                shared = summarise(window, today=now.date(), now=now)
                core.renderer.briefing(shape(shared, stories, follows, prefs, today=now.date(), now=now,
                                             since=None), "html")
        with store.session() as session:
            session.query(FollowRow).delete()
        for sub in subs[:100]:
            with plain:
                core.delivery_messages(sub, at=now)
        store.close()
    return {"with_5_follows": times.summary(), "without_follows": plain.summary(),
            "summarise_shape_render_5_follows": pure.summary(), "stories": 300}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--rates", type=float, nargs="+", default=[30.0, 1000.0])
    parser.add_argument("--window", type=float, default=60.0)
    parser.add_argument("--renders", type=int, default=40)
    parser.add_argument("--compose", type=int, default=300)
    parser.add_argument("--only", choices=["alerts", "charts", "compose"], default=None)
    parser.add_argument("--json-out", type=Path, default=None)
    args = parser.parse_args()
    skip_missing_sniffio()
    results: dict[str, object] = {}
    if args.only in (None, "charts"):
        results["charts"] = bench_charts(args.renders)
        print(json.dumps({"charts": results["charts"]}), flush=True)
    if args.only in (None, "compose"):
        results["compose"] = bench_compose(args.compose)
        print(json.dumps({"compose": results["compose"]}), flush=True)
    if args.only in (None, "alerts"):
        results["alerts"] = [bench_alerts(args.readers, args.articles, rate, args.window)
                             for rate in args.rates]
        for row in results["alerts"]:  # type: ignore[attr-defined]
            print(json.dumps({"alerts": row}), flush=True)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
