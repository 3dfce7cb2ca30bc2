"""Gold facts per article, as the matcher reads them, and the loader of an annotated corpus.

A corpus folder holds `articles/NNN.txt` with `articles/NNN.meta.json` (url, published, story_id)
and `gold/NNN.json` (`people`, `meetings`, `deals`, `events`). The `*_ok` lists hold every value
accepted as correct (the seed gold accepts both an article's own date and the consolidated one).
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from briefings.errors import InputError

CATEGORIES = ("people", "meetings", "deals", "events")


class GoldPerson(BaseModel):
    name: str
    aliases: list[str] = Field(default_factory=list)


class GoldMeeting(BaseModel):
    kind: str
    participants: list[str]
    date: str | None = None
    place: str | None = None
    date_ok: list[str | None]
    place_ok: list[str | None]


class GoldDeal(BaseModel):
    kind: str
    kind_ok: list[str]
    parties: list[str]
    amount: float | None = None
    currency: str | None = None
    sector: str | None = None
    status: str
    date: str | None = None
    date_ok: list[str | None]


class GoldEvent(BaseModel):
    """`optional`: matching it is neither a hit nor a false positive, missing it is no miss."""

    date: str | None
    what: str
    optional: bool = False
    date_ok: list[str | None]


class GoldFacts(BaseModel):
    people: list[GoldPerson] = Field(default_factory=list)
    meetings: list[GoldMeeting] = Field(default_factory=list)
    deals: list[GoldDeal] = Field(default_factory=list)
    events: list[GoldEvent] = Field(default_factory=list)


class GoldArticle(BaseModel):
    """One annotated article: its text as the extractor reads it, its metadata and its gold."""

    id: str
    path: Path
    text: str
    url: str | None = None
    published: str | None = None
    story: str
    acronyms: dict[str, str] = Field(default_factory=dict)  # normalised acronym -> normalised name
    gold: GoldFacts


class _CorpusMeta(BaseModel):
    url: str | None = None
    published: str | None = None
    story_id: str | None = None


class _CorpusMeeting(BaseModel):
    kind: str
    participants: list[str]
    date: str | None = None
    place: str | None = None


class _CorpusDeal(BaseModel):
    kind: str
    parties: list[str]
    amount: float | None = None
    currency: str | None = None
    sector: str | None = None
    status: str
    date: str | None = None


class _CorpusEvent(BaseModel):
    date: str | None = None
    what: str


class _CorpusGold(BaseModel):
    people: list[GoldPerson] = Field(default_factory=list)
    meetings: list[_CorpusMeeting] = Field(default_factory=list)
    deals: list[_CorpusDeal] = Field(default_factory=list)
    events: list[_CorpusEvent] = Field(default_factory=list)


def _read_json(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror or error}") from None


def _corpus_facts(gold: _CorpusGold) -> GoldFacts:
    return GoldFacts(
        people=gold.people,
        meetings=[GoldMeeting(**m.model_dump(), date_ok=[m.date], place_ok=[m.place]) for m in gold.meetings],
        deals=[GoldDeal(**d.model_dump(), kind_ok=[d.kind], date_ok=[d.date]) for d in gold.deals],
        events=[GoldEvent(date=e.date, what=e.what, date_ok=[e.date]) for e in gold.events])


def load_corpus(root: Path) -> list[GoldArticle]:
    """Every `articles/*.txt` of `root` with its meta and gold, sorted by id."""
    articles: list[GoldArticle] = []
    for path in sorted((root / "articles").glob("*.txt")):
        aid = path.stem
        try:
            meta = _CorpusMeta.model_validate_json(_read_json(root / "articles" / f"{aid}.meta.json"))
            gold = _CorpusGold.model_validate_json(_read_json(root / "gold" / f"{aid}.json"))
        except ValidationError as error:
            raise InputError(f"bad gold for article {aid} in {root}: {error.errors()[0]['msg']}") from None
        articles.append(GoldArticle(
            id=aid, path=path, text=path.read_text(encoding="utf-8"), url=meta.url,
            published=meta.published, story=meta.story_id or aid, gold=_corpus_facts(gold)))
    return articles


def parse_ranges(spec: str) -> list[tuple[int, int]]:
    """`"001-024,030"` -> [(1, 24), (30, 30)]: article numbers, as the corpus scorer's `--only` takes them."""
    ranges: list[tuple[int, int]] = []
    for part in filter(None, (p.strip() for p in spec.split(","))):
        low, _, high = part.partition("-")
        try:
            first, last = int(low), int(high or low)
        except ValueError:
            raise InputError(f"bad article range {part!r}: use numbers like 001-024 or 030") from None
        if first > last:
            raise InputError(f"bad article range {part!r}: the first number is larger than the last")
        ranges.append((first, last))
    if not ranges:
        raise InputError("no article range given: use numbers like 001-024,025-054")
    return ranges


def select_articles(articles: list[GoldArticle], spec: str) -> list[GoldArticle]:
    """The articles whose numeric id falls in one of the ranges of `spec`."""
    ranges = parse_ranges(spec)
    return [a for a in articles
            if a.id.isdigit() and any(low <= int(a.id) <= high for low, high in ranges)]


def load_json_object(path: Path) -> dict[str, object]:
    """A JSON object from a file, or an `InputError` saying why not."""
    try:
        data = json.loads(_read_json(path))
    except json.JSONDecodeError as error:
        raise InputError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise InputError(f"{path} does not hold a JSON object")
    return data
