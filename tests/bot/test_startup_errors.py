"""Start-up against a Bot API that does not answer: one line on stderr, exit 1, no traceback, no token."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

TOKEN = "123456:SECRET-token-never-printed"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_startup_errors_unreachable_api_is_one_line(tmp_path: Path) -> None:
    env = {"BRIEFBOT_TOKEN": TOKEN, "BRIEFBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
           "BRIEFBOT_API_BASE_URL": f"http://127.0.0.1:{_closed_port()}/bot", "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "briefings", "worker", "--once"], capture_output=True,
                         text=True, timeout=120, env=env, cwd=tmp_path)
    assert out.returncode == 1
    assert "cannot start" in out.stderr
    assert "Traceback" not in out.stderr
    assert TOKEN not in out.stderr + out.stdout
    assert "SECRET" not in out.stderr + out.stdout
