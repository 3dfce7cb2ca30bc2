"""Issue 10: `briefbot status --health` is healthy only when the database is there and answers and the
bot heard from Telegram lately; it never creates a missing database or its folder."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from briefings.cli import main
from briefings.heartbeat import beat, heartbeat_age, heartbeat_path
from briefings.settings import Settings
from briefings.store.db import Store


@pytest.fixture
def database(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'data' / 'briefbot.sqlite3'}"
    store = Store(url)
    store.upgrade()
    store.close()
    return url


def _health(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(["status", "--health", *argv])
    out, err = capsys.readouterr()
    return code, (out + err).strip()


def _age_heartbeat(path: Path, seconds: float) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    record["at"] -= seconds
    path.write_text(json.dumps(record), encoding="utf-8")


def test_health_needs_a_recent_heartbeat(database: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, said = _health(capsys, "--database", database)
    assert code == 1 and said.startswith("briefbot: unhealthy: no heartbeat at ")
    assert "has not polled Telegram" in said
    path = heartbeat_path(Settings(database_url=database))
    assert path == Path(database.removeprefix("sqlite:///") + ".heartbeat")
    beat(path, "polling")
    assert _health(capsys, "--database", database) == (0, "ok")
    _age_heartbeat(path, 6 * 60)
    code, said = _health(capsys, "--database", database)
    assert code == 1 and "last heard from Telegram 6 minute(s) ago (more than 5" in said
    assert _health(capsys, "--database", database, "--max-age", "10") == (0, "ok")
    assert _health(capsys, "--database", database, "--max-age", "0") == (0, "ok")  # database only


def test_health_wrong_path_is_unhealthy_and_creates_nothing(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "no-such-folder" / "briefbot.sqlite3"
    code, said = _health(capsys, "--database", f"sqlite:///{missing}", "--max-age", "0")
    assert (code, said) == (1, f"briefbot: unhealthy: no database at {missing}")
    assert not missing.parent.exists()


def test_health_unreachable_database(capsys: pytest.CaptureFixture[str]) -> None:
    code, said = _health(capsys, "--database", "postgresql+psycopg://nobody@127.0.0.1:9/none")
    assert code == 1 and said.startswith("briefbot: unhealthy: ") and "does not answer" in said
    assert said.count("\n") == 0


def test_health_heartbeat_file_setting(database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    chosen = tmp_path / "run" / "beat.json"
    monkeypatch.setenv("BRIEFBOT_HEARTBEAT_FILE", str(chosen))
    beat(chosen, "worker")
    assert _health(capsys, "--database", database) == (0, "ok")
    age = heartbeat_age(chosen, now=time.time() + 90)
    assert age is not None and 89 <= age <= 91
    chosen.write_text("not json", encoding="utf-8")
    assert _health(capsys, "--database", database)[0] == 1
