"""Extraction speed and memory: warm throughput, cold start, peak memory (numbers in bench/README.md).

    .venv/bin/python bench/extract.py [--corpus DIR] [--repeat N] [--json-out F]
    .venv/bin/python bench/extract.py --long [--json-out F]      # long-article scaling only

- warm: one `Extractor`, then clean + extract every article (the seeds, plus the corpus when
  `../shared/corpus` is there) `--repeat` times, pinned to one core; articles per CPU second of
  this process (`time.process_time`): the machine is shared, so wall time says little (wall is
  printed beside it).
- cold: a fresh `python -m briefings extract --json <one seed>` subprocess, from spawn to its
  result (imports, lexicons, spaCy pipeline, one article); the median of 3 runs.
- peak memory: ru_maxrss of a fresh `python -m briefings extract --json` subprocess over every
  article at once (corpus articles are fed as temp `{"text", "url"}` JSON files, as the scorer does).
- long (`--long`): one synthetic article of 2 KB, 20 KB, 200 KB, 1 MB and 2 MB (the articles'
  paragraphs in turn, each followed by a sentence naming two of 400 invented people, so that no
  paragraph repeats and the people keep growing); CPU seconds to clean it, to run the entity layer
  alone and to extract it whole. 2 MB is past the cleaner's limit (`MAX_ARTICLE_CHARS`, 1,000,000
  characters: `briefbot` refuses it as "too long for one article"); the bench still extracts it,
  its lines taken as body paragraphs, to show the extractor's own cost stays linear: 10x the
  text, about 10x the time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from briefings.models import Article, Paragraph

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
DEFAULT_CORPUS = ROOT / ".." / "shared" / "corpus"
REFERENCE_DATE = "2026-11-23"


def _one_core() -> set[int] | None:
    """Pin to a single core where the OS allows it; the set to pin children to."""
    if not hasattr(os, "sched_setaffinity"):
        return None
    core = {min(os.sched_getaffinity(0))}
    os.sched_setaffinity(0, core)
    return core


def _inputs(corpus: Path) -> list[tuple[str, str, str | None]]:
    """(id, text, url) of the seeds, then of the corpus articles when the corpus is there."""
    items: list[tuple[str, str, str | None]] = [
        (p.name[:3], p.read_text(encoding="utf-8"), None) for p in sorted(SEEDS.glob("*.txt"))]
    for path in sorted((corpus / "articles").glob("*.txt")):
        meta = json.loads(path.with_suffix(".meta.json").read_text(encoding="utf-8"))
        items.append((path.stem, path.read_text(encoding="utf-8"), meta.get("url")))
    return items


def warm_throughput(items: list[tuple[str, str, str | None]], repeat: int) -> dict[str, float]:
    """Articles per second once the pipeline is built (cleaning included, file reading not)."""
    import datetime as dt

    from briefings.extract.pipeline import Extractor
    from briefings.ingest.clean import clean_document
    from briefings.ingest.raw import RawDocument

    reference = dt.date.fromisoformat(REFERENCE_DATE)
    t0 = time.process_time()
    extractor = Extractor()
    build_s = time.process_time() - t0
    docs = [RawDocument(id=i, text=text, url=url, origin=f"{i}.txt") for i, text, url in items]
    extractor.extract(clean_document(docs[0]), reference)  # first call pays any lazy set-up
    per_article: list[float] = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for doc in docs:
            t = time.process_time()
            extractor.extract(clean_document(doc), reference)
            per_article.append(time.process_time() - t)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {"articles": len(per_article), "wall_s": wall, "cpu_s": cpu,
            "articles_per_s": len(per_article) / cpu,
            "articles_per_wall_s": len(per_article) / wall,
            "median_ms": 1000 * statistics.median(per_article),
            "max_ms": 1000 * max(per_article), "extractor_build_s": build_s}


def _spawn(args: list[str], core: set[int] | None) -> tuple[float, int, int]:
    """Run `python -m briefings ARGS`; (CPU seconds, user + system, of the child; its peak RSS in
    MiB; its exit status). CPU, not wall: on a shared machine wall time measures the neighbours."""
    proc = subprocess.Popen([sys.executable, "-m", "briefings", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            preexec_fn=(lambda: os.sched_setaffinity(0, core)) if core else None)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return cpu, usage.ru_maxrss // 1024, proc.returncode  # ru_maxrss is in KiB on Linux


def cold_start(core: set[int] | None) -> dict[str, float]:
    """`briefbot extract --json seeds/` in a fresh process: CPU seconds from spawn to exit."""
    args = ["extract", "--json", "--reference-date", REFERENCE_DATE, str(SEEDS)]
    runs = [_spawn(args, core) for _ in range(3)]
    return {"median_s": statistics.median(r[0] for r in runs), "min_s": min(r[0] for r in runs),
            "peak_mib": max(r[1] for r in runs), "status": max(r[2] for r in runs)}


def peak_memory(items: list[tuple[str, str, str | None]], core: set[int] | None,
                count: int | None = None) -> dict[str, float]:
    """Peak RSS of one `extract --json` process over the articles, or over `count` of them taken
    in turn (repeats get their own file name, so their own id)."""
    chosen = items if count is None else [items[i % len(items)] for i in range(count)]
    with tempfile.TemporaryDirectory(prefix="briefbot-bench-") as tmp:
        paths: list[str] = []
        for aid, text, url in chosen:
            path = Path(tmp) / f"{aid}-{len(paths)}.json"
            path.write_text(json.dumps({"text": text, "url": url}), encoding="utf-8")
            paths.append(str(path))
        cpu, mib, status = _spawn(["extract", "--json", "--reference-date", REFERENCE_DATE, *paths], core)
    return {"articles": len(paths), "cpu_s": cpu, "peak_mib": mib, "status": status}


# Invented people for the long article: 20 given names x 20 surnames.
_GIVEN = ("Amara", "Bruno", "Chen", "Dalia", "Emil", "Farah", "Goran", "Hana", "Ivan", "Jana", "Kofi",
          "Leila", "Mateo", "Nadia", "Omar", "Priya", "Rafael", "Sofia", "Tomas", "Yusuf")
_FAMILY = ("Abara", "Berger", "Castillo", "Demir", "Eriksen", "Fontaine", "Gallo", "Haddad", "Ibsen",
           "Jovanovic", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov", "Quintero", "Rossi",
           "Sato", "Tanaka")
_CITIES = ("Geneva", "Vienna", "Nairobi", "Lima", "Oslo", "Hanoi", "Dakar", "Quito", "Riga", "Doha")


def long_article(items: list[tuple[str, str, str | None]], size: int) -> str:
    """`size` characters: the articles' paragraphs in turn, each with a sentence naming new people."""
    import random

    rnd = random.Random(size)
    out: list[str] = []
    total, i = 0, 0
    while total < size:
        for para in items[i % len(items)][1].split("\n"):
            if para.strip():
                a, b = rnd.choice(_FAMILY), rnd.choice(_FAMILY)
                para += (f" Foreign Minister {rnd.choice(_GIVEN)} {a} met Trade Minister "
                         f"{rnd.choice(_GIVEN)} {b} in {rnd.choice(_CITIES)} on day {rnd.randint(1, 10**6)}, "
                         f"and {a} said {b} agreed.")
            out.append(para + "\n")
            total += len(para) + 1
        i += 1
    return "".join(out)[:size]


def _plain_article(text: str) -> Article:
    """Every non-empty line a body paragraph: the article as cleaning would give it, past its size limit."""
    paragraphs: list[Paragraph] = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            begin = offset + line.index(stripped)
            paragraphs.append(Paragraph(kind="body", start=begin, end=begin + len(stripped), text=stripped))
        offset += len(line)
    return Article(id="long", text=text, paragraphs=paragraphs)


def long_scaling(items: list[tuple[str, str, str | None]], sizes: tuple[int, ...]) -> list[dict[str, float]]:
    """CPU seconds (this process; the machine is shared, so wall time says little) to clean, to find
    the entities of, and to extract one long article of each size. Past the cleaner's size limit
    the article is refused; its lines are then taken as body paragraphs so the extractor still runs."""
    import datetime as dt

    from briefings.extract.entities import extract_entities
    from briefings.extract.pipeline import Extractor
    from briefings.extract.sentences import split_sentences
    from briefings.ingest.clean import MAX_ARTICLE_CHARS, clean_document
    from briefings.ingest.raw import RawDocument

    reference = dt.date.fromisoformat(REFERENCE_DATE)
    extractor = Extractor()
    warm_up = clean_document(RawDocument(id="w", text=items[0][1], url=None, origin="w.txt"))
    extractor.extract(warm_up, reference)  # lexicons, given names, spaCy: paid once, not measured
    rows: list[dict[str, float]] = []
    for size in sizes:
        text = long_article(items, size)
        t0 = time.process_time()
        cleaned = size <= MAX_ARTICLE_CHARS
        article = clean_document(RawDocument(id="long", text=text, url=None, origin="long.txt")) \
            if cleaned else _plain_article(text)
        t1 = time.process_time()
        entities = extract_entities(article, split_sentences(article))
        t2 = time.process_time()
        extractor.extract(article, reference)
        t3 = time.process_time()
        rows.append({"chars": size, "clean_s": (t1 - t0) if cleaned else -1.0, "entities_s": t2 - t1,
                     "extract_s": t3 - t2, "people": len(entities.people),
                     "mentions": len(entities.mentions)})
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="the gold corpus (optional)")
    parser.add_argument("--repeat", type=int, default=5, help="passes over the articles for the warm run")
    parser.add_argument("--json-out", type=Path, help="write the figures as JSON here")
    parser.add_argument("--long", action="store_true", help="only the long-article scaling (2 KB to 2 MB)")
    parser.add_argument("--memory-articles", type=int, default=1000,
                        help="articles (taken in turn) for the second peak-memory run; 0 skips it")
    args = parser.parse_args()
    core = _one_core()
    items = _inputs(args.corpus)
    if args.long:
        rows = long_scaling(items, (2_000, 20_000, 200_000, 1_000_000, 2_000_000))
        for row in rows:
            clean = f"{row['clean_s']:6.2f} s" if row["clean_s"] >= 0 else "refused"
            print(f"long {row['chars'] / 1000:6.0f} KB  clean {clean}  entities "
                  f"{row['entities_s']:6.2f} s  extract {row['extract_s']:6.2f} s  "
                  f"({row['people']:.0f} people, {row['mentions']:.0f} mentions)")
        if args.json_out:
            args.json_out.write_text(json.dumps({"long": rows}, indent=1), encoding="utf-8")
        return 0
    warm = warm_throughput(items, args.repeat)
    cold = cold_start(core)
    memory = peak_memory(items, core)
    many = peak_memory(items, core, args.memory_articles) if args.memory_articles else None
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "pinned_to": sorted(core or []),
               "platform": platform.platform(), "date": time.strftime("%Y-%m-%d")}
    figures = {"machine": machine, "warm": warm, "cold": cold, "memory": memory, "memory_many": many,
               "warm_process_peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    print(f"inputs: {len(items)} articles ({'seeds + corpus' if len(items) > 3 else 'seeds only'}), "
          f"one core {sorted(core or [])}, {os.cpu_count()} CPUs")
    print(f"warm   {warm['articles_per_s']:8.1f} articles/CPU-s  ({warm['articles']:.0f} articles in "
          f"{warm['cpu_s']:.2f} CPU s, {warm['wall_s']:.2f} s wall; median {warm['median_ms']:.1f} ms, "
          f"max {warm['max_ms']:.1f} ms CPU; pipeline built in {warm['extractor_build_s']:.2f} CPU s)")
    print(f"cold   {cold['median_s']:8.2f} CPU s for `extract --json seeds/`  (min {cold['min_s']:.2f} s, "
          f"peak {cold['peak_mib']:.0f} MiB)")
    for run in (memory, many) if many else (memory,):
        print(f"memory {run['peak_mib']:8.0f} MiB peak RSS  ({run['articles']:.0f} articles in one run, "
              f"{run['cpu_s']:.2f} CPU s)")
    if args.json_out:
        args.json_out.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    statuses = [cold["status"], memory["status"], many["status"] if many else 0]
    return 0 if not any(statuses) else 1


if __name__ == "__main__":
    sys.exit(main())
