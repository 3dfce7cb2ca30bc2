"""Hand-built stories and facts for tests, from invented sentences (never corpus text)."""

from __future__ import annotations

import datetime as dt

from briefings.models import (
    Article,
    ArticleFacts,
    Claim,
    DateValue,
    Deal,
    Disagreement,
    Evidence,
    Money,
    Organisation,
    Paragraph,
    StatusClaim,
    Story,
    StoryDeal,
    StoryEvent,
    StoryMeeting,
)

ARTICLES: dict[str, str] = {
    "a1": ("Northland and Southport signed a memorandum of understanding worth $500 million on Monday. "
           "The ministers met in Porto to discuss port logistics."),
    "a2": ("Officials said the Northland-Southport accord, valued at about $450 million, was signed. "
           "Talks on a wider trade pact will continue in August."),
    "a3": ("A spokesperson said Northland and Southport were negotiating a port deal & more <b>soon</b>. "
           "Minister Ana Lima met Minister Jon Berg in Porto."),
}


def evidence(article_id: str, sentence_no: int = 0, outlet: str | None = None,
             url: str | None = None) -> Evidence:
    """The `sentence_no`-th sentence of an invented article, with its true offsets."""
    text = ARTICLES[article_id]
    sentences = [s for s in text.split(". ")]
    sentence = sentences[sentence_no]
    if not sentence.endswith("."):
        sentence += "."
    start = text.index(sentence)
    return Evidence(article_id=article_id, sentence=sentence, start=start, end=start + len(sentence),
                    outlet=outlet, url=url)


def deal(deal_id: str = "d-00000001", *, parties: tuple[str, ...] = ("Northland", "Southport"),
         amount: float | None = 5e8, sources: list[Evidence] | None = None, **extra: object) -> StoryDeal:
    return StoryDeal.model_validate({
        "id": deal_id, "kind": "mou", "parties": list(parties),
        "amount": Money(value=amount, currency="USD") if amount else None,
        "status": "signed", "date": DateValue(year=2025, month=9, day=8),
        "sources": sources if sources is not None else [
            evidence("a1", 0, "Daily Planet", "https://planet.example/a1"),
            evidence("a2", 0, "Gazette", None)],
        **extra})


def meeting(meeting_id: str = "m-00000001", sources: list[Evidence] | None = None) -> StoryMeeting:
    return StoryMeeting(id=meeting_id, kind="meeting", participants=["Ana Lima", "Jon Berg"], place="Porto",
                        date=DateValue(year=2025, month=7),
                        sources=sources if sources is not None else [evidence("a3", 1, "Courier")])


def event(event_id: str = "e-00000001", *, status: str = "planned",
          day: DateValue | None = None) -> StoryEvent:
    return StoryEvent.model_validate({
        "id": event_id, "date": day or DateValue(year=2025, month=8), "what": "Talks on a wider trade pact",
        "status": status, "sources": [evidence("a2", 1, "Gazette")]})


def disputed_deal() -> StoryDeal:
    return deal(
        "d-00000002",
        disagreements=[Disagreement(field="amount", claims=[
            Claim(value="500000000 USD", article_ids=["a1"], outlets=["Daily Planet"]),
            Claim(value="450000000 USD", article_ids=["a2"], outlets=["Gazette"])])],
        status_history=[
            StatusClaim(status="negotiating", article_id="a3", published=dt.date(2025, 9, 1)),
            StatusClaim(status="signed", article_id="a1", published=dt.date(2025, 9, 9))])


def story(story_id: str = "s-00000001", *, headline: str | None = "Northland and Southport sign port deal",
          deals: list[StoryDeal] | None = None, meetings: list[StoryMeeting] | None = None,
          events: list[StoryEvent] | None = None, outlets: list[str] | None = None,
          updated_at: dt.datetime | None = None,
          first_published: dt.date | None = dt.date(2025, 9, 9)) -> Story:
    return Story(id=story_id, headline=headline, article_ids=["a1", "a2", "a3"],
                 outlets=outlets if outlets is not None else ["Daily Planet", "Gazette", "Courier"],
                 first_published=first_published, last_published=dt.date(2025, 9, 9),
                 updated_at=updated_at or dt.datetime(2025, 9, 9, 6, 0, tzinfo=dt.UTC),
                 deals=deals if deals is not None else [disputed_deal()],
                 meetings=meetings if meetings is not None else [meeting()],
                 events=events if events is not None else [event()])


# --- whole articles for the store (invented text, one deal each) ------------------------------

_PARTNERS = ("Alder Mining", "Birch Ports", "Cedar Rail", "Dune Energy", "Elm Logistics", "Fir Telecom",
             "Gale Shipping", "Hazel Water", "Iris Solar", "Juniper Steel")
_BUYERS = ("Northland", "Southport", "Eastvale", "Westmarch")


def deal_article(index: int, published: dt.date = dt.date(2025, 9, 10)) -> ArticleFacts:
    """An article reporting one signed deal; `index` makes parties, amount and text unique."""
    partner = f"{_PARTNERS[index % len(_PARTNERS)]} {index}"
    buyer = _BUYERS[index % len(_BUYERS)]
    amount = (index + 1) * 10
    sentence = f"{buyer} signed a memorandum of understanding with {partner} worth ${amount} million."
    text = f"Deal number {index}\n\n{sentence} Officials welcomed the agreement number {index}."
    start = text.index(sentence)
    article = Article(id=f"deal-{index:03d}", title=f"Deal number {index}", text=text,
                      url=f"https://news.example/deal-{index:03d}", outlet=f"Outlet {index % 3}",
                      published=published, published_source="metadata",
                      paragraphs=[Paragraph(kind="heading", start=0, end=len(f"Deal number {index}"),
                                            text=f"Deal number {index}"),
                                  Paragraph(kind="body", start=start, end=len(text), text=text[start:])])
    ev = Evidence(article_id=article.id, sentence=sentence, start=start, end=start + len(sentence),
                  outlet=article.outlet, url=article.url)
    deal_fact = Deal(kind="mou", parties=[buyer, partner], amount=Money(value=amount * 1e6, currency="USD"),
                     status="signed", date=DateValue.from_date(published), evidence=[ev])
    return ArticleFacts(article=article, deals=[deal_fact],
                        organisations=[Organisation(name=partner)])
