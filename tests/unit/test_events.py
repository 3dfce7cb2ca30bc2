"""Dated events for the timeline."""

from __future__ import annotations

from tests.support.facts import facts_of


def test_events_every_dated_meeting_has_an_event() -> None:
    facts = facts_of("Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday.")
    assert [e.date.iso() for e in facts.events] == ["2025-03-11"]
    assert "Ingrid Holm" in facts.events[0].what


def test_events_scheduled_happenings_are_planned_and_in_the_future() -> None:
    facts = facts_of("The two governments will hold a review of the programme scheduled for June.")
    assert [(e.date.iso(), e.status) for e in facts.events] == [("2025-06", "planned")]


def test_events_reporting_dates_are_not_events() -> None:
    facts = facts_of("Growth will remain weak this year, the finance ministry said on Tuesday.")
    assert facts.events == []


def test_events_undated_article_bare_month_is_inferred() -> None:
    facts = facts_of("The ceasefire agreed in May has held, officials said.", published=None,
                     reference="2025-09-14")
    assert [(e.date.iso(), e.date.inferred) for e in facts.events] == [("2025-05", True)]


def test_events_are_in_date_order() -> None:
    text = ("Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday. "
            "The two leaders had last met in October 2024 in Budapest.")
    dates = [e.date.first_day() for e in facts_of(text).events]
    assert dates == sorted(dates)


def test_events_reporting_verb_after_the_date_dates_the_report() -> None:
    facts = facts_of("Speaking at a university, Holm on Wednesday said that the region would benefit.")
    assert facts.events == []


def test_events_in_a_statement_dates_the_report() -> None:
    facts = facts_of("The central bank made the disclosure in a statement on its website on Friday.")
    assert facts.events == []


def test_events_publication_stamp_and_post_signature_are_furniture() -> None:
    text = ("Follow on Published On: Wed, 12 Mar 2025 10:15:00 GMT\n\n"
            "Reforzaremos la frontera. — Ingrid Holm (@ingridholm) March 3, 2025\n\n"
            "The two ministers discussed trade at length in Vienna.")
    assert facts_of(text, published=None).events == []


def test_events_dateline_date_is_not_an_event() -> None:
    text = "Vienna, Mar 12 (PTI) Chancellor Ingrid Holm praised the outcome of the trade round."
    assert facts_of(text).events == []


def test_events_weekday_placed_ahead_is_not_resolved_into_the_past() -> None:
    facts = facts_of("The new import duties would go into effect on Tuesday, officials warned.")
    assert facts.events == []


def test_events_guessed_day_makes_no_event_but_a_guessed_month_does() -> None:
    text = "The port deal was formalised on 16 January. The ceasefire agreed in May has held."
    facts = facts_of(text, published=None, reference="2025-09-14")
    assert [e.date.iso() for e in facts.events] == ["2025-05"]


def test_events_nominal_after_a_preposition_is_the_happening() -> None:
    facts = facts_of("Relations have warmed, especially following the armed conflict between the two "
                     "neighbours in May.")
    assert [e.what for e in facts.events] == ["Armed conflict between the two neighbours"]


def test_events_what_is_never_cut_mid_name_nor_ends_on_a_dangling_word() -> None:
    facts = facts_of("On Monday the minister spoke on the phone with his counterpart from the "
                     "neighbouring federation in the United Arab Emirates about trade.")
    what = facts.events[0].what
    assert not what.endswith((" United", " Arab", " the", " in", " ")), what
    assert what == what.strip()


def test_events_same_day_sentence_about_a_meeting_joins_its_event() -> None:
    text = ("Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday. "
            "Austria and Hungary signed a transport agreement on Tuesday.")
    facts = facts_of(text)
    assert len([e for e in facts.events if e.date.iso() == "2025-03-11"]) == 1


def test_events_visit_is_described_by_its_destination() -> None:
    facts = facts_of("Chancellor Ingrid Holm visited Hungary on Tuesday for talks on energy.")
    visits = [e.what for e in facts.events]
    assert any("Hungary" in w and "Ingrid Holm" in w for w in visits), visits


def test_events_subject_between_a_day_and_its_reporting_verb_is_a_report() -> None:
    assert facts_of("On Monday Varga said Hungary would join the initiative launched in 2013.").events == []
    facts = facts_of("Many countries take part, but in February Ruritania said it was leaving the pact.")
    assert [e.date.iso() for e in facts.events] == ["2025-02"]  # a month dates the announcement itself


def test_events_credit_after_the_date_does_not_hide_the_happening() -> None:
    facts = facts_of("The ministers held talks on energy in Vienna on March 12, reported the agency.")
    assert [e.date.iso() for e in facts.events] == ["2025-03-12"]


def test_events_until_a_day_when_something_happens_is_that_happening() -> None:
    facts = facts_of("The country won't be required to pay duties on goods under the trade deal until "
                     "April 2, when new tariffs will go into effect for all countries.")
    assert [(e.date.iso(), e.status) for e in facts.events] == [("2025-04-02", "planned")]
    assert facts.events[0].what.startswith("New tariffs will go into effect")
    assert facts_of("The loan runs until June 2027 under the programme.").events == []


def test_events_relative_clause_takes_its_subject() -> None:
    facts = facts_of("Varga, who took office in August 2022, made his first trip abroad in October 2023.")
    assert "Varga took office" in [e.what for e in facts.events]


def test_events_visit_destination_is_where_the_trip_goes() -> None:
    facts = facts_of("The talks mark a thaw in Austria-Hungary relations since Chancellor Ingrid Holm's "
                     "visit to Hungary in October 2024.")
    assert any(e.what.endswith("visits Hungary") for e in facts.events), [e.what for e in facts.events]


def test_events_deal_description_says_who_did_what() -> None:
    from briefings.extract.events import describe_deal
    from briefings.models import Deal, Money

    loan = Deal(kind="loan", parties=["Ruritania", "World Bank"], status="signed",
                amount=Money(value=1.5e9, currency="USD", approximate=True), sector="rail")
    assert describe_deal(loan) == "Ruritania and World Bank sign a loan worth about $1.5 billion on rail"
    mou = Deal(kind="mou", parties=["Ruritania"], status="announced")
    assert describe_deal(mou) == "Ruritania announces an MoU"


def test_events_level_by_a_date_is_no_event() -> None:
    assert facts_of("The outstanding loans stood at a total of $3.5 billion by June last year.").events == []


def test_events_same_day_sentence_about_the_talks_joins_the_meeting_but_others_do_not() -> None:
    base = "Chancellor Ingrid Holm met President Tomas Varga in Vienna on Tuesday. "
    for other in ("The talks on Tuesday focused on energy and the pipeline.",
                  "On Tuesday the two leaders also toured a power plant outside the city."):
        assert len(facts_of(base + other).events) == 1, other
    protest = facts_of(base + "Protesters gathered outside parliament on Tuesday against the pipeline.")
    assert len(protest.events) == 2


def test_events_what_stops_before_what_the_happening_was_for() -> None:
    facts = facts_of("In May, the utility filed a last-minute injunction seeking to delay the contract.")
    assert [e.what for e in facts.events] == ["The utility filed a last-minute injunction"]


def test_events_a_pictures_date_is_no_event() -> None:
    facts = facts_of("The ministers discussed trade. Photo taken on March 3, 2025 shows the port.")
    assert facts.events == []
