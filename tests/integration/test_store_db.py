"""The database edge: bad URLs, unreachable servers, read-only and corrupt files, migrations, rollback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import exc, text

from briefings.errors import StoreError
from briefings.store import queries
from briefings.store.articles import ingest
from briefings.store.db import Store
from briefings.store.migrate import alembic_config
from briefings.store.schema import FULL_TEXT_OBJECTS, Base
from tests.support import seed_facts
from tests.support import store_fixtures as _fixtures

store = _fixtures.store_fixture
NOW = dt.datetime(2025, 9, 20, tzinfo=dt.UTC)


def _sqlite(path: Path) -> Store:
    return Store(f"sqlite:///{path}")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql+psycopg://postgres@127.0.0.1:1/test", "does not answer"),
        ("mysql://localhost/x", "unsupported database"),
        ("not a url at all", "not a database URL"),
    ],
)
def test_store_db_bad_urls_are_one_line_store_errors(url: str, message: str) -> None:
    with pytest.raises(StoreError, match=message) as raised:
        Store(url).upgrade()
    assert "\n" not in str(raised.value) and "postgres@" not in str(raised.value).split("://")[0]


def test_store_db_creates_the_parent_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "briefbot.sqlite3"
    _sqlite(target).upgrade()
    assert target.exists()


def test_store_db_folder_or_garbage_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="is a folder"):
        _sqlite(tmp_path)
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database, just some text\n" * 50)
    with pytest.raises(StoreError, match="corrupt or not a database"):
        _sqlite(junk)


def test_store_db_damaged_pages_are_reported_not_raised_raw(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    good = _sqlite(path)
    good.upgrade()
    ingest(good, seed_facts.seeds(), NOW)
    good.close()
    data = bytearray(path.read_bytes())
    data[100 : 4096 * 3] = b"\xa5" * (4096 * 3 - 100)  # keep the header, smash the schema pages
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="corrupt"):
        damaged = _sqlite(path)
        damaged.upgrade()
        queries.stats(damaged)


def test_store_db_read_only_file_answers_queries_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite3"
    writable = _sqlite(path)
    writable.upgrade()
    ingest(writable, [seed_facts.seed_001()], NOW)
    writable.close()
    read_only = Store(f"sqlite:///file:{path}?mode=ro&uri=true")
    assert queries.stats(read_only).articles == 1
    with pytest.raises(StoreError, match="read-only"):
        ingest(read_only, [seed_facts.seed_000()], NOW)
    read_only.close()
    assert queries.stats(_sqlite(path)).articles == 1


def test_store_db_failure_mid_article_leaves_nothing_behind(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise exc.OperationalError("INSERT", {}, Exception("disk I/O error"))

    monkeypatch.setattr("briefings.store.articles.write_story", broken)
    with pytest.raises(StoreError):
        ingest(store, [seed_facts.seed_001()], NOW)
    counts = queries.stats(store)
    assert (counts.articles, counts.stories) == (0, 0)


def test_store_db_migrations_match_the_models(store: Store) -> None:
    with store.engine.connect() as connection:
        # The full-text objects the databases make themselves (FTS5 tables, a GIN index) are not models.
        opts = {"compare_type": True, "include_name": lambda name, kind, _: name not in FULL_TEXT_OBJECTS}
        diff = compare_metadata(MigrationContext.configure(connection, opts=opts), Base.metadata)
    assert diff == []


def test_store_db_upgrade_from_the_first_migration_keeps_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    old = _sqlite(path)
    with old.engine.begin() as connection:
        command.upgrade(alembic_config(connection), "0001")
        facts = seed_facts.seed_001()
        connection.execute(
            text(
                "INSERT INTO articles (id, url, content_hash, title, outlet, published, anchor, story_id,"
                " facts, search_text, ingested_at, updated_at) VALUES ('001', :url, 'h', NULL, 'Outlet B',"
                " '2025-09-14', '2025-09-14', NULL, :facts, ' x ', '2025-09-15 00:00:00',"
                " '2025-09-15 00:00:00')"
            ),
            {"url": facts.article.url, "facts": facts.model_dump_json()},
        )
    old.close()
    upgraded = _sqlite(path)
    upgraded.upgrade()
    with upgraded.session() as session:
        assert session.execute(text("select profile from articles")).scalar_one() == "{}"
        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert session.execute(text("select version_num from alembic_version")).scalar_one() == head
    # The store keeps working on the upgraded file.
    assert ingest(upgraded, [seed_facts.seed_000()], NOW).added == ["000"]
    assert queries.stats(upgraded).articles == 2


def test_store_fixture_upgrade_is_idempotent(store: Store) -> None:
    store.upgrade()
    store.upgrade()
    with store.session() as session:
        assert session.execute(text("select count(*) from articles")).scalar_one() == 0
