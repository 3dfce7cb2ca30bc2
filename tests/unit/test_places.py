"""Countries, demonyms, capitals and deal parties."""

from __future__ import annotations

import pytest

from briefings.extract.parties import canonical_party
from briefings.extract.places import country_of, find_geo


@pytest.mark.parametrize(("text", "country"), [
    ("US", "United States"),
    ("U.S.", "United States"),
    ("USA", "United States"),
    ("America", "United States"),
    ("the United States", "United States"),
    ("Pakistani", "Pakistan"),
    ("Maldivian", "Maldives"),
    ("Turkish", "Turkey"),
    ("Türkiye", "Turkey"),
    ("Turkiye", "Turkey"),
    ("UAE", "United Arab Emirates"),
    ("Emirati", "United Arab Emirates"),
    ("Saudi", "Saudi Arabia"),
    ("Czechia", "Czech Republic"),
    ("South Korea", "South Korea"),
    ("S. Korea", "South Korea"),
    ("Republic of Korea", "South Korea"),
    ("Viet Nam", "Vietnam"),
    ("Russian Federation", "Russia"),
    ("Islamabad", "Pakistan"),
    ("Washington", "United States"),
    ("the Philippines", "Philippines"),
    ("Uzbekistan's", "Uzbekistan"),
    ("Uzbekistan’s", "Uzbekistan"),
    ("TASHKENT", "Uzbekistan"),
])
def test_places_country_of_names_demonyms_and_capitals(text: str, country: str) -> None:
    assert country_of(text) == country


@pytest.mark.parametrize("text", ["us", "Secures", "World Bank", "Central Asia", "Monday", "", "President"])
def test_places_country_of_is_none_for_non_countries(text: str) -> None:
    assert country_of(text) is None


@pytest.mark.parametrize(("text", "party"), [
    ("Pakistan", "Pakistan"),
    ("the UAE", "United Arab Emirates"),
    ("Emirati", "United Arab Emirates"),
    ("the government of Kenya", "Kenya"),
    ("Kenyan government", "Kenya"),
    ("Pakistan's government", "Pakistan"),
    ("the Indian side", "India"),
    ("International Monetary Fund", "International Monetary Fund"),
    ("the World Bank", "World Bank"),
    ("IMF", "International Monetary Fund"),
    ("the EU", "European Union"),
])
def test_places_canonical_party_settles_countries_and_keeps_orgs(text: str, party: str) -> None:
    assert canonical_party(text) == party


@pytest.mark.parametrize(("text", "keys"), [
    ("Pakistan-US relations", ["Pakistan", "United States"]),
    ("Pakistan-U.S. relations", ["Pakistan", "United States"]),
    ("talks between Islamabad and Washington", ["Islamabad", "Washington"]),
    ("a Syrian-Saudi forum", ["Syria", "Saudi Arabia"]),
    ("leaders of Central Asia met", ["Central Asia"]),
    ("worth US$4 billion", []),
    ("let us talk", []),
])
def test_places_find_geo_keys(text: str, keys: list[str]) -> None:
    assert [hit.key for hit in find_geo(text)] == keys


def test_places_find_geo_offsets_are_shifted() -> None:
    hits = find_geo("in Seoul today", base=100)
    assert [(h.start, h.end, h.kind, h.country) for h in hits] == [(103, 108, "place", "South Korea")]
