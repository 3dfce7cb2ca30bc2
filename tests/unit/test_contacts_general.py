"""Meetings, calls, visits and their events as English news writes them (invented sentences)."""

from __future__ import annotations

import pytest

from tests.support.facts import facts_of


def _contacts(
    text: str, published: str | None = "2025-06-13"
) -> list[tuple[str, list[str], str | None, str | None]]:
    facts = facts_of(text, published)
    return [
        (m.kind, sorted(m.participants), m.date.iso() if m.date else None, m.place) for m in facts.meetings
    ]


@pytest.mark.parametrize(
    ("text", "guest"),
    [
        # a long title, joined by "for" and "and", between the verb and the guest
        (
            "Omar Haddad met Asian Development Bank Director General for Central and West Asia Lena Park "
            "in Baku to discuss the road project.",
            "Lena Park",
        ),
        # a title set off by commas
        (
            "Trade Minister Omar Haddad met the bank's chief executive, Lena Park, in Baku on Tuesday.",
            "Lena Park",
        ),
    ],
)
def test_a_guest_behind_a_long_or_appositive_title_is_met(text: str, guest: str) -> None:
    meetings = [c for c in _contacts(text) if c[0] == "meeting"]
    assert len(meetings) == 1 and guest in meetings[0][1] and "Omar Haddad" in meetings[0][1]


@pytest.mark.parametrize(
    "text",
    [
        "The proposal met resistance from Trade Minister Omar Haddad, officials said.",
        "The ministry met its target for the year, Trade Minister Omar Haddad said.",
    ],
)
def test_met_without_a_person_as_object_is_no_meeting(text: str) -> None:
    assert [c for c in _contacts(text) if c[0] == "meeting"] == []


def test_a_trip_to_a_region_is_the_same_trip_as_its_city() -> None:
    text = (
        "Prime Minister Ana Duarte arrived in Nairobi on Wednesday for a two-day official visit, "
        "her first trip to East Africa since taking office."
    )
    visits = [c for c in _contacts(text) if c[0] == "visit"]
    assert visits == [("visit", ["Ana Duarte"], "2025-06-11", "Nairobi")]


def test_later_in_the_day_takes_the_day_and_place_of_the_talks_before() -> None:
    text = (
        "Prime Minister Ana Duarte and President Tomas Varga met on Thursday on the sidelines of the summit "
        "in Geneva.\nTalks between Duarte and Chancellor Ingrid Holm followed later in the day."
    )
    facts = facts_of(text, "2025-06-13")
    meetings = sorted(
        (sorted(m.participants), m.date.iso() if m.date else None, m.place) for m in facts.meetings
    )
    assert meetings == [
        (["Ana Duarte", "Ingrid Holm"], "2025-06-12", "Geneva"),
        (["Ana Duarte", "Tomas Varga"], "2025-06-12", "Geneva"),
    ]
    # two meetings of different people on one day are two events
    assert len([e for e in facts.events if e.date.iso() == "2025-06-12"]) == 2


def test_later_in_the_day_without_a_dated_contact_before_stays_undated() -> None:
    text = "Talks between Prime Minister Ana Duarte and Chancellor Ingrid Holm followed later in the day."
    assert _contacts(text) == [("meeting", ["Ana Duarte", "Ingrid Holm"], None, None)]


@pytest.mark.parametrize(
    ("text", "travellers"),
    [
        (
            "President Ana Duarte, who arrived in Lisbon on Monday, was accompanied by "
            "Trade Minister Rui Costa.",
            ["Ana Duarte", "Rui Costa"],
        ),
        (
            "President Ana Duarte arrived in Lisbon on Monday, accompanied by her husband Paulo Duarte "
            "and Trade Minister Rui Costa.",
            ["Ana Duarte", "Paulo Duarte", "Rui Costa"],
        ),
    ],
)
def test_companions_in_the_trip_sentence_travel_too(text: str, travellers: list[str]) -> None:
    visits = [c for c in _contacts(text) if c[0] == "visit"]
    assert visits == [("visit", travellers, "2025-06-09", "Lisbon")]


def test_a_trip_to_a_capital_named_by_adjective_is_described_by_its_country() -> None:
    text = "President Ana Duarte arrived in the Kenyan capital on Monday evening for talks."
    facts = facts_of(text, "2025-06-13")
    assert [e.what for e in facts.events] == ["Ana Duarte visits Kenya"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Minister Omar Haddad was received by President Lena Park at the palace in Baku on Tuesday.",
            [("meeting", ["Lena Park", "Omar Haddad"], "2025-06-10", "Baku")],
        ),
        (
            "Ambassador Omar Haddad paid a courtesy call on President Lena Park in Baku on Tuesday.",
            [("meeting", ["Lena Park", "Omar Haddad"], "2025-06-10", "Baku")],
        ),
        ("Trade Minister Omar Haddad was received by a guard of honour on Tuesday.", []),
        ("Trade Minister Omar Haddad called on the government to release the funds on Tuesday.", []),
    ],
)
def test_received_by_and_courtesy_calls_are_meetings_with_a_person(
    text: str, expected: list[tuple[str, list[str], str | None, str | None]]
) -> None:
    assert _contacts(text) == expected


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("Prime Minister Ana Duarte wrapped up her visit to Peru on Thursday.", None),
        ("Prime Minister Ana Duarte left Lima on Thursday after a three-day visit.", None),
        ("Prime Minister Ana Duarte began a four-day visit to Peru on Tuesday.", "2025-06-10"),
        ("Prime Minister Ana Duarte arrived in Lima on Tuesday, a day after she left Quito.", "2025-06-10"),
    ],
)
def test_the_day_a_trip_ends_does_not_date_the_trip(text: str, date: str | None) -> None:
    assert [c[2] for c in _contacts(text) if c[0] == "visit"] == [date]


@pytest.mark.parametrize(
    ("text", "participants"),
    [
        (
            "Prime Minister Ana Duarte met President Tomas Varga on Tuesday to discuss the crisis that "
            "President Jonas Berg triggered last year.",
            ["Ana Duarte", "Tomas Varga"],
        ),
        (
            "Ana Duarte, who succeeded Jonas Berg in 2023, met President Tomas Varga on Tuesday.",
            ["Ana Duarte", "Tomas Varga"],
        ),
        (
            "Prime Minister Ana Duarte met President Tomas Varga on Tuesday in the presence of "
            "Foreign Minister Jonas Berg.",
            ["Ana Duarte", "Tomas Varga"],
        ),
        (
            "Prime Minister Ana Duarte met President Tomas Varga and Vice President Jonas Berg on Tuesday.",
            ["Ana Duarte", "Jonas Berg", "Tomas Varga"],
        ),
    ],
)
def test_topics_and_onlookers_are_not_participants(text: str, participants: list[str]) -> None:
    assert [c[1] for c in _contacts(text) if c[0] == "meeting"] == [participants]


@pytest.mark.parametrize(
    "text",
    [
        "Ana Duarte had a meeting with President Tomas Varga at Malacanang Palace on Tuesday.",
        "Prime Minister Ana Duarte held talks with President Tomas Varga at Government House on Tuesday.",
    ],
)
def test_a_building_after_the_trigger_is_no_city(text: str) -> None:
    assert [c[3] for c in _contacts(text)] == [None]


def test_a_second_contact_in_another_part_of_the_sentence_is_its_own() -> None:
    text = (
        "Prime Minister Ana Duarte met President Tomas Varga on Tuesday, a day after Foreign Minister "
        "Rui Costa held talks with his counterpart Jonas Berg."
    )
    assert sorted(_contacts(text)) == [
        ("meeting", ["Ana Duarte", "Tomas Varga"], "2025-06-10", None),
        ("meeting", ["Jonas Berg", "Rui Costa"], None, None),
    ]
