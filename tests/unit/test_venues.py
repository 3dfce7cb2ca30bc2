"""Meeting places the places table does not list."""

from __future__ import annotations

import pytest

from briefings.extract.venues import dateline_city, is_region, unlisted_city


@pytest.mark.parametrize(("text", "city"), [
    ("The leaders met in Tarnow, Poland, on Friday.", "Tarnow"),
    ("They held talks at Kelmscott Palace on the river.", "Kelmscott"),
    ("They held talks at the Riverton Presidential Palace in the afternoon.", "Riverton"),
    ("The ministers met in France on Friday.", None),
    ("The ministers met in Poland — and in Tarnow, Poland, a week later.", None),
])
def test_venues_unlisted_city(text: str, city: str | None) -> None:
    assert unlisted_city(text, near=text.index("met") if "met" in text else text.index("talks")) == city


@pytest.mark.parametrize(("dateline", "city"), [
    ("BOGOR", "Bogor"), ("TASHKENT, Uzbekistan", "Tashkent"), ("London", "London"),
    ("Maldives", None), (None, None), ("", None),
])
def test_venues_dateline_city(dateline: str | None, city: str | None) -> None:
    assert dateline_city(dateline) == city


def test_venues_regions_are_not_places() -> None:
    assert is_region("Central Asia")
    assert not is_region("Manila")
