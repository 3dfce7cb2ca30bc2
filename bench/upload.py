"""An admin's upload, end to end through `Core.ingest_upload` (read, clean, extract, store).

    .venv/bin/python bench/upload.py [--shapes text:1000000 json:200 text:5000000]

`text:N` is one plain-text article of N bytes (corpus articles run together, each copy made
distinct); `json:N` is a JSON list of N corpus-sized articles. Each runs against a fresh SQLite
store; the time, and what was added or refused, are printed. Needs ../shared/corpus.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from briefings.core import Core  # noqa: E402
from briefings.errors import BriefbotError  # noqa: E402
from briefings.settings import Settings  # noqa: E402
from briefings.store.db import Store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "articles"


def _payload(kind: str, size: int, texts: list[str]) -> tuple[str, bytes]:
    if kind == "text":
        parts, total, i = [], 0, 0
        while total < size:
            part = texts[i % len(texts)] + f"\n\nCopy {i}."
            parts.append(part)
            total += len(part) + 2
            i += 1
        return "upload.txt", "\n\n".join(parts).encode()[:size]
    articles = [{"id": f"a{i}", "text": texts[i % len(texts)] + f"\n\nUpdate {i}."} for i in range(size)]
    return "upload.json", json.dumps(articles).encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", nargs="+", default=["text:1000000", "json:200", "text:5000000"])
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    if not texts:
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 2
    for shape in args.shapes:
        kind, _, size = shape.partition(":")
        name, data = _payload(kind, int(size), texts)
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite:///{folder}/bench.sqlite3"
            store = Store(url)
            store.upgrade()
            core = Core(Settings(database_url=url), store)
            core.extractor()  # loaded once, as in the running bot
            started = time.perf_counter()
            try:
                report = core.ingest_upload(name, data)
                outcome = f"added {len(report.added)}, failed {len(report.failed)}"
            except BriefbotError as error:
                outcome = f"refused: {error}"
            elapsed = time.perf_counter() - started
            store.close()
        print(f"{shape:>14}  {len(data):>9,} bytes  {elapsed:6.1f} s  {outcome}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
