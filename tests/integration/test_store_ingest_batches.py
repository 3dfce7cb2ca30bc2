"""Bulk ingest: several articles per transaction, a bad one costs only itself, ANALYZE on PostgreSQL,
and the window index of migration 0013 (blocking keys carry their article's anchor day)."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import event, text

from briefings.models import Article, ArticleFacts, DateValue, Meeting, Person, Story
from briefings.store import articles, queries
from briefings.store.articles import ingest
from briefings.store.db import Store
from briefings.store.migrate import alembic_config
from tests.support import seed_facts
from tests.support import store_fixtures as _fixtures

store = _fixtures.store_fixture
NOW = _fixtures.NOW
LATER = NOW + dt.timedelta(hours=1)
DAY = dt.date(2024, 3, 11)


def _call(article_id: str, caller: str, callee: str, day: dt.date = DAY) -> ArticleFacts:
    """An invented one-call article (its text unique by its id)."""
    text_ = f"{caller} spoke by phone with President {callee} on {day:%A, %B %d, %Y} ({article_id})."
    article = Article(id=article_id, text=text_, title=f"{caller} calls {callee}", published=day,
                      outlet="Wire", url=f"https://wire.example/{article_id}")
    return ArticleFacts(
        article=article, people=[Person(name=caller), Person(name=callee)],
        meetings=[Meeting(kind="call", participants=[caller, callee], date=DateValue.from_date(day),
                          evidence=[{"article_id": article_id, "sentence": text_, "start": 0,
                                     "end": len(text_)}])])


def _batch_of_eight() -> list[ArticleFacts]:
    """Six good calls (three pairs of callers), one bad id at the third place, a copy of c1's text."""
    bad = _call("bad", "Aziz Karimov", "Olu Brandt")
    bad.article = bad.article.model_copy(update={"id": "x" * 300})
    copy = _call("c1", "Aziz Karimov", "Olu Brandt")
    copy.article = copy.article.model_copy(update={"id": "c1-copy", "url": "https://other.example/c1"})
    return [_call("c1", "Aziz Karimov", "Olu Brandt"), _call("c2", "Aziz Karimov", "Olu Brandt"), bad,
            _call("c3", "Leyla Demir", "Ines Varga"), _call("c4", "Leyla Demir", "Ines Varga"),
            _call("c5", "Tomas Quist", "Rhea Haddad"), _call("c6", "Tomas Quist", "Rhea Haddad"), copy]


def _commits(store: Store) -> list[int]:
    seen: list[int] = []
    event.listen(store.engine, "commit", lambda _connection: seen.append(1))
    return seen


def _stories(store: Store) -> list[list[str]]:
    return sorted(sorted(s.article_ids) for s in queries.list_stories(store).items)


def test_ingest_batches_commits_and_a_bad_article_costs_only_itself(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articles, "BATCH_ARTICLES", 3)
    monkeypatch.setattr(articles, "BATCH_SECONDS", 600.0)  # batches by count only, on a slow machine too
    commits = _commits(store)
    report = ingest(store, _batch_of_eight(), NOW)
    assert report.added == ["c1", "c2", "c3", "c4", "c5", "c6"]
    assert report.unchanged == ["c1-copy"]  # the same text under another id, in the same batch as c6
    assert len(report.failed) == 1 and "200 characters" in report.failed[0][1]
    # [c1 c2 bad] fails and goes again one by one (c1, c2 commit; bad rolls back), then [c3 c4 c5]
    # and [c6 copy]: 4 commits for 7 articles written or recognised, not one each.
    assert len(commits) == 4
    assert _stories(store) == [["c1", "c2"], ["c3", "c4"], ["c5", "c6"]]

    # Idempotent: the same inputs again change nothing, in batches too.
    again = ingest(store, _batch_of_eight(), LATER)
    assert sorted(again.unchanged) == ["c1", "c1-copy", "c2", "c3", "c4", "c5", "c6"]
    assert not again.added and not again.replaced and len(again.failed) == 1
    assert _stories(store) == [["c1", "c2"], ["c3", "c4"], ["c5", "c6"]]
    assert {s.updated_at for s in queries.list_stories(store).items} == {NOW}
    assert queries.stats(store).articles == 6


def test_ingest_failure_deep_in_a_batch_rolls_back_only_that_article(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(articles, "BATCH_ARTICLES", 10)
    monkeypatch.setattr(articles, "BATCH_SECONDS", 600.0)
    real = articles.write_story

    def failing(session: object, story: Story, facts: list[ArticleFacts], now: dt.datetime) -> None:
        if "c4" in story.article_ids:  # after c4's article row, keys and search rows were written
            raise ValueError("story rows refused")
        real(session, story, facts, now)  # type: ignore[arg-type]

    monkeypatch.setattr(articles, "write_story", failing)
    report = ingest(store, _batch_of_eight()[3:7], NOW)  # c3 c4 c5 c6 in one batch
    assert report.added == ["c3", "c5", "c6"]
    assert [message for _, message in report.failed] == ["story rows refused"]
    assert _stories(store) == [["c3"], ["c5", "c6"]]
    with store.session() as session:
        keys = session.execute(text("select count(*) from article_keys where article_id = 'c4'")).scalar()
        assert keys == 0
        assert session.execute(text("select count(*) from articles")).scalar() == 3


def _analyzed(store: Store, table: str) -> bool:
    with store.session() as session:
        found = session.execute(text("select count(*) from pg_stats where schemaname = current_schema()"
                                     " and tablename = :t"), {"t": table}).scalar()
    return bool(found)


@pytest.mark.parametrize("backend", [pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_ingest_analyzes_what_it_wrote_on_postgresql(
    backend: str, tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _fixtures.open_store(backend, tmp_path) as pg:  # type: ignore[arg-type]
        monkeypatch.setattr(articles, "ANALYZE_MIN_ARTICLES", 3)
        ingest(pg, seed_facts.seeds()[:2], NOW)  # below the threshold: no statistics yet
        assert not _analyzed(pg, "articles")
        statements: list[str] = []
        event.listen(pg.engine, "before_cursor_execute",
                     lambda *args: statements.append(str(args[2])))
        ingest(pg, seed_facts.seeds(), LATER)  # only one new article: written counts, not inputs
        assert not any(s.startswith("ANALYZE") for s in statements)
        facts = [_call(f"a{n}", "Aziz Karimov", "Olu Brandt", DAY + dt.timedelta(days=n)) for n in range(3)]
        ingest(pg, facts, LATER)
        analyzed = [s for s in statements if s.startswith("ANALYZE")]
        assert len(analyzed) == 1
        for table in articles.INGEST_TABLES:
            assert table in analyzed[0]
        assert _analyzed(pg, "articles") and _analyzed(pg, "article_keys") and _analyzed(pg, "meetings")


def test_ingest_analyze_is_a_no_op_on_sqlite(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("SQLite only")
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(str(args[2])))
    ingest(store, seed_facts.seeds(), NOW, analyze=True)
    assert not any(s.upper().startswith("ANALYZE") for s in statements)


def test_migration_0013_from_the_previous_head_keeps_data_and_fills_key_anchors(store: Store) -> None:
    ingest(store, seed_facts.seeds(), NOW)
    ingest(store, [_call("c1", "Aziz Karimov", "Olu Brandt")], NOW)
    before = queries.stats(store)
    with store.engine.begin() as connection:
        command.downgrade(alembic_config(connection), "0012")
    with store.session() as session:
        columns = session.execute(text("select * from article_keys")).keys()
        assert "anchor" not in columns
    store.upgrade()
    with store.session() as session:
        wrong = session.execute(text(
            "select count(*) from article_keys k join articles a on a.id = k.article_id"
            " where (k.anchor is null) != (a.anchor is null) or k.anchor != a.anchor")).scalar()
        dated = session.execute(text("select count(*) from article_keys where anchor is not null")).scalar()
    assert dated and wrong == 0
    after = queries.stats(store)
    assert (after.articles, after.stories, after.meetings, after.deals) == \
        (before.articles, before.stories, before.meetings, before.deals)
    # The window finds the old articles through the new index: a second call joins c1's story.
    assert ingest(store, [_call("c2", "Aziz Karimov", "Olu Brandt")], LATER).added == ["c2"]
    assert ["c1", "c2"] in _stories(store)


def test_sqlite_connections_run_wal_with_normal_sync(store: Store) -> None:
    if store.dialect != "sqlite":
        pytest.skip("SQLite only")
    for _ in range(2):  # each pooled connection, not only the first
        with store.engine.connect() as connection:
            modes = [connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                     for name in ("journal_mode", "synchronous", "wal_autocheckpoint")]
            assert modes == ["wal", 1, 10_000]  # synchronous 1 is NORMAL
        store.engine.dispose()
