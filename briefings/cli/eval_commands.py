"""`briefbot eval`: score the extractor against the annotated corpus and the seed gold."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

from briefings.errors import InputError

# The corpus scorer resolves every corpus article against this "now" (no article has a later date).
CORPUS_REFERENCE_DATE = dt.date(2026, 11, 23)
# Articles 001-024 are the ones the extractor was first built on; 025-054 came later, untuned: each
# range is extracted and scored on its own, as the corpus scorer's `--only` does.
CORPUS_RANGES = "001-024;025-054"
_REPO_ROOT = Path(__file__).resolve().parents[2]


def _default(relative: str) -> Path:
    """`../shared/<relative>` from the current folder, else from the repository's root."""
    here = Path.cwd() / ".." / "shared" / relative
    return here if here.exists() else _REPO_ROOT / ".." / "shared" / relative


def _default_seeds() -> Path:
    here = Path.cwd() / "seeds"
    return here if here.is_dir() else _REPO_ROOT / "seeds"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `eval` to the `briefbot` parser."""
    p = sub.add_parser("eval", help="score extraction against the gold corpus and the seed gold")
    p.add_argument("--corpus", type=Path, default=None,
                   help="folder with articles/ and gold/ (default: ../shared/corpus)")
    p.add_argument("--seed-gold", type=Path, default=None,
                   help="consolidated gold of the seeds (default: ../shared/seed-gold.json)")
    p.add_argument("--seeds-dir", type=Path, default=None, help="the seed articles (default: seeds/)")
    p.add_argument("--ranges", default=CORPUS_RANGES, metavar="R;R",
                   help="corpus article ranges scored separately, ';' between sets "
                        f"(default: {CORPUS_RANGES}; 'all' for the whole corpus as one set)")
    p.add_argument("--json-out", type=Path, default=None, help="write the full results as JSON here")
    p.add_argument("--predictions-out", type=Path, default=None, metavar="DIR",
                   help="save the extractor's JSON output as DIR/corpus.json and DIR/seeds.json")
    p.add_argument("-v", "--verbose", action="store_true",
                   help="list every miss, false positive and wrong field per article")
    p.set_defaults(func=run_eval)


def _existing(path: Path, what: str, option: str) -> Path:
    if not path.exists():
        raise InputError(f"{what} not found at {path.resolve()} (give it with {option})")
    return path


def run_eval(args: argparse.Namespace) -> int:
    from briefings.evaluation import (
        format_report,
        load_corpus,
        load_seeds,
        run_extraction,
        score,
        select_articles,
    )

    corpus = _existing(args.corpus or _default("corpus"), "gold corpus", "--corpus")
    seed_gold = _existing(args.seed_gold or _default("seed-gold.json"), "seed gold", "--seed-gold")
    seeds_dir = _existing(args.seeds_dir or _default_seeds(), "seed articles", "--seeds-dir")
    corpus_articles = load_corpus(corpus)
    if not corpus_articles:
        raise InputError(f"no articles/*.txt under {corpus.resolve()}")
    seed_articles, seed_reference = load_seeds(seeds_dir, seed_gold)
    sets = [("corpus", corpus_articles, CORPUS_REFERENCE_DATE)] if args.ranges == "all" else [
        (f"corpus {spec.strip()}", select_articles(corpus_articles, spec), CORPUS_REFERENCE_DATE)
        for spec in args.ranges.split(";") if spec.strip()]
    results = {}
    for name, articles, reference in [*sets, ("seeds", seed_articles, seed_reference)]:
        if not articles:
            raise InputError(f"{name}: no corpus article in that range")
        run = run_extraction(articles, reference)
        for aid, message in run.failures.items():
            print(f"briefbot: {name} article {aid} was refused: {message}")
        result = score(name, articles, run.document).model_copy(update={"wall_s": run.wall_s})
        results[name] = result
        if args.predictions_out is not None:
            args.predictions_out.mkdir(parents=True, exist_ok=True)
            saved = args.predictions_out / f"{name.replace(' ', '_')}.json"
            saved.write_text(run.document.model_dump_json(indent=1), encoding="utf-8")
        print(format_report(result, verbose=args.verbose), end="\n\n")
    if args.json_out is not None:
        args.json_out.write_text(json.dumps({k: r.model_dump(mode="json") for k, r in results.items()},
                                            indent=1, ensure_ascii=False), encoding="utf-8")
    return 0
