"""The `store` fixture: every store test runs on a temp SQLite file and on PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432, database `test` (trust auth); each test gets a fresh
schema, dropped afterwards. When no server answers, the PostgreSQL variants are skipped with the
reason, except when `BRIEFBOT_REQUIRE_POSTGRES=1` (CI), where they fail instead. Other store test
files import this module by path (`load_store_fixtures`), so the fixture is defined once.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from briefings.store.db import Store

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
NOW = dt.datetime(2025, 9, 20, 8, 0, tzinfo=dt.UTC)


def _postgres_reason() -> str | None:
    """None when PostgreSQL answers, else why not."""
    engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except (OperationalError, ImportError) as error:
        return f"PostgreSQL at 127.0.0.1:5432/test does not answer ({type(error).__name__})"
    finally:
        engine.dispose()
    return None


_PG_REASON: list[str | None] = []


def postgres_or_skip() -> None:
    if not _PG_REASON:
        _PG_REASON.append(_postgres_reason())
    reason = _PG_REASON[0]
    if reason is None:
        return
    if os.environ.get("BRIEFBOT_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"{reason}, and BRIEFBOT_REQUIRE_POSTGRES=1")
    pytest.skip(reason)


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def open_store(backend: str, folder: Path) -> Iterator[Store]:
    """A migrated, empty store on `backend`, removed afterwards."""
    if backend == "sqlite":
        store = Store(f"sqlite:///{folder / 'data' / 'briefbot.sqlite3'}")
        store.upgrade()
        yield store
        store.close()
        return
    postgres_or_skip()
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    store = Store(f"{PG_URL}?options=-csearch_path%3D{schema}")
    try:
        store.upgrade()
        yield store
    finally:
        store.close()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=BACKENDS, name="store")
def store_fixture(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    with open_store(request.param, tmp_path) as store:
        yield store
