"""Extraction against the gold: the corpus (`../shared/corpus`) and the seeds (`../shared/seed-gold.json`).

Prints the score tables (`pytest -s tests/eval` shows them) and holds floors a little below what
the extractor measured when they were last raised: a drop below a floor fails. Raise the floors
when the extractor improves. Skipped when `../shared` (the gold data) is absent.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefings.cli.eval_commands import CORPUS_RANGES, CORPUS_REFERENCE_DATE
from briefings.evaluation import (
    CATEGORIES,
    EvalResult,
    ExtractionRun,
    error_patterns,
    format_report,
    load_corpus,
    load_seeds,
    run_extraction,
    score,
    select_articles,
)

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared"
CORPUS = SHARED / "corpus"
SEED_GOLD = SHARED / "seed-gold.json"
SCORER = SHARED / "tools" / "score_extract.py"

pytestmark = [
    pytest.mark.shared,
    pytest.mark.skipif(not (CORPUS / "gold").is_dir() or not SEED_GOLD.is_file(),
                       reason=f"gold data absent: {SHARED.resolve()} has no corpus/gold or seed-gold.json"),
]

# Floors per article range (figures in bench/README.md, "Extraction"). 001-024 are the articles the
# extractor was first built on; 025-054 came later and were measured before anyone tuned on them.
# Each range is extracted on its own, as the corpus scorer's `--only` does.
TUNED, UNTUNED = CORPUS_RANGES.split(";")
CORPUS_FLOORS = {
    TUNED: {"people": 0.97, "meetings": 0.95, "deals": 0.87, "events": 0.88},
    UNTUNED: {"people": 0.97, "meetings": 0.95, "deals": 0.93, "events": 0.95},
}
# Precision comes first: a wrong fact in a briefing is worse than a missing one.
CORPUS_PRECISION_FLOORS = {
    TUNED: {"people": 0.97, "meetings": 0.97, "deals": 0.9, "events": 0.88},
    UNTUNED: {"people": 0.97, "meetings": 0.97, "deals": 0.93, "events": 0.95},
}
# Story pairs F1 and the share of right dates among matched meetings and deals.
STORY_FLOORS = {TUNED: 0.95, UNTUNED: 0.95}
DATE_FLOORS = {TUNED: 0.85, UNTUNED: 0.93}
SEED_FLOORS = {"people": 0.97, "meetings": 0.93, "deals": 0.95, "events": 0.88}
PUBLISHED_FLOORS = {TUNED: 0.97, UNTUNED: 0.97}
SOURCED_FLOOR = 0.99


class Scored:
    def __init__(self, run: ExtractionRun, result: EvalResult) -> None:
        self.run = run
        self.result = result


@pytest.fixture(scope="module", params=[TUNED, UNTUNED])
def corpus(request: pytest.FixtureRequest) -> Scored:
    articles = select_articles(load_corpus(CORPUS), request.param)
    run = run_extraction(articles, CORPUS_REFERENCE_DATE)
    return Scored(run, score(request.param, articles, run.document))


@pytest.fixture(scope="module")
def seeds() -> Scored:
    articles, reference = load_seeds(ROOT / "seeds", SEED_GOLD)
    run = run_extraction(articles, reference)
    return Scored(run, score("seeds", articles, run.document))


def _show(scored: Scored) -> None:
    print()
    print(format_report(scored.result))
    print("most common errors: " + ", ".join(f"{what} {n}" for what, n in error_patterns(scored.result)
                                             .most_common(8)))


def _below(result: EvalResult, floors: dict[str, float], field: str) -> list[str]:
    return [f"{c} {field} {getattr(result.categories[c], field):.3f} < {floor}"
            for c, floor in floors.items() if getattr(result.categories[c], field) < floor]


def test_extraction_gold_corpus_clears_floors(corpus: Scored) -> None:
    _show(corpus)
    assert not corpus.run.failures, corpus.run.failures
    name = corpus.result.name
    below = (_below(corpus.result, CORPUS_FLOORS[name], "f1")
             + _below(corpus.result, CORPUS_PRECISION_FLOORS[name], "p"))
    assert not below, below
    assert corpus.result.stories.f1 >= STORY_FLOORS[name]


def test_extraction_gold_corpus_dates_and_evidence(corpus: Scored) -> None:
    name = corpus.result.name
    assert corpus.result.published_accuracy() >= PUBLISHED_FLOORS[name]
    assert corpus.result.dates_share() >= DATE_FLOORS[name], corpus.result.dates_right()
    assert corpus.result.sourced_share() >= SOURCED_FLOOR


def test_extraction_gold_seeds_clear_floors(seeds: Scored) -> None:
    _show(seeds)
    assert not seeds.run.failures, seeds.run.failures
    assert not _below(seeds.result, SEED_FLOORS, "f1")
    assert seeds.result.sourced_share() >= SOURCED_FLOOR


def _official(predictions: Path, tmp: Path, *args: str) -> dict[str, dict[str, float]]:
    out = tmp / "official.json"
    command = [sys.executable, str(SCORER), "--predictions", str(predictions), "--json-out", str(out), *args]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    categories: dict[str, dict[str, float]] = json.loads(out.read_text(encoding="utf-8"))["categories"]
    return categories


@pytest.mark.skipif(not SCORER.is_file(), reason=f"official scorer absent: {SCORER.resolve()}")
@pytest.mark.parametrize("which", ["corpus", "seeds"])
def test_extraction_gold_agrees_with_the_official_scorer(
        which: str, corpus: Scored, seeds: Scored, tmp_path: Path) -> None:
    scored = corpus if which == "corpus" else seeds
    saved = tmp_path / "predictions.json"
    saved.write_text(scored.run.document.model_dump_json(), encoding="utf-8")
    args = ["--corpus", str(CORPUS), "--only", corpus.result.name] if which == "corpus" else ["--seeds"]
    official = _official(saved, tmp_path, *args)
    for category in CATEGORIES:
        ours = scored.result.categories[category]
        theirs = official[category]
        assert ours.f1 == pytest.approx(theirs["f1"], abs=0.001), category
        counts = (theirs["pred"], theirs["gold"], theirs["matched"])
        assert (ours.pred, ours.gold, ours.matched) == counts, category
