"""People, organisations, countries and coreference on invented news-style sentences."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefings.extract.entities import Entities, extract_entities
from briefings.extract.sentences import split_sentences
from briefings.models import Article, Paragraph


def article_of(text: str) -> Article:
    paragraphs = []
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = offset + line.index(stripped)
            paragraphs.append(Paragraph(kind="body", start=start, end=start + len(stripped), text=stripped))
        offset += len(line)
    return Article(id="t", text=text, paragraphs=paragraphs)


def entities_of(text: str) -> Entities:
    article = article_of(text)
    return extract_entities(article, split_sentences(article))


def names(text: str) -> list[str]:
    return [p.name for p in entities_of(text).people]


@pytest.mark.parametrize(("text", "expected"), [
    ("Field Marshal Karim Haddad met the delegation on Monday.", "Karim Haddad"),
    ("General Thomas R Whitfield addressed the troops.", "Thomas R Whitfield"),
    ("Crown Prince Faisal bin Nasser visited the port.", "Faisal bin Nasser"),
    ("Sheikh Hamad bin Khalifa Al Marri called the minister.", "Hamad bin Khalifa Al Marri"),
    ("Syrian President Omar al-Haddad spoke at the forum.", "Omar al-Haddad"),
    ("Commission President Greta von der Brock opened the session.", "Greta von der Brock"),
    ("Turkish President Mehmet Ali Kaya arrived in the capital.", "Mehmet Ali Kaya"),
    ("Farid Osman said the deal was close.", "Farid Osman"),
    ("Dr. Lina Farouk, Special Advisor to the Prime Minister, led the team.", "Lina Farouk"),
    ("PM Ravi Menon inaugurated the plant.", "Ravi Menon"),
    ("Industry Minister Park Min-jun signed the contract.", "Park Min-jun"),
    ("General Amir Rahimi’s visit was postponed.", "Amir Rahimi"),
    ("General Amir Rahimi's visit was postponed.", "Amir Rahimi"),
    ("The firm is backed by the billionaire Victor Stahl, a friend of the family.", "Victor Stahl"),
    ("The deal was signed by Egypt's minister of energy Samir Fawzy on Sunday.", "Samir Fawzy"),
    ("Prabin Lama, the brother of the chairman, was also present.", "Prabin Lama"),
    ("The visit by External Affairs Minister S. Raghavan was postponed.", "S. Raghavan"),
    ("On Tuesday Bilal Aziz said the plan was ready.", "Bilal Aziz"),
    ("The Minister for Foreign Affairs Hamid Qadri met the envoy.", "Hamid Qadri"),
    ("During the visit, the delegation met Emperor Kenji.", "Kenji"),
])
def test_entities_finds_named_person(text: str, expected: str) -> None:
    assert names(text) == [expected]


@pytest.mark.parametrize("text", [
    "The meeting was held at the Prime Minister's House in Islamabad on Monday.",
    "The State Department said on Tuesday that the talks would continue.",
    "According to the Foreign Office, the call lasted an hour.",
    "Central Asia Summit Opens With Trade Pledges",
    "Leaders of Central Asia met in March and again in June.",
    "The International Monetary Fund said the programme was on track.",
    "Nordic Hydro & Wind Power announced the contract on Thursday.",
    "Saudi Arabia signed the agreement with Syria.",
    "Photo by Jonas Keller/AFP",
    "He arrived at Ridgeway Mendez International Airport on Tuesday.",
])
def test_entities_finds_no_person_in_non_names(text: str) -> None:
    assert names(text) == []


@pytest.mark.parametrize(("text", "title", "country"), [
    ("It was signed by Egypt's minister of energy Samir Fawzy on Sunday.", "minister of energy", "Egypt"),
    ("The country's finance minister, Ali Raza, said inflation fell.", "finance minister", None),
    ("President Kemal Arslan and his wife Selin arrived.", None, None),
])
def test_entities_lowercase_role_is_the_title_but_a_relation_is_not(text: str, title: str | None,
                                                                   country: str | None) -> None:
    person = entities_of(text).people[-1]
    assert (person.title, person.country) == (title, country)


def test_entities_title_chain_and_titles_list() -> None:
    found = entities_of("Deputy Prime Minister and Foreign Minister Senator Tariq Mahmood spoke.")
    person = found.people[0]
    assert person.name == "Tariq Mahmood"
    assert person.title == "Deputy Prime Minister and Foreign Minister"
    assert person.titles == ["Deputy Prime Minister", "Foreign Minister", "Senator"]


@pytest.mark.parametrize(("text", "name", "country"), [
    ("US Secretary of State Daniel Brooks welcomed the move.", "Daniel Brooks", "United States"),
    ("Maldivian President Ahmed Rasheed opened the summit.", "Ahmed Rasheed", "Maldives"),
    ("President of Uzbekistan Timur Aliev held talks with his guest.", "Timur Aliev", "Uzbekistan"),
    ("Uzbekistan's President, Timur Aliev, held talks with his guest.", "Timur Aliev", "Uzbekistan"),
    ("Pakistan’s Deputy Prime Minister Tariq Mahmood met the envoy.", "Tariq Mahmood", "Pakistan"),
])
def test_entities_person_country_from_title(text: str, name: str, country: str) -> None:
    person = entities_of(text).people[0]
    assert (person.name, person.country) == (name, country)


def test_entities_headline_does_not_invent_people() -> None:
    text = ("Pakistan Deputy PM Tariq Mahmood Secures U.S. Strategic Support\n"
            "Trade Deal Nearing Completion, Officials Say\n"
            "Deputy Prime Minister Tariq Mahmood met officials in Washington. Mahmood said it went well.\n")
    found = entities_of(text)
    assert [p.name for p in found.people] == ["Tariq Mahmood"]
    assert found.people[0].aliases == ["Mahmood"]


def test_entities_surname_alias_and_mentions() -> None:
    text = "Prime Minister Anil Kapoor arrived on Monday.\nKapoor said the visit was historic.\n"
    found = entities_of(text)
    person = found.person("Kapoor")
    assert person is not None and person.name == "Anil Kapoor" and person.aliases == ["Kapoor"]
    assert [m.text for m in found.mentions_in(1) if m.kind == "person"] == ["Kapoor"]
    assert all(m.key == "Anil Kapoor" for m in found.mentions if m.kind == "person")


@pytest.mark.parametrize(("text", "name", "alias"), [
    ("Turkish President Mehmet Erdoğlu arrived. Mehmet Erdoglu said he was pleased.",
     "Mehmet Erdoğlu", "Mehmet Erdoglu"),
    ("President Mohammed bin Rashid Al Qasimi spoke. Later Muhammad bin Rashid Al Qasimi left.",
     "Mohammed bin Rashid Al Qasimi", "Muhammad bin Rashid Al Qasimi"),
    ("Council President Antonio Serra spoke first. President António Serra then left.",
     "Antonio Serra", "António Serra"),
])
def test_entities_spelling_variants_are_one_person(text: str, name: str, alias: str) -> None:
    people = entities_of(text).people
    assert len(people) == 1
    assert people[0].name == name and alias in people[0].aliases


def test_entities_names_joined_by_and_share_the_verb() -> None:
    assert names("Nadia Farooq and Omar Farooq visited the museum.") == ["Nadia Farooq", "Omar Farooq"]


def test_entities_first_name_after_relation_is_a_person() -> None:
    text = "President Kemal Arslan and his wife Selin arrived on Tuesday."
    assert names(text) == ["Kemal Arslan", "Selin"]


def test_entities_sentence_initial_particle_alias() -> None:
    text = "Commission President Greta von der Brock spoke.\nVon der Brock said the fund was ready.\n"
    person = entities_of(text).people[0]
    assert person.aliases == ["Von der Brock"]


def test_entities_organisations_with_acronyms() -> None:
    text = ("The Eastern Mining Organisation (EMO) signed with the Pacific Naval Command (Pacnavcom).\n"
            "EMO will process rare earth elements (REEs) under a Line of Credit (LoC).\n"
            "The Export-Import Bank of China and the World Bank joined the Ministry of Energy.\n")
    found = entities_of(text)
    orgs = {o.name: o.acronym for o in found.organisations}
    assert orgs["Eastern Mining Organisation"] == "EMO"
    assert orgs["Pacific Naval Command"] == "Pacnavcom"
    assert {"Export-Import Bank of China", "World Bank", "Ministry of Energy"} <= set(orgs)
    assert not any(o.acronym in {"REEs", "LoC"} for o in found.organisations)
    second = [m.key for m in found.mentions_in(1) if m.kind == "organisation"]
    assert second == ["Eastern Mining Organisation"]


def test_entities_title_acronym_refers_to_its_holder() -> None:
    text = ("Chief of Army Staff (COAS) General Karim Haddad's visit was praised.\n"
            "The COAS recently visited the port. Later the army chief met the mayor.\n")
    found = entities_of(text)
    assert not found.organisations
    person = found.people[0]
    assert person.name == "Karim Haddad" and "Chief of Army Staff" in person.titles
    refs = [m.text for m in found.mentions if m.kind == "person" and m.key == "Karim Haddad"]
    assert refs == ["Karim Haddad", "The COAS", "the army chief"]


def test_entities_the_latter_is_the_most_recent_person() -> None:
    text = "Foreign Minister Tariq Mahmood had met Secretary Daniel Brooks, where the latter praised him."
    found = entities_of(text)
    latter = [m for m in found.mentions if m.text == "the latter"]
    assert [m.key for m in latter] == ["Daniel Brooks"]


def test_entities_title_reference_with_one_holder() -> None:
    text = ("President of Uzbekistan Timur Aliev called President of the UAE Sheikh Saif bin Hamdan.\n"
            "The President of Uzbekistan wished the President of the UAE success.\n")
    found = entities_of(text)
    keys = [m.key for m in found.mentions_in(1) if m.kind == "person"]
    assert keys == ["Timur Aliev", "Saif bin Hamdan"]


def test_entities_countries_places_and_main_country() -> None:
    text = ("ISLAMABAD: Pakistan-US ties improved after talks in Washington.\n"
            "Pakistani and Emirati officials met in Central Asia.\n")
    found = entities_of(text)
    assert found.countries == ["Pakistan", "United States", "United Arab Emirates"]
    assert found.places == ["Islamabad", "Washington", "Central Asia"]
    assert found.main_country == "Pakistan"


def test_entities_mentions_are_sorted_and_verbatim() -> None:
    text = "Turkish President Mehmet Ali Kaya met Indonesian President Budi Santoso in Jakarta."
    article = article_of(text)
    found = extract_entities(article, split_sentences(article))
    starts = [m.start for m in found.mentions]
    assert starts == sorted(starts)
    assert all(article.text[m.start:m.end] == m.text for m in found.mentions)


_WORDS = ["President", "Minister", "Ali", "Khan", "bin", "al-Haddad", "said", "the", "Pakistan-US", "U.S.",
          "Bank", "(EMO)", "Organisation", "’s", "'s", ",", ".", "latter", "army", "chief", "Dr.", "Sheikh",
          "Monday", "Türkiye", "Emirati", "and", "&", "von", "der", "Brock", "\n", "“", "”", "G.", "COAS"]


@given(st.lists(st.sampled_from(_WORDS) | st.text(max_size=8), max_size=40))
@settings(max_examples=60, deadline=None)
def test_entities_never_raise_and_mentions_are_verbatim(tokens: list[str]) -> None:
    article = article_of(" ".join(tokens))
    found = extract_entities(article, split_sentences(article))
    assert all(article.text[m.start:m.end] == m.text for m in found.mentions)
    assert [m.start for m in found.mentions] == sorted(m.start for m in found.mentions)
    assert all(found.person(p.name) is p for p in found.people)


def test_entities_well_known_acronym_used_alone_is_its_organisation() -> None:
    found = entities_of("The IMF said the programme was on track.\nThe International Monetary Fund agreed.\n")
    assert [(o.name, o.acronym) for o in found.organisations] == [("International Monetary Fund", "IMF")]
    keys = [m.key for m in found.mentions if m.kind == "organisation"]
    assert keys == ["International Monetary Fund", "International Monetary Fund"]


@pytest.mark.parametrize(("text", "expected"), [
    ("“We are ready,” said Nadia Farooq.", ["Nadia Farooq"]),
    ("\"We are ready,\" said Nadia Farooq, adding that talks would resume.", ["Nadia Farooq"]),
    ("The plan is ready, said Goldman.", []),
])
def test_entities_speech_verb_before_a_name(text: str, expected: list[str]) -> None:
    assert names(text) == expected


def test_entities_headline_organisation_needs_the_body() -> None:
    text = "Kenya, Ethiopia Agree Power Deal As Leaders Meet\nThe Rift Valley Power company builds it.\n"
    assert [o.name for o in entities_of(text).organisations] == ["Rift Valley Power"]


def test_entities_building_named_after_a_person_is_not_a_longer_name() -> None:
    text = "President Hollis met the envoy at Hollis Tower on Monday."
    assert names(text) == ["Hollis"]
