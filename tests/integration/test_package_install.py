"""The environment the Dockerfile describes, built without docker (which cannot run here).

The Dockerfile builds wheels with `pip wheel -c constraints.txt '.[postgres]'`, installs them with
`--no-index`, copies the seeds into the working folder and checks health with `status --health`.
This test reads those facts from the Dockerfile, does the same into a fresh venv (pip's cache and
local wheels keep it near two minutes on a loaded 2-core machine), and runs `briefbot --help`,
`brief --seeds` and the health check away from the source tree: the wheel must carry every
lexicon, template and migration, and the pins must resolve.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")


def _logical_lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\\\n", " ").splitlines() if line.strip()]


def _instruction(name: str) -> list[str]:
    lines = _logical_lines(DOCKERFILE)
    return [line[len(name) + 1:].strip() for line in lines if line.startswith(f"{name} ")]


def _image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for line in _instruction("ENV"):
        env.update(part.split("=", 1) for part in shlex.split(line))  # type: ignore[misc]
    return env


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_package_dockerfile_describes_the_tested_environment() -> None:
    runs = _instruction("RUN")
    assert any(r.startswith("pip wheel") and "-c constraints.txt '.[postgres]'" in r for r in runs)
    install = "--no-index --find-links /wheels -c /tmp/constraints.txt 'briefbot[postgres]'"
    assert any(install in r for r in runs)
    assert "constraints.txt" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    workdir = _instruction("WORKDIR")[-1]
    assert any(c.endswith(f"seeds {workdir}/seeds") for c in _instruction("COPY"))
    env = _image_env()
    assert env["BRIEFBOT_WEBHOOK_LISTEN"] == "0.0.0.0"
    assert _instruction("EXPOSE") == [env["BRIEFBOT_WEBHOOK_PORT"]]
    [health] = _instruction("HEALTHCHECK")
    assert json.loads(health.split("CMD", 1)[1])[:3] == ["briefbot", "status", "--health"]


def test_package_constraints_pin_every_declared_dependency() -> None:
    """A dependency added to pyproject.toml without `.ci/lock` would go unpinned into the image."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"].values()
    specs = [*project["dependencies"], *(spec for extra in extras for spec in extra)]
    declared = {_norm(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in specs}
    pinned = {_norm(line.split("==")[0]) for line in (ROOT / "constraints.txt").read_text().splitlines()
              if "==" in line and not line.startswith("#")}
    assert declared - pinned == set(), "run .ci/lock to pin them"


def _run(command: list[str], cwd: Path, env: dict[str, str],
         timeout: int = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=cwd, env=env)


@pytest.mark.skipif(os.environ.get("BRIEFBOT_SKIP_INSTALL_TEST") == "1",
                    reason="BRIEFBOT_SKIP_INSTALL_TEST=1")
def test_package_docker_environment_runs(tmp_path: Path) -> None:
    pip = [sys.executable, "-m", "pip"]
    wheels = tmp_path / "wheels"
    built = _run([*pip, "wheel", "--quiet", "--wheel-dir", str(wheels), "-c", str(ROOT / "constraints.txt"),
                  f"{ROOT}[postgres]"], cwd=tmp_path, env=dict(os.environ), timeout=900)
    assert built.returncode == 0, built.stderr[-2000:]
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    # The image's install, without byte-compiling ~600 MB of packages: half the time, same files.
    installed = _run([str(env_dir / "bin" / "pip"), "install", "--quiet", "--no-compile", "--no-index",
                      "--find-links", str(wheels), "-c", str(ROOT / "constraints.txt"), "briefbot[postgres]"],
                     cwd=tmp_path, env=dict(os.environ), timeout=900)
    assert installed.returncode == 0, installed.stderr[-2000:]

    home = tmp_path / "home" / "briefbot"  # WORKDIR, with the seeds copied in as the image does
    shutil.copytree(ROOT / "seeds", home / "seeds")
    data = tmp_path / "data"  # the image's /data volume, not mounted yet
    database = data / "briefbot.sqlite3"
    env = {"PATH": f"{env_dir / 'bin'}:/usr/bin:/bin", "HOME": str(home), **_image_env(),
           "BRIEFBOT_DATABASE_URL": f"sqlite:///{database}"}
    briefbot = str(env_dir / "bin" / "briefbot")

    helped = _run([briefbot, "--help"], cwd=home, env=env)
    assert helped.returncode == 0 and "brief" in helped.stdout and "status" in helped.stdout
    brief = _run([briefbot, "brief", "--seeds"], cwd=home, env=env)
    assert brief.returncode == 0, brief.stderr[-2000:]
    assert "BRIEFING" in brief.stdout.upper() and "no seeds folder" not in brief.stderr

    health = json.loads(_instruction("HEALTHCHECK")[0].split("CMD", 1)[1])
    unhealthy = _run(health, cwd=home, env=env)
    assert unhealthy.returncode == 1 and f"no database at {database}" in unhealthy.stderr
    assert not data.exists()  # a wrong path stays wrong: nothing was created
    data.mkdir()
    assert _run([briefbot, "status"], cwd=home, env=env).returncode == 0  # creates the store
    no_beat = _run(health, cwd=home, env=env)
    assert no_beat.returncode == 1 and "no heartbeat" in no_beat.stderr
    (data / "briefbot.sqlite3.heartbeat").write_text(json.dumps({"at": time.time(), "mode": "polling"}))
    healthy = _run(health, cwd=home, env=env)
    assert (healthy.returncode, healthy.stdout.strip()) == (0, "ok"), healthy.stderr
