"""Issue 10: a read-only or unreachable store at start-up is one clear line and exit 1, for `run` and
`worker`, before Telegram is contacted: never a process that starts and then fails every minute."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from briefings.store.db import Store

TOKEN = "123456:SECRET-token-never-printed"


def _start(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"BRIEFBOT_TOKEN": TOKEN, "BRIEFBOT_DATABASE_URL": url, "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "BRIEFBOT_API_BASE_URL": "http://127.0.0.1:9/bot"}
    return subprocess.run([sys.executable, "-m", "briefings", *args], capture_output=True, text=True,
                          timeout=120, env=env, cwd=tmp_path)


def _read_only(tmp_path: Path) -> str:
    path = tmp_path / "ro.sqlite3"
    store = Store(f"sqlite:///{path}")
    store.upgrade()
    store.close()
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@pytest.mark.parametrize(("args", "database", "says"), [
    (("run",), "read-only", "is read-only"),
    (("worker", "--once"), "read-only", "is read-only"),
    (("run",), "unreachable", "does not answer"),
])
def test_startup_store_read_only_or_unreachable_is_one_line(tmp_path: Path, args: tuple[str, ...],
                                                            database: str, says: str) -> None:
    url = _read_only(tmp_path) if database == "read-only" else "postgresql+psycopg://nobody@127.0.0.1:9/none"
    out = _start(tmp_path, url, *args)
    assert out.returncode == 1
    lines = [line for line in out.stderr.splitlines() if not line.startswith("{")]  # JSON log lines aside
    assert len(lines) == 1 and lines[0].startswith("briefbot: the database ") and says in lines[0]
    assert "Traceback" not in out.stderr and "SECRET" not in out.stderr + out.stdout
