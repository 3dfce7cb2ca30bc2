"""Consolidation on hand-built facts that mirror the three seed articles (one story, five facts)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefings.consolidate import build_stories
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
    Story,
    StoryDeal,
    StoryMeeting,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _text(name: str) -> str:
    return next(SEEDS.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


def _ev(article: Article, quote: str) -> Evidence:
    start = article.text.index(quote)
    return Evidence(article_id=article.id, sentence=quote, start=start, end=start + len(quote))


def _month(year: int, month: int, day: int | None = None, inferred: bool = False) -> DateValue:
    return DateValue(year=year, month=month, day=day, inferred=inferred)


DAR = Person(name="Ishaq Dar", aliases=["Dar", "DPM Dar"], country="Pakistan")
RUBIO = Person(name="Marco Rubio", aliases=["Rubio"], country="United States")
USSM = Organisation(name="United States Strategic Metals", acronym="USSM", country="United States")
FWO = Organisation(name="Frontier Works Organisation", acronym="FWO", country="Pakistan")
NLC = Organisation(name="National Logistics Corporation", acronym="NLC", country="Pakistan")
MOTA = Organisation(name="Mota-Engil Group")


def seed_000() -> ArticleFacts:
    a = Article(
        id="000",
        title="Strategic Dialogue Covers Bilateral Trade, Security, and Regional Stability",
        text=_text("000"),
        outlet="Outlet A",
        url="https://a.example/000",
    )
    return ArticleFacts(
        article=a,
        people=[DAR, RUBIO, Person(name="Donald Trump", aliases=["President Trump"])],
        organisations=[USSM, FWO, NLC, MOTA],
        meetings=[
            Meeting(
                kind="call",
                participants=["Ishaq Dar", "Marco Rubio"],
                date=_month(2025, 9, inferred=True),
                evidence=[_ev(a, "held a high-level conversation to discuss global developments")],
            ),
            Meeting(
                kind="meeting",
                participants=["Ishaq Dar", "Marco Rubio"],
                date=_month(2025, 7, inferred=True),
                evidence=[_ev(a, "their earlier in-person meeting in July")],
            ),
        ],
        deals=[
            Deal(
                kind="investment",
                parties=["United States Strategic Metals", "Pakistan"],
                status="signed",
                amount=Money(value=5e8, currency="USD", text="$500 million"),
                sector="critical minerals",
                evidence=[
                    _ev(a, "Pakistan secured a $500 million investment in its critical minerals sector")
                ],
            ),
            Deal(
                kind="mou",
                parties=["Frontier Works Organisation", "USSM"],
                status="signed",
                evidence=[_ev(a, "signed an MoU with USSM")],
            ),
            Deal(
                kind="mou",
                parties=["National Logistics Corporation", "Mota-Engil Group"],
                status="signed",
                sector="infrastructure and construction",
                evidence=[_ev(a, "National Logistics Corporation (NLC) signed an MoU with Mota-Engil Group")],
            ),
        ],
        events=[
            Event(
                date=_month(2025, 7, inferred=True),
                what="Dar and Rubio meet in person",
                evidence=[_ev(a, "their earlier in-person meeting in July")],
            )
        ],
    )


def seed_001() -> ArticleFacts:
    a = Article(
        id="001",
        text=_text("001"),
        outlet="Outlet B",
        url="https://b.example/001",
        published=dt.date(2025, 9, 14),
        published_source="date_line",
    )
    return ArticleFacts(
        article=a,
        people=[DAR, RUBIO, Person(name="Shehbaz Sharif", country="Pakistan")],
        organisations=[USSM, FWO, NLC, MOTA],
        meetings=[
            Meeting(
                kind="call",
                participants=["Marco Rubio", "DPM Dar"],
                date=_month(2025, 9),
                evidence=[_ev(a, "held a call with DPM Dar")],
            ),
            Meeting(
                kind="meeting",
                participants=["Ishaq Dar", "Marco Rubio"],
                date=_month(2025, 7, 25),
                place="Washington",
                evidence=[
                    _ev(a, "Ishaq Dar meets US Secretary of State Marco Rubio at US State Department"),
                    _ev(a, "DPM Dar, back in July, had met Rubio"),
                ],
            ),
        ],
        deals=[
            Deal(
                kind="investment",
                parties=["United States", "Pakistan"],
                status="signed",
                date=_month(2025, 9),
                amount=Money(value=5e8, currency="USD", approximate=True, text="around $500 million"),
                sector="critical minerals",
                evidence=[_ev(a, "Pakistan secured around $500 million investment from the US")],
            ),
            Deal(
                kind="mou",
                parties=["FWO", "United States Strategic Metals"],
                status="signed",
                evidence=[_ev(a, "inked a landmark MoU with USSM")],
            ),
            Deal(
                kind="mou",
                parties=["NLC", "Mota-Engil Group"],
                status="signed",
                date=_month(2025, 9, 8),
                sector="engineering and construction",
                evidence=[
                    _ev(a, "the National Logistics Corporation (NLC) signed an MoU with Mota-Engil Group")
                ],
            ),
            Deal(
                kind="trade_agreement",
                parties=["Pakistan", "United States"],
                status="announced",
                date=_month(2025, 7),
                evidence=[_ev(a, "the two countries announced reaching a trade agreement")],
            ),
        ],
        events=[
            Event(
                date=_month(2025, 7, 25),
                what="Dar meets Rubio at the State Department",
                evidence=[_ev(a, "Ishaq Dar meets US Secretary of State Marco Rubio at US State Department")],
            ),
            Event(
                date=_month(2025, 9, 8),
                what="NLC and Mota-Engil sign an MoU",
                evidence=[_ev(a, "signing ceremony of MoU between National Logistics Corporation")],
            ),
        ],
    )


def seed_004() -> ArticleFacts:
    a = Article(
        id="004",
        text=_text("004"),
        outlet="Outlet C",
        title="Pakistan Deputy PM Ishaq Dar Secures U.S. Strategic Support, Trade Deal Nearing Completion",
    )
    return ArticleFacts(
        article=a,
        people=[Person(name="Ishaq Dar", aliases=["Dar"]), RUBIO],
        meetings=[
            Meeting(
                kind="meeting",
                participants=["Ishaq Dar", "Marco Rubio"],
                evidence=[_ev(a, "During high-profile meetings with U.S. Secretary of State Marco Rubio")],
            )
        ],
        deals=[
            Deal(
                kind="trade_agreement",
                parties=["Pakistan", "U.S."],
                status="negotiating",
                evidence=[_ev(a, "negotiations edge closer toward finalizing a bilateral trade agreement")],
            )
        ],
        events=[
            Event(
                date=_month(2025, 8, inferred=True),
                what="counterterrorism dialogue in Islamabad",
                status="planned",
                evidence=[_ev(a, "an upcoming counterterrorism dialogue scheduled for August")],
            )
        ],
    )


def seeds() -> list[ArticleFacts]:
    return [seed_000(), seed_001(), seed_004()]


@pytest.fixture(scope="module")
def story() -> Story:
    stories = build_stories(seeds())
    assert len(stories) == 1
    return stories[0]


def _meeting(story: Story, kind: str) -> StoryMeeting:
    found = [m for m in story.meetings if m.kind == kind]
    assert len(found) == 1, found
    return found[0]


def _deal(story: Story, kind: str, party: str) -> StoryDeal:
    found = [d for d in story.deals if d.kind == kind and party in d.parties]
    assert len(found) == 1, [(d.kind, d.parties) for d in story.deals]
    return found[0]


def test_consolidate_seeds_are_one_story(story: Story) -> None:
    # Oldest first: 000 is dated by its facts (September), 004 has no date at all.
    assert story.article_ids == ["000", "001", "004"]
    assert story.outlets == ["Outlet A", "Outlet B", "Outlet C"]
    assert story.headline is not None and story.headline.startswith("Strategic Dialogue")
    assert story.first_published == story.last_published == dt.date(2025, 9, 14)
    assert story.id.startswith("s-") and len(story.id) == 10
    assert "Ishaq Dar" in story.people and "Marco Rubio" in story.people
    assert "Pakistan" in story.countries


def test_consolidate_july_meeting_has_three_sources_and_the_caption_day(story: Story) -> None:
    meeting = _meeting(story, "meeting")
    assert {e.article_id for e in meeting.sources} == {"000", "001", "004"}
    assert meeting.date == DateValue(year=2025, month=7, day=25)
    assert meeting.place == "Washington"
    assert meeting.participants == ["Ishaq Dar", "Marco Rubio"]
    assert meeting.disagreements == []


def test_consolidate_september_call_merges_dpm_dar_with_ishaq_dar(story: Story) -> None:
    call = _meeting(story, "call")
    assert {e.article_id for e in call.sources} == {"000", "001"}
    assert call.date is not None and call.date.iso() == "2025-09" and not call.date.inferred
    assert sorted(call.participants) == ["Ishaq Dar", "Marco Rubio"]


def test_consolidate_ussm_investment_is_one_deal_across_wordings(story: Story) -> None:
    deal = _deal(story, "investment", "United States Strategic Metals")
    assert {e.article_id for e in deal.sources} == {"000", "001"}
    assert deal.amount is not None and deal.amount.value == 5e8 and deal.amount.currency == "USD"
    assert not deal.amount.approximate  # one outlet gave the exact figure
    assert [d.field for d in deal.disagreements] == ["parties"]  # "from USSM" vs "from the US"
    assert "United States" not in deal.parties  # the US company stands for its country


def test_consolidate_fwo_mou_expands_acronyms(story: Story) -> None:
    deal = _deal(story, "mou", "Frontier Works Organisation")
    assert {e.article_id for e in deal.sources} == {"000", "001"}
    assert sorted(deal.parties) == ["Frontier Works Organisation", "United States Strategic Metals"]
    assert deal.disagreements == []


def test_consolidate_nlc_mou_keeps_the_sector_disagreement(story: Story) -> None:
    deal = _deal(story, "mou", "National Logistics Corporation")
    assert {e.article_id for e in deal.sources} == {"000", "001"}
    assert deal.date == DateValue(year=2025, month=9, day=8)
    sector = next(d for d in deal.disagreements if d.field == "sector")
    claims = {c.value: c.article_ids for c in sector.claims}
    assert claims == {"infrastructure and construction": ["000"], "engineering and construction": ["001"]}
    assert deal.sector in claims


def test_consolidate_trade_agreement_newest_dated_status_is_current(story: Story) -> None:
    deal = _deal(story, "trade_agreement", "Pakistan")
    assert deal.status == "announced"
    assert [(c.status, c.article_id) for c in deal.status_history] == [
        ("negotiating", "004"),
        ("announced", "001"),
    ]
    status = next(d for d in deal.disagreements if d.field == "status")
    assert {c.value for c in status.claims} == {"negotiating", "announced"}
    assert len(story.deals) == 4


def test_consolidate_events_merge_by_date_and_description(story: Story) -> None:
    whats = [(e.date.iso(), e.status) for e in story.events]
    assert whats == [("2025-07-25", "occurred"), ("2025-08", "planned"), ("2025-09-08", "occurred")]
    july = story.events[0]
    assert {e.article_id for e in july.sources} == {"000", "001"}


def test_consolidate_evidence_carries_outlet_and_url(story: Story) -> None:
    evidence = _meeting(story, "meeting").sources
    assert {(e.article_id, e.outlet) for e in evidence} == {
        ("000", "Outlet A"),
        ("001", "Outlet B"),
        ("004", "Outlet C"),
    }
    assert all(
        a.text[e.start : e.end] == e.sentence
        for e in evidence
        for a in [f.article for f in seeds() if f.article.id == e.article_id]
    )


def test_consolidate_is_deterministic_whatever_the_input_order() -> None:
    forward = build_stories(seeds())
    backward = build_stories(list(reversed(seeds())))
    assert [s.model_dump() for s in forward] == [s.model_dump() for s in backward]


def test_consolidate_fact_ids_are_unique_and_short(story: Story) -> None:
    ids = [f.id for f in [*story.meetings, *story.deals, *story.events]]
    assert len(set(ids)) == len(ids)
    assert all(len(i) == 10 and i[1] == "-" for i in ids)
