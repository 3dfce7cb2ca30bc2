"""The summariser: ranking, per-fact corroboration, disagreements, status changes, the window."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.models import DateValue, Evidence
from briefings.summarise import (
    QUOTE_LIMIT,
    corroboration,
    deal_item,
    pick_quote,
    source_refs,
    summarise,
    upcoming_items,
)
from tests.support.builders import ARTICLES, deal, disputed_deal, event, evidence, meeting, story

NOW = dt.datetime(2025, 9, 10, 8, 0, tzinfo=dt.UTC)
TODAY = dt.date(2025, 9, 10)


def test_summarise_ranks_corroborated_deals_above_single_source_meetings() -> None:
    small = story("s-small", headline="A courtesy call", deals=[], events=[], outlets=["Courier"],
                  meetings=[meeting()]).model_copy(update={"article_ids": ["a3"]})
    big = story("s-big")
    briefing = summarise([small, big], today=TODAY, now=NOW)
    assert [s.id for s in briefing.stories] == ["s-big", "s-small"]
    assert briefing.total_stories == 2
    assert briefing.outlet_count == 3


def test_summarise_recent_story_outranks_an_old_one_of_equal_weight() -> None:
    old = story("s-old", updated_at=NOW - dt.timedelta(days=6))
    new = story("s-new", updated_at=NOW - dt.timedelta(hours=1))
    assert [s.id for s in summarise([old, new], today=TODAY, now=NOW).stories] == ["s-new", "s-old"]


def test_summarise_corroboration_is_per_fact() -> None:
    briefing = summarise([story()], today=TODAY, now=NOW)
    items = {item.kind: item for item in briefing.stories[0].items}
    assert items["deal"].corroboration == "2 outlets"
    assert items["meeting"].corroboration == "single source"
    assert briefing.stories[0].corroboration == "3 outlets"


@pytest.mark.parametrize(("outlets", "expected"), [
    (["Gazette"], "single source"),
    (["Gazette", "gazette"], "single source"),
    (["Gazette", "Courier"], "2 outlets"),
    (["Gazette", None], "2 sources"),
])
def test_summarise_corroboration_label(outlets: list[str | None], expected: str) -> None:
    evs = [evidence("a1" if i == 0 else "a2", 0, outlet) for i, outlet in enumerate(outlets)]
    assert corroboration(source_refs(evs)) == expected


def test_summarise_source_refs_keep_the_first_known_url() -> None:
    evs = [evidence("a1", 0, "Gazette"), evidence("a2", 0, "Gazette", "https://gazette.example/2")]
    refs = source_refs(evs)
    assert [(r.name, r.url) for r in refs] == [("Gazette", "https://gazette.example/2")]


def test_summarise_disagreement_keeps_both_values_with_their_outlets() -> None:
    item = deal_item(disputed_deal())
    assert len(item.conflicts) == 1
    conflict = item.conflicts[0]
    assert conflict.field == "amount"
    assert [(c.value, c.outlets) for c in conflict.claims] == [
        ("500000000 USD", ["Daily Planet"]), ("450000000 USD", ["Gazette"])]


def test_summarise_status_change_from_dated_history() -> None:
    item = deal_item(disputed_deal())
    assert item.status_change is not None
    assert (item.status_change.before, item.status_change.after) == ("negotiating", "signed")
    assert deal_item(deal()).status_change is None


def test_summarise_nothing_new_is_an_empty_briefing() -> None:
    briefing = summarise([], today=TODAY, now=NOW, since=NOW - dt.timedelta(days=1))
    assert briefing.is_empty
    assert briefing.total_stories == 0


def test_summarise_marks_updated_stories() -> None:
    since = NOW - dt.timedelta(days=1)
    fresh = story("s-fresh", first_published=TODAY)
    older = story("s-older", first_published=TODAY - dt.timedelta(days=5))
    flags = {s.id: s.is_new for s in summarise([fresh, older], today=TODAY, now=NOW, since=since).stories}
    assert flags == {"s-fresh": True, "s-older": False}


def test_summarise_limits_stories_and_items() -> None:
    many = [story(f"s-{i:08d}", deals=[deal(f"d-{i}-{j}") for j in range(6)]) for i in range(12)]
    briefing = summarise(many, today=TODAY, now=NOW, max_stories=5, max_items=3)
    assert len(briefing.stories) == 5
    assert briefing.total_stories == 12
    assert all(len(s.items) == 3 and s.more_items == 4 for s in briefing.stories)


@pytest.mark.parametrize(("day", "expected"), [
    (DateValue(year=2025, month=9, day=9), False),
    (DateValue(year=2025, month=9, day=10), True),
    (DateValue(year=2025, month=9), True),       # a month-precise plan counts until the month ends
    (DateValue(year=2025, month=8), False),
    (DateValue(year=2026), True),
])
def test_summarise_upcoming_only_future_planned_events(day: DateValue, expected: bool) -> None:
    items = upcoming_items([event(day=day)], TODAY)
    assert bool(items) is expected


def test_summarise_upcoming_skips_events_that_occurred() -> None:
    assert upcoming_items([event(status="occurred", day=DateValue(year=2026))], TODAY) == []


def test_summarise_quote_is_a_verbatim_prefix_of_a_long_sentence() -> None:
    sentence = "The accord " + "covers ports and rail links " * 20 + "in full."
    ev = Evidence(article_id="x", sentence=sentence, start=0, end=len(sentence), outlet="Gazette")
    quote = pick_quote([ev], source_refs([ev]))
    assert quote is not None and quote.truncated
    assert len(quote.text) <= QUOTE_LIMIT
    assert sentence.startswith(quote.text)


def test_summarise_quote_prefers_the_first_source() -> None:
    evs = [evidence("a1", 0, "Daily Planet"), evidence("a2", 1, "Gazette")]
    quote = pick_quote(evs, source_refs(evs))
    assert quote is not None
    assert quote.source.name == "Daily Planet"
    assert quote.text in ARTICLES["a1"]
