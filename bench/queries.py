"""Query latency benchmark on a store built by `bench/ingest.py`: median and p95 per query kind.

    .venv/bin/python bench/queries.py --database sqlite:////tmp/briefbot-bench.sqlite3 [--runs 50]

Each query kind runs `--runs` times with arguments sampled (seeded) from what the store holds:
people, parties, countries, fact ids, words of headlines. Times include opening a session,
the SQL, and turning rows into models, as the bot and CLI see them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import time
from collections.abc import Callable

from sqlalchemy import text

from briefings.store import queries
from briefings.store.db import Store
from briefings.store.views import DealFilter
from briefings.stories.terms import english_stop_words

TARGET_MS = 50.0


def _sample(store: Store, sql: str, limit: int = 200) -> list[str]:
    with store.session() as session:
        return [str(r[0]) for r in session.execute(text(f"{sql} limit {limit}")) if r[0]]


def _cases(store: Store, rnd: random.Random) -> dict[str, Callable[[], object]]:
    people = _sample(store, "select name from person_mentions group by name order by count(*) desc")
    surnames = [p.split()[-1] for p in people if " " in p]
    parties = _sample(store, "select data from deals order by id")
    parties = [json.loads(d)["parties"][0] for d in parties if json.loads(d)["parties"]]
    countries = ["Pakistan", "United States", "India", "China", "Turkey", "Egypt", "Kenya", "Japan"]
    fact_ids = _sample(store, "select id from deals order by id")
    fact_ids += _sample(store, "select id from meetings order by id")
    titles = _sample(store, "select headline from stories where headline is not null order by id")
    headlines = [[w for w in h.split() if len(w) > 5 and w.isalpha()] for h in titles]
    words = [w for h in headlines for w in h if w.lower() not in english_stop_words()]
    pairs = [" ".join(h[:2]) for h in headlines if len(h) > 1]
    start = dt.date(2023, 1, 1)
    # The summariser asks for what changed since the last briefing: about a day.
    latest = max((s.updated_at for s in queries.list_stories(store, page_size=100).items if s.updated_at),
                 default=dt.datetime.now(dt.UTC))

    def day() -> dt.date:
        return start + dt.timedelta(days=rnd.randrange(700))

    def some(items: list[str]) -> str:
        return rnd.choice(items) if items else "nothing"

    return {
        "stories (page 1)": lambda: queries.list_stories(store),
        "stories (page 20)": lambda: queries.list_stories(store, page=20),
        "stories updated since": lambda: queries.stories_updated_since(store, latest - dt.timedelta(days=1)),
        "deals, no filter": lambda: queries.list_deals(store, DealFilter()),
        "deals by party": lambda: queries.list_deals(store, DealFilter(party=some(parties))),
        "deals by country": lambda: queries.list_deals(store, DealFilter(country=some(countries))),
        "deals kind+status": lambda: queries.list_deals(store, DealFilter(kind="loan", status="signed")),
        "deals amount range": lambda: queries.list_deals(store, DealFilter(currency="USD", min_amount=1e8,
                                                                              max_amount=5e9)),
        "deals date range": lambda: queries.list_deals(store, DealFilter(start=(d := day()),
                                                                            end=d + dt.timedelta(days=60))),
        "meetings by person": lambda: queries.list_meetings(store, person=some(surnames)),
        "meetings by country": lambda: queries.list_meetings(store, country=some(countries)),
        "timeline by entity": lambda: queries.timeline(store, entity=some(people)),
        "timeline date range": lambda: queries.timeline(store, start=(d := day()),
                                                        end=d + dt.timedelta(days=30)),
        "upcoming events": lambda: queries.upcoming_events(store, today=day()),
        "person profile": lambda: queries.person_profile(store, some(people)),
        "person profile (fuzzy)": lambda: queries.person_profile(store, some(people)[:-1] + "x"),
        "search (one word)": lambda: queries.search(store, some(words)),
        "search (two words)": lambda: queries.search(store, some(pairs)),
        "search (common prefix)": lambda: queries.search(store, "agr"),
        "fact sources": lambda: queries.fact_sources(store, some(fact_ids)),
        "stats": lambda: queries.stats(store),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    store = Store(args.database)
    store.upgrade()
    counts = queries.stats(store)
    print(f"{counts.articles} articles, {counts.stories} stories, {counts.deals} deals, "
          f"{counts.meetings} meetings, {counts.events} events")
    print(f"{'query':<26} {'median ms':>10} {'p95 ms':>8}")
    worst = 0.0
    for name, run in _cases(store, random.Random(args.seed)).items():
        run()  # warm caches, as a running bot has them
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            run()
            times.append((time.perf_counter() - t0) * 1000)
        p95 = statistics.quantiles(times, n=20)[-1]
        worst = max(worst, p95)
        over = "  OVER" if p95 > TARGET_MS else ""
        print(f"{name:<26} {statistics.median(times):>10.1f} {p95:>8.1f}{over}")
    print(f"worst p95 {worst:.1f} ms (target < {TARGET_MS:.0f} ms)")
    store.close()


if __name__ == "__main__":
    main()
