"""The bot's heartbeat: a file touched whenever the bot hears from Telegram, read by `status --health`.

A process that is up but no longer polls (a stuck loop, a lost network) answers `select 1` as
well as a healthy one; only the time since it last heard from Telegram tells them apart. The file
lives next to a SQLite database (so a wrong database path also means no heartbeat), else in the
user's data folder, unless `BRIEFBOT_HEARTBEAT_FILE` names it.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path

from platformdirs import user_data_dir

from briefings.settings import Settings
from briefings.store.db import sqlite_file


def heartbeat_path(settings: Settings) -> Path:
    """Where this deployment's heartbeat is written and read."""
    if settings.heartbeat_file is not None:
        return settings.heartbeat_file
    database = sqlite_file(settings.database_url)
    if database is not None:
        return database.with_name(f"{database.name}.heartbeat")
    return Path(user_data_dir("briefbot")) / "heartbeat"


def beat(path: Path, mode: str) -> None:
    """Record that the bot heard from Telegram now (atomically: a reader never sees half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    record = json.dumps({"at": time.time(), "mode": mode, "pid": os.getpid()})
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(record)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def heartbeat_age(path: Path, now: float | None = None) -> float | None:
    """Seconds since the last beat; None when there never was one (or it cannot be read)."""
    try:
        at = float(json.loads(path.read_text(encoding="utf-8"))["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return max(0.0, (time.time() if now is None else now) - at)
