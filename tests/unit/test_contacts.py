"""Meetings, calls and visits from invented news sentences."""

from __future__ import annotations

import pytest

from tests.support.facts import facts_of


def _contacts(
    text: str, published: str | None = "2025-03-14"
) -> list[tuple[str, frozenset[str], str | None]]:
    facts = facts_of(text, published)
    return [(m.kind, frozenset(m.participants), m.date.iso() if m.date else None) for m in facts.meetings]


def test_contacts_meeting_with_titles_and_a_weekday() -> None:
    text = (
        "Foreign Minister Anna Lindqvist met Indian Prime Minister Rajan Mehta in New Delhi on Tuesday "
        "to discuss trade and climate cooperation."
    )
    assert _contacts(text) == [("meeting", frozenset({"Anna Lindqvist", "Rajan Mehta"}), "2025-03-11")]


def test_contacts_phone_call_is_a_call_not_a_meeting() -> None:
    text = (
        "President Tomas Varga held a telephone conversation with Chancellor Ingrid Holm on Monday, "
        "the presidency said."
    )
    assert _contacts(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


@pytest.mark.parametrize(
    "text",
    [
        "President Tomas Varga will meet Chancellor Ingrid Holm next week in Vienna.",
        "President Tomas Varga is expected to meet Chancellor Ingrid Holm in Vienna.",
        "President Tomas Varga did not meet Chancellor Ingrid Holm during the summit in Vienna.",
        "President Tomas Varga invited Chancellor Ingrid Holm to visit Budapest later this year.",
    ],
)
def test_contacts_planned_or_negated_meetings_are_not_meetings(text: str) -> None:
    assert [c for c in _contacts(text) if c[0] == "meeting"] == []


def test_contacts_visit_keeps_its_traveller_and_month() -> None:
    text = "Prime Minister Rajan Mehta visited Japan in January for talks on investment, officials said."
    visits = [c for c in _contacts(text) if c[0] == "visit"]
    assert visits == [("visit", frozenset({"Rajan Mehta"}), "2025-01")]


def test_contacts_a_month_never_gains_a_day() -> None:
    text = "Chancellor Ingrid Holm met President Tomas Varga in February, their offices said."
    assert _contacts(text) == [("meeting", frozenset({"Ingrid Holm", "Tomas Varga"}), "2025-02")]


def test_contacts_the_same_meeting_told_twice_is_one_meeting() -> None:
    text = (
        "Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday.\n\n"
        "Holm and Varga held talks on energy security, the chancellery said."
    )
    meetings = facts_of(text).meetings
    assert len(meetings) == 1
    assert len(meetings[0].evidence) == 2


def test_contacts_without_a_publication_date_a_weekday_gives_no_date() -> None:
    text = "Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday."
    assert _contacts(text, published=None) == [("meeting", frozenset({"Ingrid Holm", "Tomas Varga"}), None)]


def test_contacts_evidence_is_the_verbatim_sentence() -> None:
    text = "Intro line.\n\nChancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday."
    facts = facts_of(text)
    for meeting in facts.meetings:
        for ev in meeting.evidence:
            assert facts.article.text[ev.start : ev.end] == ev.sentence


def _kinds(text: str, published: str | None = "2025-03-14") -> list[tuple[str, frozenset[str], str | None]]:
    return sorted(_contacts(text, published), key=lambda c: (c[0], sorted(c[1])))


def test_contacts_a_brief_conversation_in_person_is_a_meeting() -> None:
    text = ("President Tomas Varga and Chancellor Ingrid Holm held a brief conversation at the Vienna "
            "airport on Tuesday, the presidency said.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-11")]


def test_contacts_a_call_noun_with_adjectives_is_a_call_but_an_appeal_is_not() -> None:
    thanked = ("President Tomas Varga thanked Chancellor Ingrid Holm for a “frank and useful” call on "
               "Monday, his office said.")
    assert _kinds(thanked) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]
    appeal = ("President Tomas Varga repeated a call for calm after Chancellor Ingrid Holm spoke in "
              "parliament.")
    assert [c for c in _kinds(appeal) if c[0] == "call"] == []


def test_contacts_a_reporting_day_does_not_date_the_visit() -> None:
    text = ("President Tomas Varga said on Thursday that his three-day official visit to Norway had opened "
            "new markets.")
    assert _kinds(text) == [("visit", frozenset({"Tomas Varga"}), None)]


def test_contacts_talks_dated_in_a_visit_sentence_date_the_talks_not_the_visit() -> None:
    text = ("President Tomas Varga's official visit to Norway will deepen ties, Varga said during talks with "
            "Prime Minister Ingrid Holm on March 12.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-12"),
                            ("visit", frozenset({"Tomas Varga"}), None)]


def test_contacts_a_relative_clause_date_belongs_to_the_clause() -> None:
    text = ("President Tomas Varga, who took office in August 2022, made his first trip to Norway "
            "in October 2023.")
    assert _kinds(text) == [("visit", frozenset({"Tomas Varga"}), "2023-10")]


def test_contacts_a_stay_in_the_present_tense_is_dated_by_the_publication_month() -> None:
    text = ("President Tomas Varga, who is in Norway for an energy forum, toured a wind farm with "
            "engineers.")
    assert _kinds(text) == [("visit", frozenset({"Tomas Varga"}), "2025-03")]


def test_contacts_a_visit_to_two_cities_is_one_visit_per_city() -> None:
    facts = facts_of("President Tomas Varga paid an official visit to Rome and Milan last week, "
                     "meeting business leaders.")
    assert sorted(m.place or "" for m in facts.meetings if m.kind == "visit") == ["Milan", "Rome"]


def test_contacts_leaders_met_before_they_are_named() -> None:
    text = ("Austria and Hungary signed a pipeline accord after their leaders met in Vienna.\n\n"
            "Trade between the two countries has grown.\n\n"
            "Chancellor Ingrid Holm told counterpart President Tomas Varga that gas storage mattered most.")
    assert _kinds(text) == [("meeting", frozenset({"Ingrid Holm", "Tomas Varga"}), None)]


def test_contacts_talks_held_during_a_visit_include_the_traveller() -> None:
    text = ("President Tomas Varga arrived in Oslo on Monday for a state visit.\n\n"
            "During the visit, talks were held with Prime Minister Ingrid Holm on energy.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10"),
                            ("visit", frozenset({"Tomas Varga"}), "2025-03-10")]


def test_contacts_companions_and_the_entourage_travel_too() -> None:
    text = ("President Tomas Varga arrived in Oslo on Monday for a state visit.\n\n"
            "President Varga, accompanied by his spouse Maria Varga, laid a wreath at the memorial.\n\n"
            "Foreign Minister Peter Kovacs and other senior officials are part of the entourage.")
    visits = [c for c in _kinds(text) if c[0] == "visit"]
    assert visits == [("visit", frozenset({"Tomas Varga", "Maria Varga", "Peter Kovacs"}), "2025-03-10")]


def test_contacts_a_call_named_later_keeps_the_day_told_first() -> None:
    text = ("President Tomas Varga on Monday spoke on the phone with his counterpart in Norway.\n\n"
            "During his phone conversation with Prime Minister Ingrid Holm, Varga congratulated her.")
    assert _kinds(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_the_leaders_conversation_after_a_call_is_that_call() -> None:
    text = ("President Tomas Varga held a phone call with Chancellor Ingrid Holm on Monday.\n\n"
            "Varga later said the two leaders had a very friendly conversation.")
    assert _kinds(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_a_group_visit_of_companies_has_no_traveller() -> None:
    text = ("Chancellor Ingrid Holm signed four protocols in Oslo on Wednesday during a group visit of "
            "Austrian companies.")
    assert [c for c in _kinds(text) if c[0] == "visit"] == []


def test_contacts_a_traveller_named_by_title_only() -> None:
    text = ("Prime Minister Ingrid Holm of Norway spoke at the forum.\n\n"
            "Two accords were signed during the visit of Norway's Prime Minister to Austria.")
    visits = [c for c in _kinds(text) if c[0] == "visit"]
    assert visits == [("visit", frozenset({"Ingrid Holm"}), None)]


def test_contacts_a_friendly_conversation_both_named_after_their_call_is_that_call() -> None:
    text = ("President Tomas Varga held a phone call with Chancellor Ingrid Holm on Monday.\n\n"
            "Varga said the two leaders had a “very friendly conversation” about the border Holm guards.")
    assert _kinds(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_a_second_city_missing_from_the_places_table() -> None:
    facts = facts_of("President Tomas Varga paid an official visit to Rome and Zalvora last week.")
    assert sorted(m.place or "" for m in facts.meetings if m.kind == "visit") == ["Rome", "Zalvora"]


@pytest.mark.parametrize("text", [
    "President Tomas Varga welcomed Chancellor Ingrid Holm's decision to reopen the border.",
    "President Tomas Varga received a letter on Monday in which Chancellor Ingrid Holm proposed talks.",
    "President Tomas Varga called the vote a wake-up call for Chancellor Ingrid Holm.",
])
def test_contacts_welcoming_a_decision_or_a_wake_up_call_is_no_contact(text: str) -> None:
    assert _kinds(text) == []


def test_contacts_a_host_receiving_a_titled_guest_is_a_meeting() -> None:
    text = "President Tomas Varga received visiting Chancellor Ingrid Holm at the palace in Rome on Monday."
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_delegation_heads_named_apart_from_the_meeting() -> None:
    text = ("Five loan accords were approved during the 9th Austria-Norway Joint Economic Commission "
            "meeting, held in Rome on March 12.\n\n"
            "The Norwegian delegation was led by Ambassador Ingrid Holm. Finance Minister Tomas Varga "
            "headed the Austrian delegation, alongside his co-chair, Planning Minister Peter Kovacs.")
    heads = frozenset({"Ingrid Holm", "Tomas Varga", "Peter Kovacs"})
    assert _kinds(text) == [("meeting", heads, "2025-03-12")]
    assert [m.place for m in facts_of(text).meetings] == ["Rome"]


def test_contacts_delegation_heads_without_a_meeting_sentence_give_nothing() -> None:
    text = ("The Norwegian delegation was led by Ambassador Ingrid Holm. Finance Minister Tomas Varga "
            "headed the Austrian delegation to the trade fair.")
    assert _kinds(text) == []


def test_contacts_two_legs_of_a_tour_told_in_one_sentence_are_two_visits() -> None:
    text = ("President Tomas Varga was visiting Norway after travelling to Sweden and before heading to "
            "Finland on a four-day tour.")
    assert _kinds(text) == [("visit", frozenset({"Tomas Varga"}), None)] * 2


def test_contacts_a_trip_told_twice_in_a_sentence_is_one_visit() -> None:
    text = ("President Tomas Varga's state visit to Norway was the second stop in a four-day visit that "
            "also includes Sweden.")
    assert _kinds(text) == [("visit", frozenset({"Tomas Varga"}), None)]


def test_contacts_participants_are_the_people_of_the_contact_not_of_the_sentence() -> None:
    text = ("President Tomas Varga met Chancellor Ingrid Holm in Vienna on Monday, two days after "
            "Prime Minister Peter Kovacs called for new sanctions.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_a_visit_told_in_a_relative_clause_keeps_its_own_date() -> None:
    text = ("Chancellor Ingrid Holm received President Tomas Varga, who is on a working visit to Austria, "
            "on Tuesday.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-11"),
                            ("visit", frozenset({"Tomas Varga"}), "2025-03")]


@pytest.mark.parametrize("text", [
    "President Tomas Varga is slated to visit Norway in April.",
    "Ahead of his visit to Norway, President Tomas Varga praised Chancellor Ingrid Holm.",
    "President Tomas Varga criticised Chancellor Ingrid Holm's meeting with rebels.",
    "President Tomas Varga met with reporters after Chancellor Ingrid Holm's speech.",
])
def test_contacts_plans_and_possessors_are_no_contacts(text: str) -> None:
    assert _kinds(text) == []


def test_contacts_a_possessor_of_the_talks_is_a_participant() -> None:
    text = "Chancellor Ingrid Holm's talks with President Tomas Varga in Oslo on Monday focused on gas."
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_another_person_s_trip_keeps_its_own_date_and_place() -> None:
    text = "President Tomas Varga's visit comes after Chancellor Ingrid Holm travelled to Rome in January."
    facts = facts_of(text)
    trips = sorted((m.participants[0], m.date.iso() if m.date else None, m.place) for m in facts.meetings)
    assert trips == [("Ingrid Holm", "2025-01", "Rome"), ("Tomas Varga", None, None)]


def test_contacts_spoke_with_someone_by_phone_is_a_call() -> None:
    text = ("President Tomas Varga spoke with Prime Minister Ingrid Holm of Norway by phone on Sunday, "
            "the presidency said in a statement.")
    assert _kinds(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-09")]


def test_contacts_an_unlisted_city_right_after_the_trigger_is_the_place() -> None:
    facts = facts_of("President Tomas Varga and Chancellor Ingrid Holm met in Zalvora on Monday to "
                     "discuss the pipeline and the border.")
    assert [(m.kind, m.place) for m in facts.meetings] == [("meeting", "Zalvora")]


def test_contacts_a_palace_without_a_qualifier_names_no_city() -> None:
    facts = facts_of("President Tomas Varga hosted Chancellor Ingrid Holm at the Zalvora Palace on "
                     "Thursday evening for talks on the pipeline.")
    assert [(m.kind, m.place) for m in facts.meetings] == [("meeting", None)]


def test_contacts_a_trip_told_twice_takes_the_date_of_either_telling() -> None:
    text = ("President Tomas Varga, who is on a two-nation tour of Norway and Sweden, arrived in Oslo on "
            "Wednesday for talks on energy.")
    facts = facts_of(text)
    assert [(m.kind, m.date.iso() if m.date else None, m.place) for m in facts.meetings] == [
        ("visit", "2025-03-12", "Oslo")]


def test_contacts_a_title_with_its_country_names_the_one_traveller() -> None:
    text = ("Norwegian Prime Minister Ingrid Holm met Hungarian Prime Minister Peter Kovacs in Oslo.\n\n"
            "The accords were signed during the visit of Hungary's Prime Minister to Norway last week.")
    visits = [c for c in _kinds(text) if c[0] == "visit"]
    assert visits == [("visit", frozenset({"Peter Kovacs"}), None)]


def test_contacts_a_host_receiving_his_counterpart_is_a_meeting() -> None:
    text = ("President Tomas Varga hosted his Austrian counterpart Ingrid Holm in Budapest on Monday "
            "for talks on the pipeline.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_the_two_leaders_are_the_two_named_just_before() -> None:
    text = ("President Tomas Varga arrived in Oslo on Wednesday on an official visit, where he was received "
            "by Prime Minister Ingrid Holm at the palace. The two leaders later held talks on energy "
            "security, state media reported.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), None),
                            ("visit", frozenset({"Tomas Varga"}), "2025-03-12")]


@pytest.mark.parametrize("text", [
    "President Tomas Varga's pension plan met resistance from Chancellor Ingrid Holm on Monday.",
    "President Tomas Varga said the budget met the targets Chancellor Ingrid Holm had set in May.",
])
def test_contacts_met_without_a_person_to_meet_is_no_meeting(text: str) -> None:
    assert [c for c in _kinds(text) if c[0] == "meeting"] == []


@pytest.mark.parametrize("text", [
    "President Tomas Varga met Chief of the Defence Staff General Ingrid Holm in Rome on Monday.",
    "President Tomas Varga and his Austrian counterpart Ingrid Holm met in Rome on Monday.",
    "President Tomas Varga met with Chancellor Ingrid Holm in Rome on Monday.",
])
def test_contacts_met_with_a_person_or_by_two_people_is_a_meeting(text: str) -> None:
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_a_reporter_of_visits_is_no_traveller() -> None:
    text = "President Tomas Varga said on Monday that tourist visits to the island had doubled since May."
    assert _kinds(text) == []
    own = "President Tomas Varga said on Monday that his visit to Norway had opened new markets."
    assert _kinds(own) == [("visit", frozenset({"Tomas Varga"}), None)]


def test_contacts_flying_to_a_city_is_a_trip() -> None:
    text = "President Tomas Varga flew to Rome on Sunday for talks with the government on energy."
    assert _kinds(text) == [("visit", frozenset({"Tomas Varga"}), "2025-03-09")]


def test_contacts_a_dateline_date_dates_no_contact() -> None:
    # a dateline further down than the first line, as in a page that repeats its lead
    text = ("Prime Minister Ingrid Holm met President Tomas Varga on the pipeline.\n\n"
            "BERGEN, Norway, March 12 (AP) — Prime Minister Ingrid Holm met President Tomas Varga again "
            "to discuss the pipeline, officials said.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), None)]


def test_contacts_a_trip_to_a_country_has_no_city_even_if_one_is_named_later() -> None:
    text = ("President Tomas Varga, who returned home after concluding his official visit to Norway, spoke "
            "to the media at the Zalvora International Airport upon arrival.")
    assert [(m.kind, m.place) for m in facts_of(text).meetings] == [("visit", None)]


def test_contacts_a_dateline_city_places_a_meeting_only_when_the_body_confirms_it() -> None:
    lead = ("ROME, Italy (AP) — President Tomas Varga and Chancellor Ingrid Holm held talks on Friday, "
            "signing a series of energy agreements.")
    alone = facts_of(lead + "\n\nThe two sides also discussed migration and trade.")
    confirmed = facts_of(lead + "\n\nHolm was greeted at a palace in Rome by a marching band.")
    assert [m.place for m in alone.meetings] == [None]
    assert [m.place for m in confirmed.meetings] == ["Rome"]


def test_contacts_he_and_someone_met_is_a_meeting() -> None:
    text = ("President Tomas Varga last visited Norway in May, when he and Prime Minister Ingrid Holm met "
            "in Oslo to sign the accord.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2024-05"),
                            ("visit", frozenset({"Tomas Varga"}), "2024-05")]


def test_contacts_an_arrival_keeps_its_day_before_the_talks_it_is_for() -> None:
    text = ("President Tomas Varga arrived in Rome on Thursday for talks with Prime Minister Ingrid Holm "
            "on energy security.")
    visits = [c for c in _kinds(text) if c[0] == "visit"]
    assert visits == [("visit", frozenset({"Tomas Varga"}), "2025-03-13")]


def test_contacts_a_meeting_under_way_is_a_meeting_a_passive_welcome_is_not() -> None:
    under_way = ("President Tomas Varga and Chancellor Ingrid Holm are meeting in Rome today to discuss "
                 "the pipeline.")
    assert _kinds(under_way) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-14")]
    welcome = ("President Tomas Varga and Chancellor Ingrid Holm were met with a military ceremony at "
               "the airport.")
    assert _kinds(welcome) == []


def test_contacts_a_possessor_of_a_spokesman_is_no_participant() -> None:
    text = ("Chancellor Peter Kovacs's office said meetings between President Tomas Varga and Prime "
            "Minister Ingrid Holm in Rome on Monday were useful.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_the_spokesman_who_reports_a_call_is_not_on_it() -> None:
    text = ("President Tomas Varga received a phone call on Sunday from Chancellor Ingrid Holm, "
            "presidential spokesman Peter Kovacs said.")
    assert _kinds(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-09")]


def test_contacts_who_called_her_to_discuss_is_a_call() -> None:
    text = ("President Tomas Varga said she had a very good conversation with Chancellor Ingrid Holm, "
            "who called her to discuss trade.")
    assert _kinds(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), None)]


def test_contacts_the_two_last_met_names_the_pair_told_just_before() -> None:
    text = ("President Tomas Varga will hold talks with Chancellor Ingrid Holm in Rome next week, "
            "officials said on Monday. The two last met in Milan in January.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-01")]


def test_contacts_he_names_the_subject_of_the_sentence_before() -> None:
    text = ("President Tomas Varga travelled to Rome last week for a trade fair. On Tuesday, he spoke with "
            "Chancellor Ingrid Holm by telephone about the border.\n\n"
            "Chancellor Ingrid Holm opened the fair. She arrived in Milan on Monday for a second forum.")
    assert _kinds(text) == [("call", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-11"),
                            ("visit", frozenset({"Ingrid Holm"}), "2025-03-10"),
                            ("visit", frozenset({"Tomas Varga"}), None)]


@pytest.mark.parametrize("text", [
    "President Tomas Varga has received a delegation led by Chairman of the Senate Ingrid Holm on Monday.",
    "President Tomas Varga met with the delegation of the Nordic Bank headed by its President Ingrid Holm "
    "on Monday.",
])
def test_contacts_a_delegation_led_by_a_named_head_is_met_through_its_head(text: str) -> None:
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2025-03-10")]


def test_contacts_they_met_again_is_a_second_meeting_of_the_pair() -> None:
    text = ("President Tomas Varga and Chancellor Ingrid Holm met in Rome in May, where they signed an "
            "energy accord. They met again in Milan in November.")
    assert _kinds(text) == [("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2024-05"),
                            ("meeting", frozenset({"Tomas Varga", "Ingrid Holm"}), "2024-11")]


def test_contacts_the_country_leader_named_by_title_travels_each_leg() -> None:
    text = ("The Hungarian leader was visiting Norway after travelling to Sweden on a four-day tour.\n\n"
            "Hungarian President Tomas Varga met Norwegian Prime Minister Ingrid Holm in Oslo.")
    visits = [c for c in _kinds(text) if c[0] == "visit"]
    assert visits == [("visit", frozenset({"Tomas Varga"}), None)] * 2
