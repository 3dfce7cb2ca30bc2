"""Meetings, calls and visits from invented news sentences."""

from __future__ import annotations

import pytest

from tests.support.facts import facts_of


def _contacts(
    text: str, published: str | None = "2025-03-14"
) -> list[tuple[str, frozenset[str], str | None]]:
    facts = facts_of(text, published)
    return [(m.kind, frozenset(m.participants), m.date.iso() if m.date else None) for m in facts.meetings]


def test_contacts_meeting_with_titles_and_a_weekday() -> None:
    text = (
        "Foreign Minister Anna Lindqvist met Indian Prime Minister Rajan Mehta in New Delhi on Tuesday "
        "to discuss trade and climate cooperation."
    )
    assert _contacts(text) == [("meeting", frozenset({"Anna Lindqvist", "Rajan Mehta"}), "2025-03-11")]


def test_contacts_phone_call_is_a_call_not_a_meeting() -> None:
    text = (
        "President Tomas Varga held a telephone conversation with Chancellor Ingrid Holm on Monday, "
        "the presidency said."
    )
    assert _contacts(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


@pytest.mark.parametrize(
    "text",
    [
        "President Tomas Varga will meet Chancellor Ingrid Holm next week in Vienna.",
        "President Tomas Varga is expected to meet Chancellor Ingrid Holm in Vienna.",
        "President Tomas Varga did not meet Chancellor Ingrid Holm during the summit in Vienna.",
        "President Tomas Varga invited Chancellor Ingrid Holm to visit Budapest later this year.",
    ],
)
def test_contacts_planned_or_negated_meetings_are_not_meetings(text: str) -> None:
    assert [c for c in _contacts(text) if c[0] == "meeting"] == []


def test_contacts_visit_keeps_its_traveller_and_month() -> None:
    text = "Prime Minister Rajan Mehta visited Japan in January for talks on investment, officials said."
    visits = [c for c in _contacts(text) if c[0] == "visit"]
    assert visits == [("visit", frozenset({"Rajan Mehta"}), "2025-01")]


def test_contacts_a_month_never_gains_a_day() -> None:
    text = "Chancellor Ingrid Holm met President Tomas Varga in February, their offices said."
    assert _contacts(text) == [("meeting", frozenset({"Ingrid Holm", "Tomas Varga"}), "2025-02")]


def test_contacts_the_same_meeting_told_twice_is_one_meeting() -> None:
    text = (
        "Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday.\n\n"
        "Holm and Varga held talks on energy security, the chancellery said."
    )
    meetings = facts_of(text).meetings
    assert len(meetings) == 1
    assert len(meetings[0].evidence) == 2


def test_contacts_without_a_publication_date_a_weekday_gives_no_date() -> None:
    text = "Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday."
    assert _contacts(text, published=None) == [("meeting", frozenset({"Ingrid Holm", "Tomas Varga"}), None)]


def test_contacts_evidence_is_the_verbatim_sentence() -> None:
    text = "Intro line.\n\nChancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday."
    facts = facts_of(text)
    for meeting in facts.meetings:
        for ev in meeting.evidence:
            assert facts.article.text[ev.start : ev.end] == ev.sentence
