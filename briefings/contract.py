"""The JSON contract of `briefbot extract --json`: models other tools read, built from the facts.

Dates are ISO strings truncated to their precision; amounts are plain numbers in currency units.
The JSON Schema of `ExtractDocument` is published in `briefings/schema/extract.schema.json`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from pydantic import BaseModel, Field

from briefings.models import (
    ArticleFacts,
    ContactKind,
    DateValue,
    Deal,
    DealKind,
    DealStatus,
    EventStatus,
    Evidence,
    Meeting,
    PublishedSource,
    Story,
    StoryDeal,
    StoryMeeting,
)


class PersonOut(BaseModel):
    name: str
    title: str | None = None
    aliases: list[str] = Field(default_factory=list)


class OrganisationOut(BaseModel):
    name: str
    acronym: str | None = None


class MeetingOut(BaseModel):
    kind: ContactKind
    participants: list[str]
    date: str | None = None
    date_inferred: bool = False
    place: str | None = None
    evidence: list[str]


class DealOut(BaseModel):
    kind: DealKind
    parties: list[str]
    amount: float | None = None
    amount_low: float | None = None
    approximate: bool = False
    currency: str | None = None
    sector: str | None = None
    status: DealStatus
    date: str | None = None
    date_inferred: bool = False
    evidence: list[str]


class EventOut(BaseModel):
    date: str
    date_inferred: bool = False
    what: str
    status: EventStatus = "occurred"
    evidence: list[str]


class ArticleOut(BaseModel):
    id: str
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    published: str | None = None
    published_source: PublishedSource = "none"
    people: list[PersonOut] = Field(default_factory=list)
    organisations: list[OrganisationOut] = Field(default_factory=list)
    meetings: list[MeetingOut] = Field(default_factory=list)
    deals: list[DealOut] = Field(default_factory=list)
    events: list[EventOut] = Field(default_factory=list)


class StoryOut(BaseModel):
    id: str
    articles: list[str]
    headline: str | None = None
    meetings: list[MeetingOut] = Field(default_factory=list)
    deals: list[DealOut] = Field(default_factory=list)


class ExtractDocument(BaseModel):
    articles: list[ArticleOut]
    stories: list[StoryOut] = Field(default_factory=list)


def _iso(value: DateValue | None) -> str | None:
    return value.iso() if value is not None else None


def _inferred(value: DateValue | None) -> bool:
    return bool(value is not None and value.inferred)


def _sentences(evidence: Sequence[Evidence]) -> list[str]:
    return list(dict.fromkeys(e.sentence for e in evidence))


def _meeting_out(m: Meeting | StoryMeeting) -> MeetingOut:
    evidence = m.evidence if isinstance(m, Meeting) else m.sources
    return MeetingOut(kind=m.kind, participants=m.participants, date=_iso(m.date),
                      date_inferred=_inferred(m.date), place=m.place, evidence=_sentences(evidence))


def _deal_out(d: Deal | StoryDeal) -> DealOut:
    evidence = d.evidence if isinstance(d, Deal) else d.sources
    return DealOut(kind=d.kind, parties=d.parties, amount=d.amount.value if d.amount else None,
                   amount_low=d.amount.low if d.amount else None,
                   approximate=bool(d.amount and d.amount.approximate),
                   currency=d.amount.currency if d.amount else None, sector=d.sector, status=d.status,
                   date=_iso(d.date), date_inferred=_inferred(d.date), evidence=_sentences(evidence))


def article_out(facts: ArticleFacts) -> ArticleOut:
    a = facts.article
    return ArticleOut(
        id=a.id, title=a.title, url=a.url, outlet=a.outlet,
        published=a.published.isoformat() if a.published else None,
        published_source=a.published_source,
        people=[PersonOut(name=p.name, title=p.title, aliases=p.aliases) for p in facts.people],
        organisations=[OrganisationOut(name=o.name, acronym=o.acronym) for o in facts.organisations],
        meetings=[_meeting_out(m) for m in facts.meetings],
        deals=[_deal_out(d) for d in facts.deals],
        events=[EventOut(date=e.date.iso(), date_inferred=e.date.inferred, what=e.what, status=e.status,
                         evidence=_sentences(e.evidence)) for e in facts.events],
    )


def story_out(story: Story) -> StoryOut:
    return StoryOut(id=story.id, articles=story.article_ids, headline=story.headline,
                    meetings=[_meeting_out(m) for m in story.meetings],
                    deals=[_deal_out(d) for d in story.deals])


def extract_document(facts: Sequence[ArticleFacts], stories: Sequence[Story]) -> ExtractDocument:
    return ExtractDocument(articles=[article_out(f) for f in facts], stories=[story_out(s) for s in stories])


def schema_json() -> str:
    """The published JSON Schema (a test keeps the committed file equal to this)."""
    return json.dumps(ExtractDocument.model_json_schema(), indent=2, sort_keys=True) + "\n"
