"""Ingest benchmark: N generated articles, end to end (clean, extract, consolidate, store).

    .venv/bin/python bench/ingest.py --articles 1000 [--database URL | --postgres] [--keep PATH]

Articles are variants of the corpus and seed texts, made at run time by a seeded generator (nothing
of the corpus is copied into the project): each story (1 to 3 articles from different "outlets")
takes one template text, gives its people invented names, shifts its publication date somewhere in
a two-year span, and each article drops a random paragraph. So the store holds many stories with
realistic texts, the clustering window holds the articles of a month, and names do not collide.

Prints articles/s (end to end and for the store part alone, per block of 1,000 to show that the
cost does not grow with the store), peak memory and database size. Rates are per CPU second of
this process (`time.process_time`), i.e. on one core, so other jobs on a shared machine do not
skew them; the wall-clock total is printed too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import re
import resource
import sys
import time
import uuid
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry
from sqlalchemy import create_engine, text

from briefings.extract.pipeline import Extractor
from briefings.ingest.clean import clean_document
from briefings.ingest.sources import RawDocument
from briefings.store import articles
from briefings.store.db import Store
from briefings.stories.keys import country_key

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT / ".." / "shared"
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
START = dt.date(2023, 1, 1)
SPAN_DAYS = 730
OUTLETS = ["Daily Ledger", "Morning Wire", "Capital Courier", "Harbour Times", "Plains Gazette", "Union Post"]
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "vo",
    "sa",
    "de",
    "ni",
    "bar",
    "zu",
    "fel",
    "or",
    "an",
    "ti",
    "mer",
]


@dataclass(frozen=True)
class Template:
    name: str
    title: str | None
    text: str
    people: tuple[str, ...]  # every name form the extractor found, longest first
    organisations: tuple[str, ...]  # organisation names and acronyms
    countries: tuple[str, ...]  # country names as the text writes them


def _templates(extractor: Extractor) -> list[Template]:
    paths = sorted((SHARED / "corpus" / "articles").glob("*.txt")) + sorted((ROOT / "seeds").glob("*.txt"))
    if not paths:
        sys.exit("bench: no template texts (../shared/corpus and seeds/ are absent)")
    out = []
    for path in paths:
        raw = RawDocument(id=path.stem, text=path.read_text(encoding="utf-8"), origin=str(path))
        facts = extractor.extract(clean_document(raw), START)
        forms = {form for p in facts.people for form in [p.name, *p.aliases] if len(form) > 2}
        orgs = {form for o in facts.organisations for form in [o.name, o.acronym] if form and len(form) > 1}
        mentions = [p.country for p in facts.people] + [o.country for o in facts.organisations]
        mentions += [party for d in facts.deals for party in d.parties] + [m.place for m in facts.meetings]
        countries = {c for c in mentions if c and country_key(c) and c in (raw.text or "")}
        lines = raw.text.splitlines() if raw.text else []

        def longest(items: set[str]) -> tuple[str, ...]:
            return tuple(sorted(items, key=len, reverse=True))

        out.append(
            Template(
                path.stem,
                lines[0][:120] if lines else None,
                raw.text or "",
                longest(forms),
                longest(orgs - forms),
                longest(countries - forms - orgs),
            )
        )
    return out


@cache
def _countries() -> tuple[str, ...]:
    return tuple(sorted(getattr(c, "common_name", c.name) for c in pycountry.countries))


def _name(rnd: random.Random) -> str:
    def word() -> str:
        return "".join(rnd.choice(_SYLLABLES) for _ in range(rnd.randint(2, 3))).capitalize()

    return f"{word()} {word()}"


def _organisation(rnd: random.Random) -> str:
    return f"{_name(rnd).split()[0]} {rnd.choice(['Holdings', 'Bank', 'Group', 'Works', 'Energy', 'Metals'])}"


_WORD = re.compile(r"\b[a-z]{5,}\b")
_KEEP = (
    "sign",
    "agree",
    "invest",
    "loan",
    "meet",
    "talk",
    "visit",
    "call",
    "deal",
    "memorand",
    "billion",
    "million",
    "trillion",
    "crore",
    "president",
    "minister",
    "week",
    "month",
    "year",
    "today",
    "yesterday",
)
_ACRONYM = re.compile(r"\b[A-Z]{2,5}\b")
_AMOUNT = re.compile(r"(?<![\d.,])\d[\d,.]*(?=\s*(?:bn|billion|million|trillion|crore)\b|-?B\b)")


def _reword(text: str, rnd: random.Random, vocabulary: list[str], share: float) -> str:
    """Replace `share` of the story's plain words (not names, numbers or fact triggers) consistently,
    so two stories made from one template read as different stories, as real ones do."""
    words = sorted({w for w in _WORD.findall(text) if not any(k in w for k in _KEEP)})
    swap = {w: rnd.choice(vocabulary) for w in words if rnd.random() < share}
    text = _WORD.sub(lambda m: swap.get(m.group(), m.group()), text)
    # Acronyms (countries and bodies the renaming cannot see) and amounts differ per story too.
    acronyms = {
        a: "".join(rnd.choice("BCDFGHJKLMNPRSTVWZ") for _ in a) for a in sorted(set(_ACRONYM.findall(text)))
    }
    text = _ACRONYM.sub(lambda m: acronyms[m.group()], text)
    factor = rnd.uniform(0.2, 5.0)  # continuous: two stories rarely state one figure
    return _AMOUNT.sub(lambda m: _scaled(m.group(), factor), text)


def _scaled(number: str, factor: float) -> str:
    try:
        value = float(number.replace(",", "")) * factor
        return f"{value:,.0f}" if value >= 1000 else f"{value:.3g}"
    except ValueError:
        return number


def _variant(
    template: Template,
    names: dict[str, str],
    drop: int | None,
    signature: str,
    rnd: random.Random,
    vocabulary: list[str],
) -> str:
    body = template.text
    for form in (*template.people, *template.organisations, *template.countries):
        body = re.sub(rf"\b{re.escape(form)}\b", names[form], body)
    body = _reword(body, rnd, vocabulary, 0.5)
    paragraphs = body.split("\n")
    if drop is not None and len(paragraphs) > 3:
        del paragraphs[1 + drop % (len(paragraphs) - 1)]
    # Each outlet's copy differs, as real ones do (else it is the same text: "unchanged").
    return "\n".join(paragraphs).rstrip() + f" The {signature}."


def generate(templates: list[Template], count: int, seed: int) -> list[RawDocument]:
    """`count` raw documents in stories of 1-3 articles, in publication order."""
    rnd = random.Random(seed)
    vocabulary = sorted({w for t in templates for w in _WORD.findall(t.text)})
    docs: list[tuple[dt.date, RawDocument]] = []
    story = 0
    while len(docs) < count:
        template = rnd.choice(templates)
        full = {form: _name(rnd) for form in template.people if " " in form}
        names = {
            form: full.get(form)
            or next((v.split()[-1] for k, v in full.items() if k.split()[-1] == form), _name(rnd).split()[0])
            for form in template.people
        }
        # Organisations and countries change too: two stories from one template share only wording.
        names |= {form: _organisation(rnd) for form in template.organisations}
        names |= {form: rnd.choice(_countries()) for form in template.countries}
        day = START + dt.timedelta(days=rnd.randrange(SPAN_DAYS))
        story_seed = rnd.randrange(2**31)
        for k in range(min(rnd.choices([1, 2, 3], weights=[5, 3, 2])[0], count - len(docs))):
            published = day + dt.timedelta(days=rnd.randint(0, 2))
            ident = f"g{story:05d}-{k}"
            outlet = rnd.choice(OUTLETS)
            text = _variant(
                template,
                names,
                rnd.randrange(1000) if rnd.random() < 0.6 else None,
                f"{outlet} filed this report as {ident}",
                random.Random(story_seed),
                vocabulary,
            )
            docs.append(
                (
                    published,
                    RawDocument(
                        id=ident,
                        text=text,
                        title=None,
                        published=published.isoformat(),
                        outlet=outlet,
                        url=f"https://bench.example/{ident}",
                        origin=ident,
                    ),
                )
            )
        story += 1
    docs.sort(key=lambda pair: (pair[0], pair[1].id))
    return [doc for _, doc in docs]


def _written() -> int:
    """Bytes this process sent to storage (Linux), net of temp files deleted before they were written."""
    try:
        fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().splitlines())
    except OSError:
        return 0
    return int(fields["write_bytes"]) - int(fields.get("cancelled_write_bytes", 0))


def _size(store: Store, path: Path | None) -> str:
    if path is not None:
        total = sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))
        return f"{total / 1e6:.1f} MB (SQLite file + WAL)"
    with store.session() as session:
        size = session.execute(
            text(
                "select sum(pg_total_relation_size(c.oid)) from pg_class c"
                " join pg_namespace n on n.oid = c.relnamespace"
                " where n.nspname = current_schema() and c.relkind = 'r'"
            )
        ).scalar_one()
    return f"{int(size or 0) / 1e6:.1f} MB (tables, indexes and TOAST in the schema)"


def _pairwise(store: Store) -> str:
    """Clustering against the generator's own stories (the `gNNNNN` prefix of each id)."""
    with store.session() as session:
        rows = session.execute(text("select id, story_id from articles")).all()
    by_story: dict[str, list[str]] = {}
    by_truth: dict[str, list[str]] = {}
    for article_id, story_id in rows:
        by_story.setdefault(story_id, []).append(article_id)
        by_truth.setdefault(article_id.split("-")[0], []).append(article_id)
    truth = {a: g for g, members in by_truth.items() for a in members}
    pairs = [(a, b) for members in by_story.values() for i, a in enumerate(members) for b in members[i + 1 :]]
    tp = sum(truth[a] == truth[b] for a, b in pairs)
    gold = sum(len(m) * (len(m) - 1) // 2 for m in by_truth.values())
    precision, recall = tp / max(len(pairs), 1), tp / max(gold, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-9)
    return f"clustering vs generated stories: pairwise P {precision:.3f} R {recall:.3f} F1 {f1:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database", help="database URL (default: a new SQLite file, see --keep)")
    parser.add_argument("--postgres", action="store_true", help="a fresh schema on the local PostgreSQL")
    parser.add_argument(
        "--keep",
        type=Path,
        default=Path("/tmp/briefbot-bench.sqlite3"),
        help="the SQLite file to create (replaced if it exists)",
    )
    args = parser.parse_args()

    extractor = Extractor()
    docs = generate(_templates(extractor), args.articles, args.seed)
    path: Path | None = None
    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        with create_engine(PG_URL).begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{PG_URL}?options=-csearch_path%3D{schema}"
        print(f"schema {schema} (drop it when done; bench/queries.py --database '{url}')")
    elif args.database:
        url = args.database
    else:
        path = args.keep
        for old in path.parent.glob(path.name + "*"):
            old.unlink()
        url = f"sqlite:///{path}"
    store = Store(url)
    store.upgrade()
    gc.freeze()  # as `briefbot ingest` does: the models and lexicons are never collected

    extract_s = store_s = 0.0
    block_store = block_all = 0.0
    failed = 0
    written = _written()
    started = time.perf_counter()
    print(f"{'articles':>8} {'all/s':>7} {'store/s':>8}   (per CPU second, per block of 1,000)")
    chunk = articles.BATCH_ARTICLES  # as `briefbot ingest` does: several articles per transaction
    for offset in range(0, len(docs), chunk):
        t0 = time.process_time()
        batch = [extractor.extract(clean_document(raw), None) for raw in docs[offset:offset + chunk]]
        t1 = time.process_time()
        # Ingested the day after publication, as a feed reader would: "updated since" stays realistic.
        last = docs[min(offset + chunk, len(docs)) - 1].published
        assert last is not None
        day = dt.date.fromisoformat(last) + dt.timedelta(days=1)
        now = dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
        report = articles.ingest(store, batch, now, analyze=False)
        t2 = time.process_time()
        failed += len(report.failed)
        extract_s += t1 - t0
        store_s += t2 - t1
        block_all += t2 - t0
        block_store += t2 - t1
        n = offset + len(batch)
        if n % 1000 == 0 or n == len(docs):
            size = n % 1000 or 1000
            print(f"{n:>8} {size / block_all:>7.1f} {size / block_store:>8.1f}", flush=True)
            block_all = block_store = 0.0
    t0 = time.process_time()
    articles.analyze_tables(store)  # what `briefbot ingest` does at the end (PostgreSQL only)
    store_s += time.process_time() - t0
    total = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cpu = extract_s + store_s
    print(
        f"\n{len(docs)} articles: {len(docs) / cpu:.1f} articles per CPU second end to end "
        f"(clean+extract {len(docs) / extract_s:.1f}/s, consolidate+store {len(docs) / store_s:.1f}/s); "
        f"wall clock {total:.0f} s; {failed} failed"
    )
    written = _written() - written
    print(f"peak memory {peak:.0f} MB; database {_size(store, path)}; "
          f"this process wrote {written / 1e6:,.0f} MB to disk (/proc/self/io write_bytes)")
    from briefings.store.queries import stats

    counts = stats(store)
    print(
        f"{counts.articles} articles, {counts.stories} stories, {counts.meetings} meetings, "
        f"{counts.deals} deals, {counts.events} events"
    )
    print(_pairwise(store))
    store.close()


if __name__ == "__main__":
    main()
