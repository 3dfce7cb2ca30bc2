"""Invented articles for the follow, alert and chart tests: built by hand, never corpus text."""

from __future__ import annotations

import datetime as dt

from briefings.models import (
    Article,
    ArticleFacts,
    DateValue,
    Deal,
    Evidence,
    Meeting,
    Money,
    Organisation,
    Paragraph,
    Person,
)

OKAFOR = Person(name="Lena Okafor", title="Foreign Minister", titles=["Foreign Minister"], aliases=["Okafor"],
                country="Nigeria", mentions=2)
VARGA = Person(name="Tomas Varga", title="Trade Minister", titles=["Trade Minister"], aliases=["Varga"],
               country="Hungary", mentions=2)


def _article(article_id: str, outlet: str, title: str, body: str, published: dt.date) -> Article:
    text = f"{title}\n\n{body}"
    start = len(title) + 2
    return Article(id=article_id, title=title, text=text, url=f"https://{outlet.lower().replace(' ', '')}"
                   f".example/{article_id}", outlet=outlet, published=published, published_source="metadata",
                   paragraphs=[Paragraph(kind="heading", start=0, end=len(title), text=title),
                               Paragraph(kind="body", start=start, end=len(text), text=body)])


def _evidence(article: Article, sentence: str) -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article_id=article.id, sentence=sentence, start=start, end=start + len(sentence),
                    outlet=article.outlet, url=article.url)


def profile_article(published: dt.date = dt.date(2025, 9, 1)) -> ArticleFacts:
    """Introduces the people (no meeting): what /follow resolves names against."""
    sentence = "Foreign Minister Lena Okafor of Nigeria spoke about regional trade with reporters."
    article = _article("okafor-profile", "Lagos Ledger", "Okafor on trade", sentence, published)
    return ArticleFacts(article=article, people=[OKAFOR, VARGA.model_copy(update={"mentions": 1})])


def meeting_article(article_id: str = "okafor-varga-1", outlet: str = "Lagos Ledger",
                    published: dt.date = dt.date(2025, 9, 14)) -> ArticleFacts:
    """Okafor met Varga in Budapest on 12 September 2025; another outlet words it its own way."""
    sentence = (f"Foreign Minister Lena Okafor met Trade Minister Tomas Varga in Budapest on 12 September "
                f"to discuss a fertiliser agreement, {outlet} reported.")
    title = "Okafor meets Varga in Budapest"
    article = _article(article_id, outlet, title, sentence, published)
    meeting = Meeting(kind="meeting", participants=["Lena Okafor", "Tomas Varga"], place="Budapest",
                      date=DateValue(year=2025, month=9, day=12), evidence=[_evidence(article, sentence)])
    return ArticleFacts(article=article, people=[OKAFOR, VARGA], meetings=[meeting])


def deal_article(article_id: str, outlet: str, parties: tuple[str, str], amount: float, currency: str,
                 published: dt.date, status: str = "signed") -> ArticleFacts:
    verb = "signed" if status == "signed" else "are negotiating"
    sentence = f"{parties[0]} and {parties[1]} {verb} a fertiliser agreement worth {currency} {amount:g}."
    title = f"{parties[0]} and {parties[1]} fertiliser agreement"
    article = _article(article_id, outlet, title, sentence, published)
    deal = Deal.model_validate({
        "kind": "agreement", "parties": list(parties), "amount": Money(value=amount, currency=currency),
        "sector": "fertiliser", "status": status, "date": DateValue.from_date(published),
        "evidence": [_evidence(article, sentence)]})
    return ArticleFacts(article=article, deals=[deal],
                        organisations=[Organisation(name=p) for p in parties if " " in p])
