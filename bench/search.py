"""Search latency with the database's own full-text index (SQLite FTS5, PostgreSQL tsvector + GIN).

    .venv/bin/python bench/search.py --database sqlite:///bench/.cache/commands-10000.sqlite3
    .venv/bin/python bench/search.py --database 'postgresql+psycopg://postgres@127.0.0.1/test?options=-csearch_path%3Dbench'

Builds the store with `bench/commands.py`'s seeded generator when it holds fewer than `--articles`
(10,000 by default; a PostgreSQL schema named in `search_path` is created if missing), then runs
each query `--runs` times through `briefings.store.queries.search` (page 1 of 10, snippets and
sources included, as /search gets them) and prints median, p95 and max per query.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from commands import build_store, p95  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from briefings.store.queries import search  # noqa: E402

QUERIES = ("harbour", "signing", "signed memorandum", "Cedar Rail", "summit Highmoor", "Minister Lima",
           "memorandum understanding worth", "trade", "nothingatall", "item 4242")


def _ensure_schema(url: str) -> None:
    """Create the PostgreSQL schema the URL's `search_path` names (the bench keeps its own)."""
    options = parse_qs(urlsplit(url).query).get("options", [""])[0]
    if "search_path=" not in options:
        return
    schema = options.split("search_path=")[1].split()[0]
    engine = create_engine(url.split("?")[0])
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="SQLite or PostgreSQL URL")
    parser.add_argument("--articles", type=int, default=10_000, help="articles the store should hold")
    parser.add_argument("--runs", type=int, default=30, help="runs of each query")
    args = parser.parse_args()
    if args.database.startswith("postgresql"):
        _ensure_schema(args.database)
    store = build_store(args.database, args.articles)
    try:
        for query in QUERIES:  # warm the caches once
            search(store, query)
        print(f"\n{store.dialect}, {args.articles} articles, {args.runs} runs\n")
        print("| query | results | median ms | p95 ms | max ms |")
        print("|---|---|---|---|---|")
        everything: list[float] = []
        for query in QUERIES:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                page = search(store, query)
                times.append((time.perf_counter() - started) * 1000)
            everything += times
            print(f"| `{query}` | {page.total} | {statistics.median(times):.1f} | {p95(times):.1f} | "
                  f"{max(times):.1f} |")
        print(f"| **all** | | {statistics.median(everything):.1f} | {p95(everything):.1f} | "
              f"{max(everything):.1f} |")
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
