"""Titles cleaned to the role and merged per person (invented names)."""

from __future__ import annotations

import pytest

from briefings.extract.title_forms import clean_title, merge_titles
from tests.unit.test_entities import entities_of


@pytest.mark.parametrize(("raw", "role"), [
    ("Italian Prime Minister", "Prime Minister"),
    ("Kenya’s Prime Minister", "Prime Minister"),
    ("During Sri Lankan President", "President"),
    ("President of Kazakhstan", "President"),
    ("United States President", "President"),
    ("Minister of Foreign Affairs", "Minister of Foreign Affairs"),
    ("finance minister", "finance minister"),
    ("former President", "former President"),
    ("Sheikh", None),
])
def test_clean_title_keeps_the_role(raw: str, role: str | None) -> None:
    assert clean_title(raw) == role


def test_variants_of_one_role_merge_and_parts_of_a_longer_title_go() -> None:
    assert merge_titles(["Turkish President", "President", "President of Türkiye", "Türkiye’s President",
                         "president"]) == ["President"]
    assert merge_titles(["Minister", "Foreign Minister", "Egypt's Foreign Minister"]) == ["Foreign Minister"]


def test_a_person_named_many_ways_shows_one_or_two_titles() -> None:
    text = ("Kenyan President Amos Kiprono met the delegation. President of Kenya Amos Kiprono spoke. "
            "Kenya’s President Amos Kiprono, also chairman of the party, left. The Kenyan President "
            "Amos Kiprono returned.")
    person = entities_of(text).person("Amos Kiprono")
    assert person is not None
    assert person.title == "President"
    assert person.titles == ["President"]
    assert person.country == "Kenya"
