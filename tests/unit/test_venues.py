"""Meeting places the places table does not list."""

from __future__ import annotations

import pytest

from briefings.extract.venues import city_after, dateline_city, is_region, unlisted_city


@pytest.mark.parametrize(("text", "city"), [
    ("The leaders met in Tarnow, Poland, on Friday.", "Tarnow"),
    # a bare palace or house names a building ("Elysee Palace", "White House"), not its city
    ("They held talks at Kelmscott Palace on the river.", None),
    ("They held talks at the Riverton Presidential Palace in the afternoon.", "Riverton"),
    ("They held talks at the Riverton airport in the afternoon.", "Riverton"),
    ("The ministers met in France on Friday.", None),
    ("The ministers met in Poland — and in Tarnow, Poland, a week later.", None),
])
def test_venues_unlisted_city(text: str, city: str | None) -> None:
    assert unlisted_city(text, near=text.index("met") if "met" in text else text.index("talks")) == city


@pytest.mark.parametrize(("text", "city"), [
    ("The leaders met in Tarnow on Friday.", "Tarnow"),
    ("The leaders met in March.", None),
    ("The leaders met in France.", None),
    ("The leaders met Anna Berg.", None),
])
def test_venues_city_right_after_the_trigger(text: str, city: str | None) -> None:
    end = text.index("met") + len("met")
    assert city_after(text, end, not_cities={"March", "Anna", "Berg"}) == city


@pytest.mark.parametrize(("dateline", "city"), [
    ("BOGOR", "Bogor"), ("TASHKENT, Uzbekistan", "Tashkent"), ("London", "London"),
    ("Maldives", None), (None, None), ("", None),
])
def test_venues_dateline_city(dateline: str | None, city: str | None) -> None:
    assert dateline_city(dateline) == city


def test_venues_regions_are_not_places() -> None:
    assert is_region("Central Asia")
    assert not is_region("Manila")
