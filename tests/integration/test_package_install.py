"""The environment the Dockerfile describes: the wheel installed into a fresh venv runs.

It proves the wheel carries everything the code reads at run time (lexicons, templates,
migrations), since the installed command runs away from the source tree.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(
    os.environ.get("BRIEFBOT_SKIP_INSTALL_TEST") == "1", reason="BRIEFBOT_SKIP_INSTALL_TEST=1"
)
def test_package_wheel_installs_and_runs_in_a_fresh_venv(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
        check=True,
        timeout=600,
        capture_output=True,
    )
    [wheel] = list(wheels.glob("briefbot-*.whl"))
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    pip = env_dir / "bin" / "pip"
    install = subprocess.run(
        [str(pip), "install", "--quiet", str(wheel)], capture_output=True, text=True, timeout=900
    )
    assert install.returncode == 0, install.stderr[-2000:]
    briefbot = env_dir / "bin" / "briefbot"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    help_out = subprocess.run(
        [str(briefbot), "--help"], capture_output=True, text=True, timeout=120, cwd=outside
    )
    assert help_out.returncode == 0 and "extract" in help_out.stdout
    seed = ROOT / "seeds" / "001_149754640871358a.txt"
    run = subprocess.run(
        [str(briefbot), "extract", "--json", str(seed)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=outside,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Marco Rubio" in run.stdout
    db = tmp_path / "store.sqlite3"
    brief = subprocess.run(
        [str(briefbot), "brief", "--seeds"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "HOME": str(tmp_path), "BRIEFBOT_DATABASE_URL": f"sqlite:///{db}"},
    )
    assert brief.returncode == 0, brief.stderr[-2000:]
    assert "BRIEFING" in brief.stdout.upper()
