"""Publication dates and datelines: metadata, date token, stamps, datelines, URLs; never a guess."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.ingest.published import find_dateline, find_published, is_stamp_line, url_date

D = dt.date


@pytest.mark.parametrize(("metadata", "expected"), [
    ("2025-06-05T10:22:00+00:00", D(2025, 6, 5)),
    ("2025-06-05", D(2025, 6, 5)),
    ("Thu, 05 Jun 2025 10:22:00 GMT", D(2025, 6, 5)),
    ("June 5, 2025", D(2025, 6, 5)),
    ("5 June 2025 14:00", D(2025, 6, 5)),
])
def test_published_metadata_wins(metadata: str, expected: dt.date) -> None:
    text = " date 2020-01-01 Something happened.\nMore text."
    found = find_published(text, "https://example.com/2019/02/03/x", metadata)
    assert (found.date, found.source) == (expected, "metadata")


@pytest.mark.parametrize("metadata", ["", "   ", "yesterday", "June 5", "not a date", "2025-13-40"])
def test_published_bad_metadata_falls_through(metadata: str) -> None:
    assert find_published("Plain text.", None, metadata).source == "none"


@pytest.mark.parametrize(("text", "expected"), [
    (" date 2025-07-26 Riverton, July 25: The council met.", D(2025, 7, 26)),
    ("date 2024-03-11 The minister spoke on the phone.", D(2024, 3, 11)),
    ("A Headline Here\n date 2025-07-24 WORLD\nA Headline Here\nBody text.", D(2025, 7, 24)),
])
def test_published_date_line(text: str, expected: dt.date) -> None:
    found = find_published(text, None, None)
    assert (found.date, found.source) == (expected, "date_line")


@pytest.mark.parametrize(("text", "expected"), [
    ("News Flash\nNORTHPORT, Freedonia, Feb 12, 2025 (XNA/AFP) - Two leaders met.", D(2025, 2, 12)),
    ("Headline\n\nBy Jane Roe Posted : June 5, 2025, 14:22 Updated : June 6, 2025, 09:00\nText.",
     D(2025, 6, 5)),
    ("Caption line (AP Photo/A. Person)\nRepublished February 12, 2025 - 1:24 AM\n"
     "Original Publication Date February 11, 2025 - 9:31 PM\nBody.", D(2025, 2, 12)),
    ("Original Publication Date February 11, 2025 - 9:31 PM\nBody.", D(2025, 2, 11)),
    ("Headline\nCurrency rates from 30/09/2024\n$1 – 100.5\nSearch\nFreedonia 11/03/2024 Headline\nBody.",
     D(2024, 3, 11)),
    ("Published: 2023-10-02\nThe body.", D(2023, 10, 2)),
    ("Updated: 4 March 2024\nThe body.", D(2024, 3, 4)),
    ("Lakeside, April 24, 2025 (AFP) - The river rose.", D(2025, 4, 24)),
    ("Ports Deal Signed\nThursday, June 5, 2025 | 10:22 AM\nThe body.", D(2025, 6, 5)),
    ("Ports Deal Signed\nPublished: 10:22 AM, June 5, 2025\nThe body.", D(2025, 6, 5)),
    ("Ports Deal Signed\n2025-06-05 10:22\nUpdated: 2025-06-07\nThe body.", D(2025, 6, 5)),
    ("Ports Deal Signed\n2025-06-07 10:22\nPosted: 2025-06-05\nThe body.", D(2025, 6, 5)),
])
def test_published_stamps_and_datelines(text: str, expected: dt.date) -> None:
    found = find_published(text, "https://example.com/news/123", None)
    assert (found.date, found.source) == (expected, "dateline")


@pytest.mark.parametrize("text", [
    "Currency rates from 30/09/2024\n$1 – 100.5\nThe body text follows here.",
    "On Friday, July 25, 2025, the president thanked the neighbours.",
    "A caption of two people at a briefing on October 7, 2025.\nPhoto\nTreasury",
    "NORTHPORT, Freedonia, March 11. The president called his counterpart.",
    "SEAVILLE, June 5 (XNA) -- The company announced a deal.",
    "The report, published on June 5, 2025, found nothing.",
    "The 2019 plan was revived in December 2023.",
])
def test_published_never_guesses(text: str) -> None:
    found = find_published(text, "https://example.com/news/item-77", None)
    assert (found.date, found.source) == (None, "none")


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.com/world/2025/06/05/some-slug/123/", D(2025, 6, 5)),
    ("https://example.com/2025/2/12/slug.html", D(2025, 2, 12)),
    ("https://example.com/view/20250605132944772", D(2025, 6, 5)),
    ("https://example.com/news/2025-06-05-leaders-meet", D(2025, 6, 5)),
    ("https://example.com/news/leaders-meet-2024-03-11", D(2024, 3, 11)),
    ("https://example.com/article/1174012", None),
    ("https://example.com/2025/06/slug", None),
    ("https://example.com/news/20251345-slug", None),
    (None, None),
])
def test_published_url_date(url: str | None, expected: dt.date | None) -> None:
    assert url_date(url) == expected


def test_published_url_is_last_resort() -> None:
    found = find_published("SEAVILLE, June 5 (XNA) -- Text.", "https://example.com/2025/06/05/x", None)
    assert (found.date, found.source) == (D(2025, 6, 5), "url")


@pytest.mark.parametrize(("text", "expected"), [
    ("ISLAMABAD: The minister met his counterpart.", "ISLAMABAD"),
    (" date 2025-03-11 TASHKENT, Uzbekistan, March 11. The president called.", "TASHKENT, Uzbekistan"),
    (" date 2025-07-26 Maldives, July 25: India has signed a deal.", "Maldives"),
    ("London, April 24 (AFP) - Markets fell.", "London"),
    ("BOGOR, Indonesia, Feb 12, 2025 (BSS/AFP) - Leaders held talks.", "BOGOR, Indonesia"),
    ("SEOUL, June 5 (UPI) -- The company said.", "SEOUL"),
    ("Tashkent, Uzbekistan (UzDaily.com) -- The president spoke.", "Tashkent, Uzbekistan"),
    ("NEW DELHI — The ministry said on Monday.", "NEW DELHI"),
    ("NEW YORK, June 5, 2025 /PRNewswire/ -- The company said.", "NEW YORK"),
    ("KYIV, Ukraine (AP) — Officials said.", "KYIV, Ukraine"),
    ("ISLAMABAD, Pakistan — Officials said.", "ISLAMABAD, Pakistan"),
    ("Headline of the day\n\nWASHINGTON\n\nThe fund approved a loan.", "WASHINGTON"),
    ("The minister met his counterpart in Lahore.", None),
    ("In Washington, June 5, 2025, the two sides met.", None),
    ("IMF board approves new loan", None),
    ("UPDATE: The figures were revised.", None),
    ("WORLD\nThe body.", None),
])
def test_published_find_dateline(text: str, expected: str | None) -> None:
    assert find_dateline(text) == expected


@pytest.mark.parametrize(("line", "expected"), [
    ("Posted : June 5, 2025, 14:22", True),
    ("By Jane Roe Posted : June 5, 2025, 14:22 Updated : June 5, 2025, 14:22", True),
    ("Republished February 12, 2025 - 1:24 AM", True),
    ("Original Publication Date February 11, 2025 - 9:31 PM", True),
    ("Published on 12/03/2024", True),
    ("The report, published on June 5, 2025, found nothing.", False),
    ("Updated figures were released.", False),
])
def test_published_is_stamp_line(line: str, expected: bool) -> None:
    assert is_stamp_line(line) is expected


def test_published_site_date_widget_is_not_the_publication_date() -> None:
    # The weekday date a site prints in its header is the day the page was shown or copied.
    text = ("Ministers agree on rail link\nSaturday, March 14, 2026\n\nMinisters agree on rail link\n\n"
            "The ministers agreed on Monday to build the rail link.")
    assert find_published(text, None, None).date is None
    twice = "Monday, March 10, 2025\nMonday, March 10, 2025\nBody text follows here."
    assert find_published(twice, None, None).date is None


def test_published_dated_line_with_a_time_is_kept() -> None:
    text = "Ministers agree on rail link\nThursday, June 5, 2025 | 10:22 AM\nThe ministers agreed."
    assert find_published(text, None, None).date == D(2025, 6, 5)


def test_published_stamp_after_share_buttons_is_read() -> None:
    text = "Headline of the day\nFollow on Published On: Wed, 14 May 2025 12:11:26 PKT\nBody text."
    assert find_published(text, None, None).date == D(2025, 5, 14)


def test_published_dateline_with_agency_and_no_separator() -> None:
    assert find_dateline("Kathmandu, Dec 5 (PTI) Prime Minister Ram Thapa said the talks went well.") \
        == "Kathmandu"
