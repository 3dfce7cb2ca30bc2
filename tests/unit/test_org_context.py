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
