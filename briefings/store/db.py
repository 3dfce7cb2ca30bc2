"""The database: engine from a URL, Alembic upgrade, and the one transaction scope.

SQLite (the default, a file) runs with WAL, a busy timeout and foreign keys on; PostgreSQL runs
through the same code. Driver errors leave this module as `StoreError` with one line a user can
read: the database does not answer, is read-only, or is not a database.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from briefings.errors import StoreError

log = logging.getLogger(__name__)

_BUSY_TIMEOUT_MS = 5000
_CONNECT_TIMEOUT_S = 5
_WAL_CHECKPOINT_PAGES = 10_000


def _sqlite_pragmas(dbapi_connection: object, _record: ConnectionPoolEntry) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    try:
        cursor.execute(f"PRAGMA busy_timeout = {_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            # A checkpoint copies each page once however many commits dirtied it since the last one:
            # every ~40 MB of WAL instead of every 4 MB, a quarter fewer bytes written by a bulk
            # ingest (bench/README.md).
            cursor.execute(f"PRAGMA wal_autocheckpoint = {_WAL_CHECKPOINT_PAGES}")
        except Exception as error:
            log.debug("WAL not enabled: %s", type(error).__name__)
    finally:
        cursor.close()


def describe_url(url: URL) -> str:
    """The URL without its password, for messages."""
    return url.render_as_string(hide_password=True)


def raise_store_error(error: exc.DBAPIError | exc.ArgumentError, url: URL) -> NoReturn:
    """Translate a driver error into a one-line `StoreError`."""
    where = describe_url(url)
    text = str(getattr(error, "orig", error) or error).lower()
    if "readonly" in text or "read-only" in text or "read only" in text:
        raise StoreError(f"the database {where} is read-only") from error
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        raise StoreError(f"the database {where} is corrupt or not a database") from error
    if "locked" in text or "busy" in text:
        raise StoreError(f"the database {where} is busy (locked by another process)") from error
    if url.get_backend_name() == "sqlite":
        raise StoreError(f"cannot use the database {where}: {text.splitlines()[0] if text else 'error'}") \
            from error
    raise StoreError(f"the database {where} does not answer") from error


def sqlite_file(url: str | URL) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL, memory or `file:` URIs, or no URL at all)."""
    try:
        parsed = make_url(url) if isinstance(url, str) else url
    except exc.ArgumentError:
        return None
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or not database or database == ":memory:" \
            or database.startswith("file:"):
        return None
    return Path(database).expanduser()


class Store:
    """One database: `upgrade()` once, then `session()` for each unit of work."""

    def __init__(self, url: str) -> None:
        try:
            self.url = make_url(url)
        except exc.ArgumentError as error:
            raise StoreError(f"not a database URL: {url!r}") from error
        backend = self.url.get_backend_name()
        if backend == "sqlite":
            self._prepare_sqlite_file()
            self.engine: Engine = create_engine(self.url, connect_args={"timeout": _BUSY_TIMEOUT_MS / 1000})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        elif backend == "postgresql":
            try:
                self.engine = create_engine(
                    self.url, pool_pre_ping=True, connect_args={"connect_timeout": _CONNECT_TIMEOUT_S})
            except (ImportError, exc.ArgumentError) as error:
                raise StoreError(f"cannot use the database {describe_url(self.url)}: {error}") from error
        else:
            raise StoreError(f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://")
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def _prepare_sqlite_file(self) -> None:
        path = sqlite_file(self.url)
        if path is None:
            return
        if path.is_dir():
            raise StoreError(f"the database path {path} is a folder")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"cannot create the folder for the database {path}: {error.strerror}") from error
        if path.exists() and path.stat().st_size > 0:
            with path.open("rb") as handle:
                if handle.read(16) != b"SQLite format 3\x00":
                    raise StoreError(f"the database {path} is corrupt or not a database")

    def upgrade(self) -> None:
        """Bring the schema to the newest migration (idempotent; keeps data)."""
        from briefings.store.migrate import upgrade_to_head

        try:
            with self.engine.begin() as connection:
                upgrade_to_head(connection)
        except (exc.OperationalError, exc.DatabaseError) as error:
            raise_store_error(error, self.url)

    def check_writable(self) -> None:
        """StoreError when the database refuses writes (a read-only file, mount, user or replica).

        One no-op update, rolled back: a process says so once at start-up, instead of starting
        and then failing every job and every command that writes.
        """
        try:
            with self.engine.connect() as connection, connection.begin() as transaction:
                connection.execute(text("UPDATE alembic_version SET version_num = version_num"))
                transaction.rollback()
        except (exc.OperationalError, exc.DatabaseError) as error:
            raise_store_error(error, self.url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: commit on success, roll back on any error."""
        try:
            with self._sessions() as session, session.begin():
                yield session
        except (exc.IntegrityError, exc.DataError):
            raise  # about the data written, not the database: the caller decides
        except (exc.OperationalError, exc.DatabaseError) as error:
            raise_store_error(error, self.url)

    def close(self) -> None:
        self.engine.dispose()
