"""People without a title: given names from the first-name list, regnal names, titles of an
organisation, portfolio lists, ranks and units that are never people (invented sentences)."""

from __future__ import annotations

import pytest

from briefings.extract.first_names import is_first_name, usable
from tests.unit.test_entities import entities_of, names


def test_the_first_name_list_comes_from_the_package_and_drops_common_words() -> None:
    assert is_first_name("Enrique") and is_first_name("Karim")
    assert not is_first_name("Will") and not is_first_name("Royal")  # not_first_names.txt
    assert not is_first_name("Minister") and not is_first_name("Monday")
    assert usable(["Olek", "Минск", "Q", "Will"], frozenset({"will"})) == frozenset({"olek"})
    assert not is_first_name("Jordan")  # a given name in the lists, but a place first


@pytest.mark.parametrize(("text", "expected"), [
    ("The prize is named in honour of Enrico Baldini (founder of the firm).", ["Enrico Baldini"]),
    ("The trade envoy to Lima, Enrique Morales Ruiz, welcomed the accord.", ["Enrique Morales Ruiz"]),
    ("Adil Benali, co-president of the joint business council, praised the talks.", ["Adil Benali"]),
])
def test_an_untitled_name_opening_with_a_given_name_is_a_person(text: str, expected: list[str]) -> None:
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "Investors such as ACME, Nordvik Group, PetroLine, Maire Castellan, and Brunetti are active there.",
    "He landed at Halim Sukarno International Airport on Tuesday.",
    "The Ras Al-Marja project will create jobs.",
    "Will Brandt Street reopen soon?",
])
def test_a_given_name_inside_a_company_list_or_a_place_name_is_no_person(text: str) -> None:
    assert names(text) == []


def test_regnal_names_keep_their_numeral() -> None:
    entities = entities_of("The plan follows the vision of King Hassan IV. "
                           "Later, Frederick IX said he was pleased.")
    assert [p.name for p in entities.people] == ["Hassan IV", "Frederick IX"]
    assert entities.people[0].title == "King"


def test_a_minister_delegate_is_a_title_and_the_name_follows() -> None:
    entities = entities_of("“We are ready,” said Norland’s Minister Delegate for Investment, Samir Haddou. "
                           "Haddou also met the delegation.")
    person = entities.person("Samir Haddou")
    assert person is not None and person.aliases == ["Haddou"]
    assert [p.name for p in entities.people] == ["Samir Haddou"]


def test_what_follows_title_of_is_the_organisation_not_the_holder() -> None:
    assert names("The delegation was led by the President of Grupo Alvor , Teresa Lobato, on Monday.") == \
        ["Teresa Lobato"]
    assert names("Chairman of Grupo Alvor Teresa Lobato opened the session.") == ["Teresa Lobato"]
    assert names("Governor of the Central Bank of Norland Tunde Bakare said rates would hold.") == \
        ["Tunde Bakare"]
    assert names("The Governor of the Central Bank said rates would hold.") == []


def test_portfolio_words_after_a_title_keep_the_title_for_the_name() -> None:
    text = "Minister of Transport, Highways, Ports and Civil Aviation Tharindu Wickrama attended."
    assert names(text) == ["Tharindu Wickrama"]


def test_signed_by_is_no_byline_but_a_byline_is() -> None:
    assert names("The swap was signed by Tunde Bakare, the central bank governor.") == ["Tunde Bakare"]
    assert names("By Lena Kowalczyk\nThe talks ended on Monday.") == []


@pytest.mark.parametrize("text", [
    "Lt Col Omar Farid told reporters the drill was over.",
    "Gen Omar Farid told reporters the drill was over, the Media Wing said.",
])
def test_ranks_and_units_are_never_people(text: str) -> None:
    assert names(text) == ["Omar Farid"]


def test_surname_only_mentions_attach_to_the_known_person() -> None:
    entities = entities_of("Chancellor Anna Brandt met President Ivan Sorokin in Vienna. Brandt met Sorokin "
                           "again on Friday.")
    assert [(p.name, p.aliases) for p in entities.people] == [("Anna Brandt", ["Brandt"]),
                                                              ("Ivan Sorokin", ["Sorokin"])]


@pytest.mark.parametrize("text", [
    "Tourists crowded Victoria Falls over the holiday, officials reported.",
    "Johnson Controls announced job cuts on Monday.",
    "Helena Grid said it would raise prices.",
])
def test_a_given_name_before_a_company_or_landmark_word_is_no_person(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "name", "title", "country"), [
    ("Riyad Benhalima, Algeria's energy minister, welcomed the deal.", "Riyad Benhalima", "energy minister",
     "Algeria"),
    ("Ahmadou Toure, Senegal’s finance minister, met the delegation.", "Ahmadou Toure", "finance minister",
     "Senegal"),
    ("Wanjiru Kamau, the tourism secretary, opened the fair.", "Wanjiru Kamau", "tourism secretary", None),
])
def test_a_role_after_the_name_is_its_title(text: str, name: str, title: str, country: str | None) -> None:
    person = entities_of(text).person(name)
    assert person is not None and person.title == title
    if country:
        assert person.country == country


@pytest.mark.parametrize("text", [
    "The company will build a terminal in Quang Ninh province, officials said.",
    "Officials toured Kaolack region and Mariana district on Monday.",
])
def test_a_name_before_a_place_noun_is_a_place(text: str) -> None:
    assert names(text) == []


def test_a_post_with_its_country_before_the_name() -> None:
    text = "The minister of mines of Zambia, Paul Kabuswe, opened the conference."
    person = entities_of(text).person("Paul Kabuswe")
    assert person is not None and person.title == "minister of mines" and person.country == "Zambia"


@pytest.mark.parametrize(("text", "expected"), [
    ("Ngozi Okonjo-Iweala met Tedros Ghebreyesus in Geneva on Monday.", ["Tedros Ghebreyesus"]),
    ("The minister held talks with Mesfin Tasew, officials said.", ["Mesfin Tasew"]),
    ("The minister met Kenya Airways in Nairobi.", []),
    ("The minister met Tedros Ghebreyesus officials at the airport.", []),
])
def test_the_other_side_of_a_contact_named_in_full_is_a_person(text: str, expected: list[str]) -> None:
    assert [n for n in names(text) if n != "Ngozi Okonjo-Iweala"] == expected


@pytest.mark.parametrize(("text", "name", "title", "country"), [
    ("Ahmed Shide, minister of finance of Ethiopia, signed the agreement.", "Ahmed Shide",
     "minister of finance", "Ethiopia"),
    ("Aliyev met with Giorgia Meloni, President of Italy’s Council of Ministers, in Copenhagen.",
     "Giorgia Meloni", None, None),
])
def test_a_post_after_the_name_is_taken_whole_or_not_at_all(text: str, name: str, title: str | None,
                                                             country: str | None) -> None:
    person = entities_of(text).person(name)
    assert person is not None and person.title == title
    if country:
        assert person.country == country


def test_a_company_after_a_possessive_country_is_no_person() -> None:
    assert names("South Korea's Samsung Electronics announced a joint venture on Monday.") == []
