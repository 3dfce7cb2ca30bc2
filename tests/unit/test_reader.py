"""Issue 11's pure pieces: folding, sources and counts, headlines, titles, page words, rates, search text."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.commands.paging import parse_page_token, split_page
from briefings.errors import InputError
from briefings.models import StoryEvent
from briefings.rates import RateTable, rate_table
from briefings.render import Renderer
from briefings.store.people import clean_title
from briefings.store.search import best_sentence, fts_query
from briefings.summarise import (
    UPLOADED,
    corroboration,
    pick_quote,
    source_refs,
    source_refs_for_story,
    story_facts,
    story_headline,
    summarise,
)
from tests.support.builders import deal, evidence, meeting, story

NOW = dt.datetime(2025, 9, 10, 8, 0, tzinfo=dt.UTC)


def test_reader_event_told_by_a_shown_deal_is_folded_in() -> None:
    told = StoryEvent.model_validate({"id": "e-1", "date": {"year": 2025, "month": 9, "day": 8},
                                      "what": "MoU signed", "status": "occurred",
                                      "sources": [evidence("a1", 0, "Daily Planet")]})
    other = told.model_copy(update={"id": "e-2", "sources": [evidence("a2", 1, "Gazette")]})
    planned = told.model_copy(update={"id": "e-3", "status": "planned"})
    facts = story_facts(story(deals=[deal()], events=[told, other, planned]))
    assert [f.id for f in facts if f.id.startswith("e-")] == ["e-2"]  # "coming up" is not a story item


def test_reader_sources_count_articles_not_sentences() -> None:
    evs = [evidence("a1", 0), evidence("a1", 1), evidence("a2", 0), evidence("a3", 0, "Gazette")]
    refs = source_refs(evs)
    assert [(r.display, r.weight) for r in refs] == [(f"{UPLOADED} (2 articles)", 2), ("Gazette", 1)]
    assert corroboration(refs) == "3 sources"
    assert corroboration(source_refs([evidence("a1", 0), evidence("a1", 1)])) == "single source"


def test_reader_story_and_item_counts_agree() -> None:
    base = story(deals=[deal(sources=[evidence("a1", 0), evidence("a2", 0)])], meetings=[], events=[],
                 outlets=[])
    refs = source_refs_for_story(base.model_copy(update={"article_ids": ["a1", "a2"]}))
    assert corroboration(refs) == "2 sources"
    briefing = summarise([base.model_copy(update={"article_ids": ["a1", "a2"]})], today=NOW.date(), now=NOW)
    assert briefing.stories[0].corroboration == briefing.stories[0].items[0].corroboration == "2 sources"


def test_reader_quote_drops_a_dangling_credit_dash() -> None:
    sentence = "The minister met the envoy in Porto, July 25, 2025. —"
    ev = evidence("a1", 0).model_copy(update={"sentence": sentence})
    quote = pick_quote([ev], source_refs([ev]))
    assert quote is not None and quote.text.endswith("2025.") and ev.sentence.startswith(quote.text)


@pytest.mark.parametrize(("facts", "expected"), [
    ({"deals": [deal()], "meetings": []}, "Northland and Southport sign MoU"),
    ({"deals": [], "meetings": [meeting()]}, "Ana Lima and Jon Berg meet in Porto"),
])
def test_reader_headline_falls_back_to_the_lead_fact(facts: dict[str, list[object]], expected: str) -> None:
    assert story_headline(story(headline=None, events=[], **facts)) == expected  # type: ignore[arg-type]
    assert story_headline(story(headline="  Port deal \n signed ")) == "Port deal signed"


@pytest.mark.parametrize(("titles", "expected"), [
    (["Secretary", "US Secretary of State", "Secretary of State", "U.S. Secretary of State"],
     "US Secretary of State"),
    (["President"], "President"),
    ([], None),
])
def test_reader_one_clean_title(titles: list[str], expected: str | None) -> None:
    assert clean_title(titles) == expected


@pytest.mark.parametrize(("args", "expected"), [
    ("", ("", 1)), ("Acme", ("Acme", 1)), ("page 2", ("", 2)), ("Acme kind:mou page 3", ("Acme kind:mou", 3)),
    ("Page 4", ("", 4)),
])
def test_reader_page_words(args: str, expected: tuple[str, int]) -> None:
    assert split_page(args) == expected


@pytest.mark.parametrize("args", ["page 0", "page abc", "page", "Acme page -1"])
def test_reader_bad_page_words_are_a_clear_error(args: str) -> None:
    with pytest.raises(InputError, match="not a page"):
        split_page(args)


@pytest.mark.parametrize(("token", "expected"), [
    ("2", (2, 10)), ("3x5", (3, 5)), ("0", None), ("2x0", None), ("2x11", None), ("x", None), ("٣", None)])
def test_reader_page_tokens(token: str, expected: tuple[int, int] | None) -> None:
    assert parse_page_token(token) == expected


def test_reader_rate_table_is_dated_and_converts() -> None:
    table = rate_table()
    assert table.base == "USD" and table.date == dt.date(2025, 9, 30)
    inr = table.convert(5e9, "INR")  # ₹500 crore
    assert inr is not None and 4e7 < inr < 8e7
    assert table.convert(1.0, "XXX") is None
    with pytest.raises(ValueError):
        RateTable.model_validate({"base": "USD", "date": "2025-09-30", "rates": {"EUR": -1}})


def test_reader_fts_queries() -> None:
    assert fts_query(["signing", "eu"], "sqlite") == 'body : ("signing"* AND "eu")'
    assert fts_query(["signing", "eu"], "postgresql") == "signing:* & eu"


def test_reader_snippet_is_the_sentence_with_most_query_words() -> None:
    sentences = ["Officials met on Monday.", "The ministers signed a $2.5 billion harbour deal.",
                 "Signing ceremonies followed."]
    assert best_sentence(sentences, ["signing", "harbour"]) == 1
    assert best_sentence(sentences, ["nothing"]) is None


def test_reader_renderer_briefing_is_at_most_two_messages() -> None:
    many = [story(f"s-{i:08d}", deals=[deal(f"d-{i:08d}")]) for i in range(8)]
    briefing = summarise(many, today=NOW.date(), now=NOW)
    renderer = Renderer()
    for fmt in ("html", "text"):
        messages = renderer.briefing(briefing, fmt)
        assert 1 <= len(messages) <= 2
    one = renderer.briefing(briefing, "html", max_messages=1)
    assert len(one) == 1 and "top " in one[0]


@pytest.mark.parametrize(("label", "expected"), [
    ("talks on a wider pact  ", "Talks on a wider pact"),
    ("Ministers met in Porto —", "Ministers met in Porto"),
    ("Port  deal\nsigned", "Port deal signed")])
def test_reader_labels_are_whole_phrases(label: str, expected: str) -> None:
    from briefings.summarise import whole_phrase

    assert whole_phrase(label) == expected


@pytest.mark.parametrize(("args", "party", "start", "end"), [
    ("Acme July 2025", "Acme", dt.date(2025, 7, 1), dt.date(2025, 7, 31)),
    ("kind:trade 2025-09", None, dt.date(2025, 9, 1), dt.date(2025, 9, 30)),
    ("from:2025-09 min:1bn", None, dt.date(2025, 9, 1), None),
    ("Northland", "Northland", None, None),
])
def test_reader_one_filter_grammar_for_deals(args: str, party: str | None, start: dt.date | None,
                                             end: dt.date | None) -> None:
    from briefings.commands.args import parse_deal_query

    flt = parse_deal_query(args, dt.date(2026, 1, 1)).filter
    assert (flt.party, flt.start, flt.end) == (party, start, end)


def test_reader_status_history_only_when_it_changed() -> None:
    from briefings.models import StatusClaim
    from briefings.summarise import status_steps

    same = [StatusClaim(status="signed", article_id="a1", published=dt.date(2025, 9, 1)),
            StatusClaim(status="signed", article_id="a2", published=dt.date(2025, 9, 3))]
    changed = [StatusClaim(status="negotiating", article_id="a3", published=dt.date(2025, 8, 1)), *same]
    assert len(status_steps(same)) == 1
    assert [s.status for s in status_steps(changed)] == ["negotiating", "signed"]
