"""What clustering needs to know about one article, computed once at ingest and stored with it.

A profile holds the article's anchor day, hashed term counts of its text (the IDF part of TF-IDF
is computed later, over whichever articles are being compared), and the entities it names. It is
small JSON, so re-clustering a window of stored articles never re-reads or re-tokenises texts.
"""

from __future__ import annotations

import datetime as dt
import math

from pydantic import BaseModel, Field

from briefings.ingest.published import is_stamp_line, make_date, written_dates
from briefings.models import ArticleFacts, ContactKind, DateValue, DealKind, Meeting
from briefings.stories.keys import country_key, entity_key, name_key
from briefings.stories.names import surname_keys
from briefings.stories.terms import term_counts

MAX_TERMS = 300  # the heaviest terms of an article: enough to compare, small to store


class ContactSignature(BaseModel):
    kind: ContactKind
    people: list[list[str]]  # surname keys of each participant
    date: DateValue | None = None
    place: str | None = None  # folded city name
    # The month and day its sentences state when the year is unknown ("On October 2"): still
    # enough to tell it from the same people's meeting in September.
    month_day: list[int] | None = None


class DealSignature(BaseModel):
    kind: DealKind
    parties: list[str]  # entity keys
    currency: str | None = None
    amount: float | None = None


class ArticleProfile(BaseModel):
    id: str
    anchor: dt.date | None = None
    term_ids: list[int] = Field(default_factory=list)
    term_weights: list[float] = Field(default_factory=list)
    people: list[list[str]] = Field(default_factory=list)
    organisations: list[str] = Field(default_factory=list)
    countries: list[str] = Field(default_factory=list)
    contacts: list[ContactSignature] = Field(default_factory=list)
    deals: list[DealSignature] = Field(default_factory=list)


def anchor_date(facts: ArticleFacts) -> dt.date | None:
    """Where the article sits in time: its publication day, else its latest dated past fact, else
    the latest full date its text prints (a caption's "Feb. 3, 2025").

    Only stated days count: an inferred one was resolved against a guessed "today" and may be a
    year off, and a month ("meetings in January 2024 and April 2025") is background more often
    than the news itself. Planned events never anchor (they point ahead). None when nothing dates
    the article.
    """
    if facts.article.published is not None:
        return facts.article.published
    dates = [m.date for m in facts.meetings] + [d.date for d in facts.deals]
    dates += [e.date for e in facts.events if e.status == "occurred"]
    stated = [d.first_day() for d in dates if d is not None and d.precision == "day" and not d.inferred]
    if stated:
        return max(stated)
    lines = [line for line in article_text(facts).splitlines() if not is_stamp_line(line)]  # not the site's
    written = [make_date(year, month, day) for month, day, year in written_dates("\n".join(lines)) if year]
    return max((d for d in written if d is not None), default=None)


def _month_day(m: Meeting) -> list[int] | None:
    """The month and day an undated contact's sentences state without a year."""
    if m.date is not None:
        return None
    for evidence in m.evidence:
        partial = [(month, day) for month, day, year in written_dates(evidence.sentence) if year is None]
        if len(partial) == 1:
            return list(partial[0])
    return None


def article_text(facts: ArticleFacts) -> str:
    """Headline and fact-bearing paragraphs (furniture left out); the whole text if unclassified."""
    article = facts.article
    body = article.body()
    text = "\n".join(p.text for p in body) if body else article.text
    return f"{article.title or ''}\n{text}"


def _terms(text: str) -> tuple[list[int], list[float]]:
    pairs = [(1.0 + math.log(float(v)), i) for i, v in term_counts(text).items()]
    pairs.sort(key=lambda p: (-p[0], p[1]))
    kept = sorted(pairs[:MAX_TERMS], key=lambda p: p[1])
    return [i for _, i in kept], [round(w, 4) for w, _ in kept]


def _countries(facts: ArticleFacts) -> list[str]:
    names: list[str | None] = [p.country for p in facts.people] + [o.country for o in facts.organisations]
    names += [party for deal in facts.deals for party in deal.parties]
    names += [m.place for m in facts.meetings]
    return sorted({code for name in names if name and (code := country_key(name))})


def blocking_keys(profile: ArticleProfile) -> set[str]:
    """Keys two articles of one story almost surely share: a surname, an organisation, a country."""
    keys = {f"p:{token}" for person in profile.people for token in person}
    keys |= {f"o:{org}" for org in profile.organisations} | {f"c:{code}" for code in profile.countries}
    return {key[:200] for key in keys}


def profile_article(facts: ArticleFacts) -> ArticleProfile:
    """The clustering profile of one article (pure)."""
    ids, weights = _terms(article_text(facts))
    people = sorted({tuple(sorted(keys)) for p in facts.people if (keys := surname_keys(p.name))})
    orgs: set[str] = set()
    for org in facts.organisations:
        orgs.update(name_key(n) for n in [org.name, org.acronym] if n and name_key(n))
    contacts = [ContactSignature(kind=m.kind, date=m.date, place=name_key(m.place) if m.place else None,
                                 month_day=_month_day(m),
                                 people=[sorted(surname_keys(name)) for name in m.participants])
                for m in facts.meetings]
    deals = [DealSignature(kind=d.kind, parties=sorted({entity_key(p) for p in d.parties}),
                           currency=d.amount.currency if d.amount else None,
                           amount=d.amount.value if d.amount else None) for d in facts.deals]
    return ArticleProfile(id=facts.article.id, anchor=anchor_date(facts), term_ids=ids, term_weights=weights,
                          people=[list(p) for p in people], organisations=sorted(orgs),
                          countries=_countries(facts), contacts=contacts, deals=deals)
