"""Pydantic models that cross module boundaries: articles, facts, stories, briefings.

Dates keep their precision: a `DateValue` of July 2025 has no day and never grows one.
Character offsets (`start`, `end`) always index `Article.text`, the text as it was read, so that
every fact can point at its verbatim sentence.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Precision = Literal["year", "month", "day"]
ParagraphKind = Literal["body", "heading", "caption", "furniture"]
PublishedSource = Literal["metadata", "date_line", "dateline", "url", "none"]
ContactKind = Literal["meeting", "call", "visit"]
DealKind = Literal["mou", "agreement", "investment", "loan", "trade_agreement"]
DealStatus = Literal["signed", "announced", "negotiating", "planned"]
EventStatus = Literal["occurred", "planned"]


class DateValue(BaseModel):
    """A calendar date at its stated precision; `inferred` when resolved without the article's date."""

    model_config = ConfigDict(frozen=True)

    year: int
    month: int | None = None
    day: int | None = None
    inferred: bool = False

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    def iso(self) -> str:
        """ISO 8601 truncated to the precision: `2025`, `2025-07` or `2025-07-25`."""
        if self.month is None:
            return f"{self.year:04d}"
        if self.day is None:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def first_day(self) -> dt.date:
        """The earliest calendar day this value covers (for ordering, never for display)."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @classmethod
    def from_date(cls, day: dt.date, inferred: bool = False) -> DateValue:
        return cls(year=day.year, month=day.month, day=day.day, inferred=inferred)

    @classmethod
    def parse_iso(cls, text: str) -> DateValue:
        """Inverse of `iso()`; raises ValueError on anything else."""
        parts = [int(p) for p in text.split("-")]
        if not 1 <= len(parts) <= 3:
            raise ValueError(f"not an ISO date: {text!r}")
        value = cls(year=parts[0], month=parts[1] if len(parts) > 1 else None,
                    day=parts[2] if len(parts) > 2 else None)
        value.first_day()  # validates month and day
        return value


class Paragraph(BaseModel):
    """A block of the article text with its role; `start`/`end` index `Article.text`."""

    kind: ParagraphKind
    start: int
    end: int
    text: str


class Article(BaseModel):
    """A cleaned article. `text` is the text as read (offsets index it); `paragraphs` classify it."""

    id: str
    title: str | None = None
    text: str
    url: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    published_source: PublishedSource = "none"
    dateline: str | None = None
    paragraphs: list[Paragraph] = Field(default_factory=list)
    content_hash: str = ""

    def body(self) -> list[Paragraph]:
        """Paragraphs that carry facts: body, headings and captions, not furniture."""
        return [p for p in self.paragraphs if p.kind != "furniture"]


class Evidence(BaseModel):
    """The verbatim sentence a fact was read from and where it stands in its article."""

    model_config = ConfigDict(frozen=True)

    article_id: str
    sentence: str
    start: int
    end: int
    outlet: str | None = None
    url: str | None = None


class Money(BaseModel):
    """An amount in plain currency units. A range keeps `low`; `value` is its upper bound."""

    model_config = ConfigDict(frozen=True)

    value: float
    currency: str
    low: float | None = None
    approximate: bool = False
    text: str = ""
    start: int = 0
    end: int = 0


class Person(BaseModel):
    name: str
    title: str | None = None
    titles: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    country: str | None = None
    mentions: int = 0


class Organisation(BaseModel):
    name: str
    acronym: str | None = None
    aliases: list[str] = Field(default_factory=list)
    country: str | None = None
    mentions: int = 0


class Meeting(BaseModel):
    """A meeting, call or visit that happened (planned ones are `Event`s)."""

    kind: ContactKind
    participants: list[str]
    date: DateValue | None = None
    place: str | None = None
    repeated: bool = False  # "multiple visits to the US": several occasions told as one
    evidence: list[Evidence] = Field(default_factory=list)


class Deal(BaseModel):
    kind: DealKind
    parties: list[str]
    amount: Money | None = None
    amount_equivalent: Money | None = None  # a conversion the text gives in brackets ("(around $17 billion)")
    sector: str | None = None
    status: DealStatus = "announced"
    date: DateValue | None = None
    evidence: list[Evidence] = Field(default_factory=list)


class Event(BaseModel):
    """A dated happening for the timeline."""

    date: DateValue
    what: str
    status: EventStatus = "occurred"
    evidence: list[Evidence] = Field(default_factory=list)


class ArticleFacts(BaseModel):
    """Everything extracted from one article."""

    article: Article
    people: list[Person] = Field(default_factory=list)
    organisations: list[Organisation] = Field(default_factory=list)
    meetings: list[Meeting] = Field(default_factory=list)
    deals: list[Deal] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)


# --- consolidated across sources (stories) -------------------------------------------------


class Claim(BaseModel):
    """One value of a disputed field and the articles that state it."""

    value: str
    article_ids: list[str]
    outlets: list[str] = Field(default_factory=list)


class Disagreement(BaseModel):
    """Sources that state different values for one field of one fact."""

    field: str
    claims: list[Claim]


class StatusClaim(BaseModel):
    """A deal status as one article states it; the newest dated claim is the current status."""

    status: DealStatus
    article_id: str
    published: dt.date | None = None
    date: DateValue | None = None


class StoryMeeting(BaseModel):
    id: str
    kind: ContactKind
    participants: list[str]
    date: DateValue | None = None
    place: str | None = None
    sources: list[Evidence] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)


class StoryDeal(BaseModel):
    id: str
    kind: DealKind
    parties: list[str]
    amount: Money | None = None
    sector: str | None = None
    status: DealStatus = "announced"
    status_history: list[StatusClaim] = Field(default_factory=list)
    date: DateValue | None = None
    sources: list[Evidence] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)


class StoryEvent(BaseModel):
    id: str
    date: DateValue
    what: str
    status: EventStatus = "occurred"
    sources: list[Evidence] = Field(default_factory=list)


class Story(BaseModel):
    """Articles about one happening, with their facts merged: one fact, many sources."""

    id: str
    headline: str | None = None
    article_ids: list[str]
    outlets: list[str] = Field(default_factory=list)
    first_published: dt.date | None = None
    last_published: dt.date | None = None
    updated_at: dt.datetime | None = None
    people: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    meetings: list[StoryMeeting] = Field(default_factory=list)
    deals: list[StoryDeal] = Field(default_factory=list)
    events: list[StoryEvent] = Field(default_factory=list)
