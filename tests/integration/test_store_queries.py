"""The read side on the seed story: filters, people, timeline, search, sources, pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from briefings.errors import InputError, NotFoundError
from briefings.store import queries
from briefings.store.articles import ingest
from briefings.store.db import Store
from briefings.store.views import DealFilter
from tests.support import seed_facts
from tests.support import store_fixtures as _fixtures

NOW = _fixtures.NOW


@pytest.fixture(scope="module", params=_fixtures.BACKENDS)
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The seed story, ingested once per backend: these tests only read."""
    with _fixtures.open_store(request.param, tmp_path_factory.mktemp("queries")) as store:
        assert not ingest(store, seed_facts.seeds(), NOW).failed
        yield store


def _deal_kinds(store: Store, flt: DealFilter) -> list[str]:
    return sorted(d.kind for d in queries.list_deals(store, flt).items)


@pytest.mark.parametrize(
    ("flt", "kinds"),
    [
        (DealFilter(), ["investment", "mou", "mou", "trade_agreement"]),
        (DealFilter(party="USSM"), ["investment", "mou"]),  # the acronym finds the full name
        (DealFilter(party="united states strategic"), ["investment", "mou"]),  # a prefix of the name
        (DealFilter(party="Mota-Engil"), ["mou"]),
        (DealFilter(country="Pakistan"), ["investment", "mou", "mou", "trade_agreement"]),
        (DealFilter(country="US"), ["investment", "mou", "trade_agreement"]),
        (DealFilter(kind="mou"), ["mou", "mou"]),
        (DealFilter(status="announced"), ["trade_agreement"]),
        (DealFilter(currency="usd"), ["investment"]),
        (DealFilter(min_amount=4e8, max_amount=6e8), ["investment"]),
        (DealFilter(min_amount=6e8), []),
        (DealFilter(start=dt.date(2025, 9, 1), end=dt.date(2025, 9, 30)), ["investment", "mou"]),
        (DealFilter(start=dt.date(2025, 7, 1), end=dt.date(2025, 7, 31)), ["trade_agreement"]),
    ],
)
def test_store_queries_deal_filters(seeded: Store, flt: DealFilter, kinds: list[str]) -> None:
    assert _deal_kinds(seeded, flt) == kinds


def test_store_queries_deals_are_merged_with_sources_and_disagreements(seeded: Store) -> None:
    nlc = queries.list_deals(seeded, DealFilter(party="NLC")).items[0]
    assert {e.article_id for e in nlc.sources} == {"000", "001"}
    assert [d.field for d in nlc.disagreements] == ["sector"]


@pytest.mark.parametrize(
    "flt",
    [
        lambda: DealFilter(start=dt.date(2025, 9, 1), end=dt.date(2025, 8, 1)),
        lambda: DealFilter(min_amount=10, max_amount=1),
    ],
)
def test_store_queries_backwards_ranges_are_input_errors(flt: object) -> None:
    with pytest.raises(InputError, match="backwards"):
        flt()  # type: ignore[operator]


@pytest.mark.parametrize("person", ["Rubio", "marco rubio", "Marco  Rubió", "DPM Dar", "Ishaq Dar"])
def test_store_queries_meetings_by_person(seeded: Store, person: str) -> None:
    kinds = sorted(m.kind for m in queries.list_meetings(seeded, person=person).items)
    assert kinds == ["call", "meeting"]


def test_store_queries_meetings_by_country_and_unknown_person(seeded: Store) -> None:
    assert queries.list_meetings(seeded, country="Pakistan").total == 2
    assert queries.list_meetings(seeded, person="Nobody Known").total == 0


def test_store_queries_timeline_in_order_with_range_and_entity(seeded: Store) -> None:
    every = queries.timeline(seeded).items
    assert [e.date.iso() for e in every] == ["2025-07-25", "2025-08", "2025-09-08"]
    august = queries.timeline(seeded, start=dt.date(2025, 8, 15), end=dt.date(2025, 8, 20)).items
    assert [e.status for e in august] == ["planned"]  # a month overlaps any of its days
    assert queries.timeline(seeded, entity="Rubio").total == 3
    assert queries.timeline(seeded, entity="Someone Else").total == 0
    with pytest.raises(InputError, match="backwards"):
        queries.timeline(seeded, start=dt.date(2025, 9, 1), end=dt.date(2025, 8, 1))


def test_store_queries_upcoming_events(seeded: Store) -> None:
    assert [e.what for e in queries.upcoming_events(seeded, today=dt.date(2025, 8, 10), days=10)] == [
        "counterterrorism dialogue in Islamabad"
    ]
    assert queries.upcoming_events(seeded, today=dt.date(2025, 10, 1)) == []


@pytest.mark.parametrize("name", ["Ishaq Dar", "dar", "DPM Dar", "Ishak Dar"])
def test_store_queries_person_profile(seeded: Store, name: str) -> None:
    profile = queries.person_profile(seeded, name)
    assert profile is not None and profile.name == "Ishaq Dar"
    assert "DPM Dar" in profile.aliases and profile.countries == ["Pakistan"]
    assert sorted(m.kind for m in profile.meetings) == ["call", "meeting"]
    assert profile.article_ids == ["000", "001", "004"]


def test_store_queries_person_profile_unknown(seeded: Store) -> None:
    assert queries.person_profile(seeded, "Zebulon Quartermaine") is None


def test_store_queries_search_pages_over_facts_then_articles(seeded: Store) -> None:
    hits = queries.search(seeded, "Mota-Engil", page_size=2)
    assert hits.total >= 3 and hits.pages == -(-hits.total // 2)
    assert [h.kind for h in hits.items] == ["deal", "event"]
    rest = queries.search(seeded, "mota engil", page=2, page_size=2).items
    assert {h.kind for h in rest} == {"article"}
    assert all("Mota-Engil" in h.snippet for h in rest)
    article = rest[0].sources[0]
    text = next(f.article.text for f in seed_facts.seeds() if f.article.id == article.article_id)
    assert text[article.start : article.end] == article.sentence
    with pytest.raises(InputError):
        queries.search(seeded, " ! ")


def test_store_queries_fact_sources(seeded: Store) -> None:
    deal = queries.list_deals(seeded, DealFilter(kind="trade_agreement")).items[0]
    found = queries.fact_sources(seeded, deal.id)
    assert found.kind == "deal" and "Trade agreement" in found.label
    assert [c.status for c in found.status_history] == ["negotiating", "announced"]
    assert {e.article_id for e in found.sources} == {"001", "004"}
    with pytest.raises(NotFoundError):
        queries.fact_sources(seeded, "d-00000000")
    with pytest.raises(NotFoundError):
        queries.fact_sources(seeded, "nonsense")


def test_store_queries_pages_and_bad_page_numbers(seeded: Store) -> None:
    first = queries.list_deals(seeded, DealFilter(), page=1, page_size=3)
    second = queries.list_deals(seeded, DealFilter(), page=2, page_size=3)
    assert (first.total, first.pages, len(first.items), len(second.items)) == (4, 2, 3, 1)
    assert {d.id for d in first.items}.isdisjoint({d.id for d in second.items})
    with pytest.raises(InputError):
        queries.list_deals(seeded, DealFilter(), page=0)
    with pytest.raises(InputError):
        queries.list_stories(seeded, page_size=1000)


def test_store_queries_get_story(seeded: Store) -> None:
    story = queries.list_stories(seeded).items[0]
    assert queries.get_story(seeded, story.id) == story
    with pytest.raises(NotFoundError):
        queries.get_story(seeded, "s-00000000")


def test_store_queries_stories_and_updates_since(seeded: Store) -> None:
    assert queries.list_stories(seeded, since=NOW).total == 1
    assert queries.list_stories(seeded, since=NOW + dt.timedelta(seconds=1)).total == 0
    assert [s.updated_at for s in queries.stories_updated_since(seeded, None)] == [NOW]
    assert queries.stories_updated_since(seeded, NOW) == []


def test_store_queries_stats(seeded: Store) -> None:
    counts = queries.stats(seeded)
    assert (counts.articles, counts.stories, counts.meetings, counts.deals, counts.events) == (3, 1, 2, 4, 3)
    assert counts.subscribers == counts.active_subscribers == 0 and counts.last_deliveries == []
