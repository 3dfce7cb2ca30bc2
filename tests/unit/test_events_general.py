"""Timeline events on held-out patterns: statistics, travel told in the present, furniture stamps."""

from __future__ import annotations

import pytest

from briefings.ingest.published import date_only_line, is_stamp_line
from tests.support.facts import facts_of


def _events(text: str, published: str | None = "2025-07-11") -> list[tuple[str, str]]:
    return [(e.date.iso(), e.what) for e in facts_of(text, published).events]


@pytest.mark.parametrize(
    "text",
    [
        "The country's external debt stood at $98 billion at the end of March, the central bank said.",
        "Foreign reserves rose to $12 billion at end-June.",
        "Public debt amounted to 61% of GDP as at the end of May.",
    ],
)
def test_a_level_at_the_end_of_a_period_is_no_event(text: str) -> None:
    assert _events(text) == []


def test_a_happening_at_the_end_of_a_month_is_an_event() -> None:
    text = "The two finance ministers will meet at the end of September in Lisbon."
    assert _events(text) == [("2025-09", "The two finance ministers will meet in Lisbon")]


@pytest.mark.parametrize(
    "text",
    [
        "The minister, who arrived in Lima on Wednesday, returns to Quito on Sunday.",
        "The delegation leaves for Nairobi on Saturday.",
    ],
)
def test_a_trip_told_in_the_present_with_a_coming_weekday_is_not_put_in_the_past(text: str) -> None:
    # published on a Friday: the Saturday or Sunday meant is the coming one, which is not resolved
    assert all(date >= "2025-07-09" for date, _what in _events(text))


def test_a_reporting_verb_does_not_open_a_description() -> None:
    text = "Rui Costa, the trade minister, said the two leaders would meet again in Porto in October."
    assert _events(text) == [("2025-10", "The two leaders would meet again in Porto")]


@pytest.mark.parametrize(
    ("line", "stamp"),
    [
        ("October 10, 2024 at 9:14 AM GMT+5", True),
        ("March 3, 2025 10:55 (UTC+3)", True),
        ("The talks were held on October 10, 2024 at 9:14 AM in Tashkent.", False),
    ],
)
def test_a_date_and_time_with_its_zone_offset_is_a_stamp(line: str, stamp: bool) -> None:
    assert is_stamp_line(line) is stamp


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("June 2, 2025 4:12 PM GMT+3 Updated 2 hours ago", "2025-06-02"),
        ("June 2, 2025 | Last updated an hour ago", "2025-06-02"),
        ("Updated 2 hours ago", None),
    ],
)
def test_a_relative_update_stamp_after_a_date_leaves_the_date(line: str, date: str | None) -> None:
    found = date_only_line(line)
    assert (found.isoformat() if found else None) == date


@pytest.mark.parametrize(
    ("text", "what"),
    [
        ("Exports have doubled since Ana Duarte took office in January.", "Ana Duarte took office"),
        (
            "The country's central bank, Banco Lusitano, cut its main rate on Thursday.",
            "Banco Lusitano cut its main rate",
        ),
    ],
)
def test_descriptions_read_as_who_did_what(text: str, what: str) -> None:
    assert [w for _date, w in _events(text)] == [what]
