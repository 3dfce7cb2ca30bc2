"""Per-article gold for the seeds, split from the consolidated `seed-gold.json`.

The seed gold describes a story across three articles; an article is only scored on what its own
sentences state:
- people: in every article that cites them or whose text has the name; aliases found verbatim there;
- meetings (events of kind meeting/call/visit) and deals: one per citing article; the place is
  kept only if the quoted sentences name part of it; a deal's status may differ per source;
- dates: the consolidated value, truncated to what the quoted sentences state (a month name or
  "this month" -> month; "Month D", "D Month" or the weekday -> day); without such words an item
  inherits from its `related_to` item in the same article, else none; the consolidated value is
  also accepted, as the seed gold is "a reference, not a limit";
- events: every event, and every deal without a signing event; optional when the article does
  not state the date itself.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from briefings.errors import InputError
from briefings.evaluation.gold import GoldArticle, GoldDeal, GoldEvent, GoldFacts, GoldMeeting, GoldPerson
from briefings.evaluation.normalise import DEAL_KINDS, deal_kind, normalise

_CONTACT_KINDS = ("meeting", "call", "visit")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")
# How a source's own wording of a deal's status maps onto the contract's statuses (first hit wins).
_STATUS_WORDS = (("nearing", "negotiating"), ("negotiat", "negotiating"), ("announc", "announced"),
                 ("reach", "announced"), ("sign", "signed"), ("plan", "planned"))


class _Source(BaseModel):
    article: str
    quote: str


class _SeedDate(BaseModel):
    value: str
    precision: str


class _SeedAmount(BaseModel):
    value: float | None = None
    currency: str | None = None


class _SeedPerson(BaseModel):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    sources: list[_Source] = Field(default_factory=list)


class _SeedOrganisation(BaseModel):
    id: str
    name: str
    acronym: str | None = None


class _SeedItem(BaseModel):
    """An event (has `kind`) or a deal (has `type`) of the consolidated gold."""

    id: str
    kind: str | None = None
    type: str | None = None
    also: list[str] = Field(default_factory=list)
    summary: str = ""
    participants: list[str] = Field(default_factory=list)
    parties: list[str] = Field(default_factory=list)
    date: _SeedDate
    place: str | None = None
    destination: str | None = None
    related_to: str | None = None
    deal: str | None = None
    amount: _SeedAmount | None = None
    sector: str | None = None
    status: str = ""
    status_by_source: dict[str, str] = Field(default_factory=dict)
    sources: list[_Source] = Field(default_factory=list)


class _SeedArticle(BaseModel):
    id: str
    published: str | None = None


class SeedGold(BaseModel):
    reference_date: dt.date
    articles: list[_SeedArticle]
    people: list[_SeedPerson]
    organisations: list[_SeedOrganisation]
    events: list[_SeedItem]
    deals: list[_SeedItem]


def sentence_around(text: str, quote: str) -> str:
    """The sentence(s) of `text` holding `quote` (the quote itself if it is not found)."""
    i = text.find(quote)
    if i < 0:
        return quote
    end = j = i + len(quote)
    starts = [m.end() for m in re.finditer(r"[.!?][\"”’)]?\s+|\n", text[:i])]
    if quote[-1] not in ".!?":
        m = re.search(r"[.!?](?=[\"”’)]?\s)|\n", text[j:])
        end = j + m.end() if m else len(text)
    return text[(starts[-1] if starts else 0):end]


def shown_precision(text: str, value: str) -> str | None:
    """How much of `value` (YYYY-MM[-DD]) `text` states: 'day', 'month' or None."""
    year, month = int(value[:4]), int(value[5:7])
    name = _MONTHS[month - 1]
    mon = rf"\b(?:{name}|{name[:3]}\.)"
    if len(value) == 10:
        day = int(value[8:])
        weekday = dt.date(year, month, day).strftime("%A")
        if re.search(rf"{mon}\s+{day}\b|\b{day}(?:st|nd|rd|th)?\s+{mon}|\b{weekday}\b|{value}", text):
            return "day"
    if re.search(rf"{mon}(?!\w)", text) or re.search(r"\b(?:this|last|next) month\b", text, re.I):
        return "month"
    return None


def _source_status(item: _SeedItem, aid: str) -> str:
    said = item.status_by_source.get(aid, item.status)
    return next((status for word, status in _STATUS_WORDS if word in said), said)


class _Splitter:
    """Holds the consolidated gold and the article texts while it splits one into the other."""

    def __init__(self, gold: SeedGold, texts: dict[str, str]) -> None:
        self.gold = gold
        self.texts = texts
        self.names = {x.id: x.name for x in gold.people} | {x.id: x.name for x in gold.organisations}
        self.items = {x.id: x for x in [*gold.events, *gold.deals]}
        self.signing = {e.deal: e for e in gold.events if e.deal}

    def cited(self, item: _SeedItem) -> list[str]:
        return sorted({s.article for s in item.sources} & set(self.texts))

    def sentences(self, items: list[_SeedItem], aid: str) -> str:
        return " ".join(sentence_around(self.texts[aid], s.quote)
                        for it in items for s in it.sources if s.article == aid)

    def local_date(self, item: _SeedItem, aid: str) -> str | None:
        """The item's date as far as this article's own sentences state it."""
        if item.date.precision == "year":
            return None
        related = [item] + ([self.signing[item.id]] if item.id in self.signing else [])
        shown = shown_precision(self.sentences(related, aid), item.date.value)
        if shown is None:
            parent = self.items.get(item.related_to or "")
            return self.local_date(parent, aid) if parent and aid in self.cited(parent) else None
        return item.date.value if shown == "day" else item.date.value[:7]

    def meeting(self, item: _SeedItem, aid: str, local: str | None, date_ok: list[str | None]) -> GoldMeeting:
        dest = item.destination or ""
        place = item.place or (dest.split(",")[0] if "," in dest else None)
        parts = [normalise(re.sub(r"^(US|U\.S\.|the) ", "", c.strip())) for c in (place or "").split(",")]
        said = f" {normalise(self.sentences([item], aid))} "
        shown = place if any(c and f" {c} " in said for c in parts) else None
        participants = [self.names.get(x, x) for x in item.participants]
        return GoldMeeting(kind=item.kind or "", participants=participants, date=local, place=shown,
                           date_ok=date_ok, place_ok=list(dict.fromkeys([shown, place])))

    def deal(self, item: _SeedItem, aid: str, local: str | None, date_ok: list[str | None]) -> GoldDeal:
        kinds = [k for k in map(deal_kind, [item.type or "", *item.also]) if k in DEAL_KINDS]
        amount = item.amount or _SeedAmount()
        return GoldDeal(kind=kinds[0], kind_ok=kinds, parties=[self.names.get(x, x) for x in item.parties],
                        amount=amount.value, currency=amount.currency, sector=item.sector,
                        status=_source_status(item, aid), date=local, date_ok=date_ok)

    def split(self) -> dict[str, GoldFacts]:
        facts = {aid: GoldFacts() for aid in self.texts}
        for person in self.gold.people:
            for aid, text in self.texts.items():
                if aid in {s.article for s in person.sources} or person.name in text:
                    facts[aid].people.append(GoldPerson(name=person.name, aliases=[
                        x for x in person.aliases if x != person.name and x in text]))
        for item in [*self.gold.events, *self.gold.deals]:
            whole = item.date.value if item.date.precision != "year" else None
            for aid in self.cited(item):
                local = self.local_date(item, aid)
                date_ok = list(dict.fromkeys([local, whole]))
                if item.kind in _CONTACT_KINDS:
                    facts[aid].meetings.append(self.meeting(item, aid, local, date_ok))
                if item.type is not None:
                    facts[aid].deals.append(self.deal(item, aid, local, date_ok))
                if whole and item.id not in self.signing:
                    facts[aid].events.append(GoldEvent(date=local or whole, what=item.summary,
                                                       optional=local is None,
                                                       date_ok=[d for d in date_ok if d]))
        return facts


def load_seed_gold(gold_path: Path) -> SeedGold:
    """The consolidated seed gold, validated."""
    try:
        return SeedGold.model_validate_json(gold_path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"cannot read {gold_path}: {error.strerror or error}") from None
    except ValidationError as error:
        raise InputError(f"bad seed gold {gold_path}: {error.errors()[0]['msg']}") from None


def load_seeds(seeds_dir: Path, gold_path: Path) -> tuple[list[GoldArticle], dt.date]:
    """The seed articles (ids = the first 3 characters of the file names) and the reference date."""
    gold = load_seed_gold(gold_path)
    paths = {p.name[:3]: p for p in sorted(seeds_dir.glob("*.txt"))}
    texts = {aid: p.read_text(encoding="utf-8") for aid, p in paths.items()}
    published = {a.id: a.published for a in gold.articles}
    acronyms = {normalise(o.acronym): normalise(o.name) for o in gold.organisations if o.acronym}
    facts = _Splitter(gold, texts).split()
    articles = [GoldArticle(id=aid, path=paths[aid], text=texts[aid], published=published.get(aid),
                            story="seeds", acronyms=acronyms, gold=facts[aid]) for aid in paths]
    return articles, gold.reference_date
