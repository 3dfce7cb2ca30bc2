"""What the store's read and write functions return: pydantic models, never ORM rows."""

from __future__ import annotations

import datetime as dt
from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, Field, model_validator

from briefings.errors import InputError
from briefings.models import (
    DealKind,
    DealStatus,
    Disagreement,
    Evidence,
    StatusClaim,
    StoryDeal,
    StoryMeeting,
)

T = TypeVar("T")

DeliveryStatus = Literal["claimed", "sent", "failed", "ambiguous", "skipped"]
FactKind = Literal["meeting", "deal", "event"]


class Page(BaseModel, Generic[T]):
    """One page of a longer result; `page` starts at 1."""

    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        """How many pages the whole result has (at least 1, even when empty)."""
        return max(1, -(-self.total // self.page_size))


class DealFilter(BaseModel):
    """Deal query filters; `start`/`end` bound the deal's date, amounts are in `currency` units."""

    party: str | None = None
    country: str | None = None
    kind: DealKind | None = None
    status: DealStatus | None = None
    currency: str | None = None
    min_amount: float | None = None
    max_amount: float | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @model_validator(mode="after")
    def _ranges_forward(self) -> DealFilter:
        # InputError is not a ValueError, so pydantic lets it through with its plain message.
        check_date_range(self.start, self.end)
        if self.min_amount is not None and self.max_amount is not None and self.min_amount > self.max_amount:
            raise InputError(f"the amount range is backwards: {self.min_amount:g} is more than "
                             f"{self.max_amount:g}")
        return self


def check_date_range(start: dt.date | None, end: dt.date | None) -> None:
    """Raise `InputError` when `start` is after `end`."""
    if start is not None and end is not None and start > end:
        raise InputError(f"the date range is backwards: {start.isoformat()} is after {end.isoformat()}")


class PersonProfile(BaseModel):
    name: str
    title: str | None = None  # the one clean title shown; `titles` keeps every reported form
    titles: list[str] = Field(default_factory=list)
    aliases: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    meetings: list[StoryMeeting] = Field(default_factory=list)
    deals: list[StoryDeal] = Field(default_factory=list)
    article_ids: list[str] = Field(default_factory=list)


class SearchHit(BaseModel):
    kind: Literal["meeting", "deal", "event", "article"]
    id: str
    label: str
    snippet: str
    sources: list[Evidence] = Field(default_factory=list)


class FactSources(BaseModel):
    id: str
    kind: FactKind
    label: str
    sources: list[Evidence] = Field(default_factory=list)
    disagreements: list[Disagreement] = Field(default_factory=list)
    status_history: list[StatusClaim] = Field(default_factory=list)
    titles: dict[str, str] = Field(default_factory=dict)  # article id -> its headline, where it has one
    story_id: str | None = None


class IngestReport(BaseModel):
    """Article ids by outcome; `failed` holds (origin, one-line message)."""

    added: list[str] = Field(default_factory=list)
    replaced: list[str] = Field(default_factory=list)
    unchanged: list[str] = Field(default_factory=list)
    failed: list[tuple[str, str]] = Field(default_factory=list)


class DeliveryInfo(BaseModel):
    chat_id: int
    local_date: dt.date
    status: DeliveryStatus
    late: bool = False
    claimed_at: dt.datetime
    sent_at: dt.datetime | None = None
    message_ids: list[int] = Field(default_factory=list)
    error: str | None = None


class Subscriber(BaseModel):
    chat_id: int
    user_id: int | None = None
    chat_type: str
    timezone: str
    delivery_time: dt.time
    active: bool
    created_at: dt.datetime
    last_briefing_at: dt.datetime | None = None
    language: str = "en"


class StoreStats(BaseModel):
    articles: int
    stories: int
    meetings: int
    deals: int
    events: int
    subscribers: int
    active_subscribers: int
    last_deliveries: list[DeliveryInfo] = Field(default_factory=list)
