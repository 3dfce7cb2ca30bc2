"""A 1 MB article extracts in bounded time (issue 13): one long page must not stall an ingest.

Cost used to grow with the square of the length (a 2 MB article ran for more than 18 minutes);
how fast it is now is measured in `bench/extract.py --long`, never asserted here. This test only
checks that `briefbot extract` finishes on an article just under the size limit, within a timeout
far above what it needs, and gives a valid result.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.contract import ExtractDocument
from briefings.ingest.clean import MAX_ARTICLE_CHARS

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
# Far above the time it takes (about 10 CPU seconds here), so a busy CI machine never fails it;
# a return of quadratic cost (minutes at this size) would.
TIMEOUT_S = 600

_GIVEN = ("Amara", "Bruno", "Dalia", "Emil", "Farah", "Goran", "Hana", "Kofi", "Leila", "Mateo")
_FAMILY = ("Abara", "Berger", "Castillo", "Demir", "Eriksen", "Fontaine", "Haddad", "Kowalski", "Novak",
           "Okafor", "Petrov", "Quintero")


def long_article(size: int) -> str:
    """The seeds' paragraphs in turn, each followed by a sentence naming two invented people (so
    no paragraph repeats and the people keep growing), cut at `size` characters."""
    rnd = random.Random(size)
    paragraphs = [p for seed in sorted(SEEDS.glob("*.txt"))
                  for p in seed.read_text(encoding="utf-8").split("\n") if p.strip()]
    out: list[str] = []
    total = 0
    while total < size:
        for para in paragraphs:
            a, b = rnd.choice(_FAMILY), rnd.choice(_FAMILY)
            line = (f"{para} Foreign Minister {rnd.choice(_GIVEN)} {a} met Trade Minister "
                    f"{rnd.choice(_GIVEN)} {b} on day {rnd.randint(1, 10**6)}, and {a} said {b} agreed.\n")
            out.append(line)
            total += len(line)
    return "".join(out)[:size]


@pytest.mark.slow
def test_a_1_mb_article_extracts_in_bounded_time(tmp_path: Path) -> None:
    size = MAX_ARTICLE_CHARS - 1_000  # just under the limit: the longest article briefbot takes
    path = tmp_path / "long.txt"
    path.write_text(long_article(size), encoding="utf-8")
    assert len(path.read_text(encoding="utf-8")) == size
    out = subprocess.run(
        [sys.executable, "-m", "briefings", "extract", "--json", "--reference-date", "2026-11-23", str(path)],
        capture_output=True, text=True, timeout=TIMEOUT_S, cwd=ROOT,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    doc = ExtractDocument.model_validate_json(out.stdout)
    assert len(doc.articles) == 1
    assert doc.articles[0].people  # it was read, not refused: the invented ministers are found
