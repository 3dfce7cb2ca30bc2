"""A date-and-time stamp without a year is page furniture: never a headline, never a fact."""

from __future__ import annotations

import pytest

from briefings.ingest.clean import clean_document
from briefings.ingest.furniture import is_furniture_line
from briefings.ingest.raw import RawDocument


@pytest.mark.parametrize("line", ["6 Sep. 10:55 (UTC+3 MSK)", "Sep 6, 10:55 am", "June 5 14:22 GMT"])
def test_furniture_time_stamp_without_year(line: str) -> None:
    assert is_furniture_line(line)


@pytest.mark.parametrize("line", ["6 September talks resumed at 10:55", "May 12 was a good day for trade"])
def test_furniture_sentences_with_a_date_are_kept(line: str) -> None:
    assert not is_furniture_line(line)


def test_furniture_stamp_is_not_taken_for_the_headline() -> None:
    text = ("6 Sep. 10:55 (UTC+3 MSK)\n\nThe two presidents held talks in the capital on energy and trade, "
            "and their ministers signed three memoranda of understanding after the meeting.")
    assert clean_document(RawDocument(id="s", text=text, origin="test")).title is None
