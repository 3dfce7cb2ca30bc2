"""briefbot's domain: articles in, sourced facts and briefings out. Never imports `telegram`."""

from briefings.models import (
    Article,
    ArticleFacts,
    DateValue,
    Deal,
    Event,
    Evidence,
    Meeting,
    Money,
    Organisation,
    Person,
)

__all__ = [
    "Article",
    "ArticleFacts",
    "DateValue",
    "Deal",
    "Event",
    "Evidence",
    "Meeting",
    "Money",
    "Organisation",
    "Person",
]
