"""Command reply time through the real bot stack at 10,000 stored articles.

    .venv/bin/python bench/commands.py [--articles 10000] [--rounds 20]

Builds (once, cached under bench/.cache/) a SQLite store of synthetic articles from a seeded
generator (invented names, one deal, meeting and dated event each, published over a year), then
starts the fake Bot API server and the real python-telegram-bot Application polling it, and sends
each command `--rounds` times, with the production rate limiter (`rate_limiter_for`). Reply time
runs from the update's arrival (queued at the fake server, as Telegram holds it for getUpdates) to
the moment the reply's first message reaches the fake server, so polling, queueing behind the
limiter and handling all show; the handler's own share (from a group -1 stamp) is printed too.
A reply of several messages counts at its first. Target: p95 under 100 ms for every command.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from telegram import Update  # noqa: E402
from telegram.ext import ContextTypes, TypeHandler  # noqa: E402

from bot.app import build_application  # noqa: E402
from bot.rate_limit import rate_limiter_for  # noqa: E402
from briefings.core import Core  # noqa: E402
from briefings.models import (  # noqa: E402
    Article,
    ArticleFacts,
    DateValue,
    Deal,
    Event,
    Evidence,
    Meeting,
    Money,
    Organisation,
    Paragraph,
    Person,
)
from briefings.settings import Settings  # noqa: E402
from briefings.store.articles import ingest  # noqa: E402
from briefings.store.db import Store  # noqa: E402
from tests.support.fake_bot_api import TOKEN, FakeBotApi  # noqa: E402

FIRST = ("Ana", "Jon", "Mira", "Tomas", "Lena", "Omar", "Sara", "Ivo", "Nadia", "Paulo", "Rhea", "Kofi")
LAST = ("Lima", "Berg", "Novak", "Okafor", "Santos", "Haddad", "Moreau", "Tanaka", "Quist", "Varga")
PLACES = ("Northland", "Southport", "Eastvale", "Westmarch", "Highmoor", "Lowbridge", "Redcliff", "Greyhaven")
FIRMS = ("Alder Mining", "Birch Ports", "Cedar Rail", "Dune Energy", "Elm Logistics", "Fir Telecom",
         "Gale Shipping", "Hazel Water", "Iris Solar", "Juniper Steel", "Kestrel Air", "Linden Foods")
OUTLETS = ("Daily Planet", "Gazette", "Courier", "Herald", "Chronicle", "Tribune", "Observer")
NOW = dt.datetime(2025, 12, 31, 8, 0, tzinfo=dt.UTC)


def synthetic_article(index: int, rng: random.Random) -> ArticleFacts:
    """One invented article: a meeting, a deal with an amount and a dated event, with true offsets."""
    day = dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(365))
    a = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    b = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    place, other = rng.sample(PLACES, 2)
    firm = f"{rng.choice(FIRMS)} {index % 97}"
    amount = rng.randrange(5, 900) * 1e6
    s1 = f"Minister {a} met Minister {b} in {place} on {day:%B} {day.day} to discuss trade."
    s2 = f"{place} signed a memorandum of understanding with {firm} worth ${amount / 1e6:.0f} million."
    s3 = f"A follow-up summit with {other} is scheduled for {day:%B %Y} (item {index})."
    title = f"{place} and {firm} sign deal"
    text = f"{title}\n\n{s1} {s2} {s3}"
    body = len(title) + 2
    article = Article(id=f"bench-{index:05d}", title=title, text=text, url=f"https://news.example/{index}",
                      outlet=rng.choice(OUTLETS), published=day, published_source="metadata",
                      paragraphs=[Paragraph(kind="heading", start=0, end=len(title), text=title),
                                  Paragraph(kind="body", start=body, end=len(text), text=text[body:])])

    def ev(sentence: str) -> Evidence:
        start = text.index(sentence)
        return Evidence(article_id=article.id, sentence=sentence, start=start, end=start + len(sentence),
                        outlet=article.outlet, url=article.url)

    return ArticleFacts(
        article=article, people=[Person(name=a), Person(name=b)], organisations=[Organisation(name=firm)],
        meetings=[Meeting(kind="meeting", participants=[a, b], date=DateValue.from_date(day), place=place,
                          evidence=[ev(s1)])],
        deals=[Deal(kind="mou", parties=[place, firm], amount=Money(value=amount, currency="USD"),
                    status="signed", date=DateValue.from_date(day), evidence=[ev(s2)])],
        events=[Event(date=DateValue(year=day.year, month=day.month), what=f"Summit with {other}",
                      status="planned", evidence=[ev(s3)])])


def build_store(url: str, articles: int) -> Store:
    store = Store(url)
    store.upgrade()
    have = store_articles(store)
    if have >= articles:
        return store
    rng = random.Random(20250915)
    facts = [synthetic_article(i, rng) for i in range(articles)]
    started = time.perf_counter()
    batch = 200
    for offset in range(have, articles, batch):
        ingest(store, facts[offset:offset + batch], NOW)
        done = min(offset + batch, articles)
        rate = (done - have) / (time.perf_counter() - started)
        print(f"  ingested {done}/{articles} ({rate:.0f} articles/s)", file=sys.stderr, flush=True)
    return store


def store_articles(store: Store) -> int:
    from briefings.store.queries import stats

    return stats(store).articles


COMMANDS = ("/deals", "/deals Birch", "/deals kind:mou min:500m", "/deals min:1bn", "/deals page 2",
            "/meetings", "/meetings Lima", "/timeline", "/timeline Northland 2025-06", "/who Ana Lima",
            "/who Okafor", "/who Ana Lmia", "/search harbour", "/search Cedar", "/search signing", "/brief",
            "/settings", "/help", "/start", "/sources {deal}", "/sources {story}")


async def measure(core: Core, api: FakeBotApi, rounds: int) -> dict[str, list[float]]:
    from briefings.store.queries import list_deals
    from briefings.store.views import DealFilter

    deal_id = list_deals(core.store, DealFilter(), page=1, page_size=1).items[0].id
    story_id = _first_story(core)
    app = build_application(core.settings, core, rate_limiter=rate_limiter_for(core.settings))
    from bot.__main__ import warm_up

    warm_up(core)  # as `briefbot run` does at start-up
    started: dict[int, float] = {}

    async def stamp(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        started[update.update_id] = time.monotonic()

    app.add_handler(TypeHandler(Update, stamp), group=-1)
    timings: dict[str, list[float]] = {c: [] for c in COMMANDS}
    handling: list[float] = []
    await app.initialize()
    await app.start()
    app.job_queue.get_jobs_by_name("briefing-planner")[0].enabled = False  # type: ignore[union-attr]
    await app.updater.start_polling(poll_interval=0.0, timeout=dt.timedelta(seconds=1))  # type: ignore[union-attr]
    try:
        chat = 5000
        for _ in range(rounds):
            for command in COMMANDS:
                chat += 1
                text = command.format(deal=deal_id, story=story_id)
                update = api.command(chat, chat, text)
                mark = api.mark()
                arrived = time.monotonic()
                api.push(update)
                # A long reply is several messages: the first one is when the reader sees an answer.
                replies = await asyncio.to_thread(api.wait_for, "sendMessage",
                                                  lambda c, chat=chat: c.chat_id == chat, after=mark,
                                                  timeout=30.0)
                first = min(reply.at for reply in replies)
                timings[command].append((first - arrived) * 1000)
                handling.append((first - started.get(update["update_id"], arrived)) * 1000)
    finally:
        await app.updater.stop()  # type: ignore[union-attr]
        await app.stop()
        await app.shutdown()
    if handling:
        print(f"handler start to first message: median {statistics.median(handling):.1f} ms, "
              f"p95 {p95(handling):.1f} ms", file=sys.stderr)
    return timings


def _first_story(core: Core) -> str:
    from briefings.store.queries import list_stories

    return list_stories(core.store, page=1, page_size=1).items[0].id


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default: bench/.cache/)")
    args = parser.parse_args()
    db = args.db or ROOT / "bench" / ".cache" / f"commands-{args.articles}.sqlite3"
    url = f"sqlite:///{db}"
    print(f"store: {db}", file=sys.stderr)
    store = build_store(url, args.articles)
    api = FakeBotApi().start()
    try:
        settings = Settings(token=TOKEN, database_url=url, api_base_url=api.base_url, admins=frozenset())
        core = Core(settings, store, clock=lambda: NOW)
        timings = asyncio.run(measure(core, api, args.rounds))
    finally:
        api.stop()
        store.close()
    stats = core_stats(url)
    print(f"\n{stats} · {args.rounds} rounds\n")
    print("| command | median ms | p95 ms | max ms |")
    print("|---|---|---|---|")
    everything: list[float] = []
    for command, values in timings.items():
        everything += values
        print(f"| `{command}` | {statistics.median(values):.1f} | {p95(values):.1f} | {max(values):.1f} |")
    median, worst = statistics.median(everything), max(everything)
    print(f"| **all** | {median:.1f} | {p95(everything):.1f} | {worst:.1f} |")
    return 0


def core_stats(url: str) -> str:
    from briefings.store.queries import stats

    store = Store(url)
    try:
        s = stats(store)
    finally:
        store.close()
    return (f"{s.articles} articles, {s.stories} stories, {s.deals} deals, {s.meetings} meetings, "
            f"{s.events} events")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


if __name__ == "__main__":
    sys.exit(main())
