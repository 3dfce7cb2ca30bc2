"""One sending process per SQLite file: an advisory lock on a file next to the database.

SQLite has no row locks to share deliveries with, so exactly one process sends; a second one
says so and stops. The kernel drops the lock when its process dies, even by SIGKILL, so the next
process to take it knows every claim left in the table belongs to a dead process and may take it
over at once. PostgreSQL needs no lock: its processes share deliveries through the table itself.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from briefings.errors import BriefbotError
from briefings.store.db import Store


class SenderLockHeld(BriefbotError):
    """Another process is already sending from this database."""


class SenderLock:
    """Held from `acquire` until `release` or the end of the process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise `SenderLockHeld` naming the holder."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "another process"
            os.close(fd)
            raise SenderLockHeld(
                f"another briefbot process (pid {holder}) is already sending from this SQLite database "
                f"(lock {self.path}); this one will not send. Use PostgreSQL to run several.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    @property
    def held(self) -> bool:
        return self._fd is not None


def lock_path(store: Store) -> Path | None:
    """The lock file for a SQLite file database; None for PostgreSQL and in-memory databases."""
    database = store.url.database
    if store.dialect != "sqlite" or not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).expanduser().with_name(Path(database).name + ".sender.lock")


def claim_sending(store: Store) -> SenderLock | None:
    """Become the sending process: the SQLite lock (taken, or `SenderLockHeld`), None when not needed."""
    path = lock_path(store)
    if path is None:
        return None
    lock = SenderLock(path)
    lock.acquire()
    return lock
