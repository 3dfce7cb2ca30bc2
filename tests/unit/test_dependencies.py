"""Issue 10: what briefings/ and bot/ import is declared in pyproject.toml, and what is declared is used."""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"briefings", "bot"}
# Declared but never imported by name, each for a reason.
NOT_IMPORTED = {
    "sniffio": "httpcore imports it on every request",
    "tzdata": "zoneinfo reads its time zones where the system has none",
    "psycopg": "SQLAlchemy loads the driver named in a postgresql+psycopg:// URL",
    "faker": "extract/first_names.py reads its name lists through importlib, by module name",
}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    specs = [*project["dependencies"], *project["optional-dependencies"]["postgres"]]
    return {_norm(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in specs}


def _imported_modules() -> set[str]:
    found: set[str] = set()
    for package in FIRST_PARTY:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in FIRST_PARTY | {"__future__"}}


@functools.cache
def _by_module() -> dict[str, list[str]]:
    return dict(importlib.metadata.packages_distributions())


def _distributions(module: str) -> set[str]:
    return {_norm(d) for d in _by_module().get(module, [])}


def test_dependencies_every_import_is_declared() -> None:
    declared = _declared()
    undeclared = {m: sorted(_distributions(m)) for m in _imported_modules()
                  if not _distributions(m) & declared}
    assert undeclared == {}


def test_dependencies_every_declared_package_is_imported() -> None:
    imported = set().union(*(_distributions(m) for m in _imported_modules()))
    unused = _declared() - imported - set(NOT_IMPORTED)
    assert unused == set()
