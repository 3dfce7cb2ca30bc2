"""Stories: the same people meeting on another occasion is another story; one occasion told by
several outlets, dated or not, is one."""

from __future__ import annotations

import datetime as dt

from briefings.consolidate import build_stories
from briefings.models import Article, ArticleFacts, DateValue, Deal, Evidence, Meeting, Person
from briefings.stories.profile import anchor_date

BODY = ("The two leaders discussed the strategic partnership, energy security, gas supplies and the "
        "region's stability, and agreed to expand investment and cultural ties.")


def _meeting(article_id: str, lead: str, *, published: dt.date | None, place: str | None = None,
             date: DateValue | None = None, deals: list[Deal] | None = None) -> ArticleFacts:
    text = f"{lead} {BODY}"
    return ArticleFacts(
        article=Article(id=article_id, text=text, published=published),
        people=[Person(name="Ilya Morant", country="Azerbaijan"),
                Person(name="Giulia Verdi", country="Italy")],
        meetings=[Meeting(kind="meeting", participants=["Ilya Morant", "Giulia Verdi"], place=place,
                          date=date,
                          evidence=[Evidence(article_id=article_id, sentence=lead, start=0, end=len(lead))])],
        deals=deals or [],
    )


def _groups(facts: list[ArticleFacts]) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in build_stories(facts))


def test_story_same_leaders_in_another_city_are_another_story() -> None:
    rome = _meeting("a", "Ilya Morant held talks with Giulia Verdi in Rome.", published=None, place="Rome")
    other = _meeting("b", "Ilya Morant met Giulia Verdi in Copenhagen.", published=None, place="Copenhagen")
    assert _groups([rome, other]) == [["a"], ["b"]]


def test_story_month_day_without_year_tells_occasions_apart() -> None:
    reported = _meeting("a", "Ilya Morant held talks with Giulia Verdi.", published=dt.date(2024, 9, 6))
    later = _meeting("b", "On October 2, Ilya Morant met Giulia Verdi.", published=None)
    assert _groups([reported, later]) == [["a"], ["b"]]
    same_days = _meeting("c", "On September 5, Ilya Morant met Giulia Verdi.", published=None)
    assert _groups([reported, same_days]) == [["a", "c"]]


def test_story_one_party_under_two_names_is_no_conflict() -> None:
    def mou(*parties: str) -> Deal:
        return Deal(kind="mou", parties=list(parties), status="signed")

    a = _meeting("a", "Ilya Morant held talks with Giulia Verdi.", published=dt.date(2024, 9, 6),
                 deals=[mou("Eni S.p.A.", "SOCAR")])
    b = _meeting("b", "Ilya Morant held talks with Giulia Verdi in Rome.", published=None, place="Rome",
                 deals=[mou("Eni", "SOCAR")])
    assert _groups([a, b]) == [["a", "b"]]


def test_story_anchor_of_an_undated_article_is_a_full_date_it_prints() -> None:
    caption = _meeting("a", "Giulia Verdi Feb. 3, 2025", published=None)
    assert anchor_date(caption) == dt.date(2025, 2, 3)
    background = _meeting("b", "Meetings were held in January 2024 and April 2025.", published=None,
                          date=DateValue(year=2025, month=4))
    assert anchor_date(background) is None  # a month is background more often than the news


def test_story_anchor_skips_the_sites_date_stamp() -> None:
    stamped = _meeting("a", "Giulia Verdi Feb. 3, 2025", published=None)
    stamped = stamped.model_copy(update={"article": stamped.article.model_copy(
        update={"text": "Monday, March 10, 2025\n" + stamped.article.text})})
    assert anchor_date(stamped) == dt.date(2025, 2, 3)
