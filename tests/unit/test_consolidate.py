"""Consolidation on hand-built facts that mirror the three seed articles (one story, five facts)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.consolidate import build_stories
from briefings.models import DateValue, Story, StoryDeal, StoryMeeting
from tests.support.seed_facts import seeds


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
    # Dated articles first; 000 and 004 have only inferred dates (a guessed year), so no anchor.
    assert story.article_ids == ["001", "000", "004"]
    assert story.outlets == ["Outlet B", "Outlet A", "Outlet C"]
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
