"""The write side: idempotent ingest, corrections, removal and re-merging, bad articles skipped."""

from __future__ import annotations

import datetime as dt

import pytest

from briefings.errors import NotFoundError
from briefings.models import Article, ArticleFacts, DateValue, Meeting, Person
from briefings.store import queries
from briefings.store.articles import ingest, remove_article
from briefings.store.db import Store
from briefings.store.views import DealFilter
from tests.support import seed_facts
from tests.support import store_fixtures as _fixtures

store = _fixtures.store_fixture
NOW = _fixtures.NOW
LATER = NOW + dt.timedelta(hours=1)


def _call(article_id: str, caller: str, day: dt.date, callee: str = "Olu Brandt") -> ArticleFacts:
    """An invented one-call article: `caller` phoned `callee` on `day` (each text unique by its id)."""
    text = (
        f"{caller} spoke by phone with President {callee} on {day:%A, %B %d, %Y}, wishing him well. "
        f"The two leaders discussed trade and energy ties, the office of {caller} said ({article_id})."
    )
    article = Article(
        id=article_id,
        text=text,
        title=f"{caller} holds phone call with {callee}",
        published=day,
        outlet="Wire",
        url=f"https://wire.example/{article_id}",
    )
    sentence = text.split(". ")[0] + "."
    return ArticleFacts(
        article=article,
        people=[Person(name=caller), Person(name=callee, aliases=[callee.split()[-1]])],
        meetings=[
            Meeting(
                kind="call",
                participants=[caller, callee],
                date=DateValue.from_date(day),
                evidence=[{"article_id": article_id, "sentence": sentence, "start": 0, "end": len(sentence)}],
            )
        ],
    )


def test_store_ingest_seeds_is_one_story_and_idempotent(store: Store) -> None:
    report = ingest(store, seed_facts.seeds(), NOW)
    assert sorted(report.added) == ["000", "001", "004"] and not report.failed
    stories = queries.list_stories(store)
    assert stories.total == 1
    assert sorted(stories.items[0].article_ids) == ["000", "001", "004"]
    again = ingest(store, seed_facts.seeds(), LATER)
    assert sorted(again.unchanged) == ["000", "001", "004"] and not again.added and not again.replaced
    assert queries.list_stories(store).items[0].updated_at == NOW  # nothing was rewritten


def test_store_same_text_under_another_id_or_same_url_is_unchanged(store: Store) -> None:
    ingest(store, seed_facts.seeds(), NOW)
    copy = seed_facts.seed_000()
    copy.article = copy.article.model_copy(update={"id": "000-mirror", "url": "https://mirror.example/x"})
    same_url = seed_facts.seed_001()
    same_url.article = same_url.article.model_copy(update={"id": "001-again"})
    report = ingest(store, [copy, same_url], LATER)
    assert report.unchanged == ["000-mirror", "001-again"]
    assert queries.stats(store).articles == 3


def test_store_corrected_article_replaces_its_facts(store: Store) -> None:
    ingest(store, seed_facts.seeds(), NOW)
    meeting_id = next(m.id for m in queries.list_meetings(store).items if m.kind == "meeting")
    fixed = seed_facts.seed_004()
    fixed.article = fixed.article.model_copy(update={"text": fixed.article.text + "\nCorrection appended."})
    fixed.deals = []
    report = ingest(store, [fixed], LATER)
    assert report.replaced == ["004"]
    trade = queries.list_deals(store, DealFilter(kind="trade_agreement")).items
    assert len(trade) == 1 and [c.article_id for c in trade[0].status_history] == ["001"]
    assert trade[0].disagreements == []
    meeting = next(m for m in queries.list_meetings(store).items if m.kind == "meeting")
    assert meeting.id == meeting_id  # the fact keeps its id across the re-merge
    assert {e.article_id for e in meeting.sources} == {"000", "001", "004"}


def test_store_remove_article_re_merges_and_last_removal_drops_the_story(store: Store) -> None:
    ingest(store, seed_facts.seeds(), NOW)
    remove_article(store, "001", LATER)
    story = queries.list_stories(store).items[0]
    assert sorted(story.article_ids) == ["000", "004"]
    assert all("001" not in {e.article_id for e in d.sources} for d in story.deals)
    assert queries.list_deals(store, DealFilter(kind="trade_agreement")).items[0].status == "negotiating"
    remove_article(store, "000", LATER)
    remove_article(store, "004", LATER)
    assert queries.list_stories(store).total == 0
    counts = queries.stats(store)
    assert (counts.articles, counts.meetings, counts.deals, counts.events) == (0, 0, 0, 0)
    with pytest.raises(NotFoundError):
        remove_article(store, "004", LATER)


def test_store_bad_article_is_reported_and_skipped(store: Store) -> None:
    bad = seed_facts.seed_000()
    bad.article = bad.article.model_copy(update={"id": "x" * 300})
    report = ingest(store, [bad, seed_facts.seed_001()], NOW)
    assert report.added == ["001"]
    assert len(report.failed) == 1 and "200 characters" in report.failed[0][1]
    assert queries.stats(store).articles == 1


def test_store_nul_characters_do_not_break_either_backend(store: Store) -> None:
    facts = seed_facts.seed_004()
    facts.article = facts.article.model_copy(update={"title": "Trade\x00 talks"})
    assert ingest(store, [facts], NOW).added == ["004"]


def test_store_calls_with_one_callee_and_different_callers_stay_apart(store: Store) -> None:
    day = dt.date(2024, 3, 11)
    items = [
        _call("c1", "Aziz Karimov", day),
        _call("c2", "Aziz Karimov", day + dt.timedelta(days=1)),
        _call("c3", "Leyla Demir", day),
        _call("c4", "Aziz Karimov", day.replace(year=2025)),
    ]
    ingest(store, items, NOW)
    stories = queries.list_stories(store).items
    assert sorted(sorted(s.article_ids) for s in stories) == [["c1", "c2"], ["c3"], ["c4"]]
    merged = next(s for s in stories if len(s.article_ids) == 2)
    assert len(merged.meetings) == 1  # a day apart: one call whose date the sources dispute
    assert [d.field for d in merged.meetings[0].disagreements] == ["date"]


def test_store_removing_a_bridge_splits_nothing_it_should_not(store: Store) -> None:
    day = dt.date(2024, 3, 11)
    ingest(store, [_call("c1", "Aziz Karimov", day), _call("c2", "Aziz Karimov", day)], NOW)
    remove_article(store, "c1", LATER)
    stories = queries.list_stories(store).items
    assert [s.article_ids for s in stories] == [["c2"]]
