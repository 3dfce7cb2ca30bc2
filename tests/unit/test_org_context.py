"""Organisations without a legal suffix, known from the words around them (invented sentences)."""

from __future__ import annotations

import pytest

from tests.unit.test_entities import entities_of


def org_names(text: str) -> list[str]:
    return [o.name for o in entities_of(text).organisations]


@pytest.mark.parametrize(("text", "expected"), [
    ("The loan will help state-owned Veltrak modernise the network.", ["Veltrak"]),
    ("State-owned power and rail companies Norvolt and Raildex are in crisis.", ["Norvolt", "Raildex"]),
    ("The plant will be built by Petrolux, a leading Brazilian energy company.", ["Petrolux"]),
    ("The deal was signed with the national employers' federation, Confeder Norte, in Lisbon.",
     ["Confeder Norte"]),
    ("Italian oil major Fortegas will drill two wells.", ["Fortegas"]),
    ("Fortegas's chief executive said the field was promising.", ["Fortegas"]),
    ("Dubai port operator Quaymar also signed a deal.", ["Quaymar"]),
])
def test_context_names_an_organisation(text: str, expected: list[str]) -> None:
    assert org_names(text) == expected


@pytest.mark.parametrize("text", [
    "Separately, the company said profits rose.",
    "On Monday, the bank said it would lend more.",
    "The US-Brazil CEO Forum met in May.",
    "The firm's chairman, Paolo Venturi, resigned.",
])
def test_sentence_words_places_and_people_are_no_organisation(text: str) -> None:
    assert org_names(text) == []


def test_every_later_use_of_the_name_is_a_mention_for_the_deal_extractor() -> None:
    entities = entities_of("The loan helps state-owned Veltrak. "
                           "Veltrak and the Treasury signed it on Monday.")
    mentions = [(m.text, m.sentence) for m in entities.mentions if m.kind == "organisation"]
    assert ("Veltrak", 0) in mentions and ("Veltrak", 1) in mentions
    assert entities.organisations[0].mentions == 2


def test_an_acronym_found_in_context_joins_its_spelt_out_organisation() -> None:
    text = ("Nordic Hydro & Wind Power won the tender. NHWP chief executive Lena Berg welcomed it. "
            "NHWP will start work in May.")
    entities = entities_of(text)
    assert [(o.name, o.acronym) for o in entities.organisations] == [("Nordic Hydro & Wind Power", "NHWP")]


@pytest.mark.parametrize(("text", "org", "not_person"), [
    ("Officials from Kazakhstan's railway operator Temir Zholy inspected the port.", "Temir Zholy",
     "Temir Zholy"),
    ("Volta Grid, the national electricity transmission operator, signed a loan.", "Volta Grid",
     "Volta Grid"),
    ("Tbilisi Energy, a Georgian power distributor, approved the merger.", "Tbilisi Energy", None),
    ("Santander Consumer, the lending arm of the Spanish bank, cut staff.", "Santander Consumer", None),
])
def test_context_words_outweigh_a_given_name(text: str, org: str, not_person: str | None) -> None:
    entities = entities_of(text)
    assert org in [o.name for o in entities.organisations]
    if not_person:
        assert entities.person(not_person) is None


def test_an_owner_in_the_possessive_is_no_part_of_the_organisation() -> None:
    names = org_names("Germany's development bank KfW and Brazil's BNDES signed a loan.")
    assert "BNDES" in names and "Brazil's BNDES" not in names


def test_ownership_opening_a_sentence_is_no_part_of_the_name() -> None:
    names = org_names("State-owned Ethiopian Airlines and Kenya Airways signed a codeshare deal.")
    assert "Ethiopian Airlines" in names and not any(n.startswith("State") for n in names)


def test_a_post_of_the_organisation_after_a_name_keeps_the_person() -> None:
    entities = entities_of("Mesfin Tasew, the airline's chief executive, said routes would expand.")
    person = entities.person("Mesfin Tasew")
    assert person is not None and person.title == "chief executive"
    assert "Mesfin Tasew" not in [o.name for o in entities.organisations]


def test_a_union_of_states_is_an_organisation_and_joins_its_known_acronym() -> None:
    entities = entities_of("The European Union approved a grant. The African Union welcomed it. "
                           "The EU said so.")
    found = {o.name: o.acronym for o in entities.organisations}
    assert found == {"European Union": "EU", "African Union": "AU"}


def test_a_country_after_of_ends_an_organisation_before_a_name() -> None:
    entities = entities_of("Governor of the Central Bank of Kenya Kamau Thugge said the shilling was stable.")
    assert [o.name for o in entities.organisations] == ["Central Bank of Kenya"]


@pytest.mark.parametrize(("text", "org", "person"), [
    ("Morgan Stanley shares rose 3% on Monday after the results.", "Morgan Stanley", None),
    ("Johnson Matthey employees went on strike.", "Johnson Matthey", None),
    ("Sarah Collins shares her view of the talks.", None, "Sarah Collins"),
])
def test_shares_and_staff_after_a_name_make_it_a_company(text: str, org: str | None,
                                                         person: str | None) -> None:
    entities = entities_of(text)
    assert [o.name for o in entities.organisations] == ([org] if org else [])
    assert [p.name for p in entities.people] == ([person] if person else [])


@pytest.mark.parametrize(("text", "org"), [
    ("South Korea's Samsung Electronics announced a joint venture.", "Samsung Electronics"),
    ("Johnson Controls announced job cuts on Monday.", "Johnson Controls"),
])
def test_a_company_word_ends_an_organisation_and_no_person(text: str, org: str) -> None:
    entities = entities_of(text)
    assert [o.name for o in entities.organisations] == [org] and entities.people == []
