"""Dated events for the timeline."""

from __future__ import annotations

from tests.support.facts import facts_of


def test_events_every_dated_meeting_has_an_event() -> None:
    facts = facts_of("Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday.")
    assert [e.date.iso() for e in facts.events] == ["2025-03-11"]
    assert "Ingrid Holm" in facts.events[0].what


def test_events_scheduled_happenings_are_planned_and_in_the_future() -> None:
    facts = facts_of("The two governments will hold a review of the programme scheduled for June.")
    assert [(e.date.iso(), e.status) for e in facts.events] == [("2025-06", "planned")]


def test_events_reporting_dates_are_not_events() -> None:
    facts = facts_of("Growth will remain weak this year, the finance ministry said on Tuesday.")
    assert facts.events == []


def test_events_undated_article_bare_month_is_inferred() -> None:
    facts = facts_of("The ceasefire agreed in May has held, officials said.", published=None,
                     reference="2025-09-14")
    assert [(e.date.iso(), e.date.inferred) for e in facts.events] == [("2025-05", True)]


def test_events_are_in_date_order() -> None:
    text = ("Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday. "
            "The two leaders had last met in October 2024 in Budapest.")
    dates = [e.date.first_day() for e in facts_of(text).events]
    assert dates == sorted(dates)
