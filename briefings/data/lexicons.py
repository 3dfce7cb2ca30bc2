"""The one loader for the lexicons in this folder: validated once, cached, never read at import."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

_PACKAGE = "briefings.data"


def _read(name: str) -> str:
    return resources.files(_PACKAGE).joinpath(name).read_text(encoding="utf-8")


@cache
def load_lines(name: str) -> tuple[str, ...]:
    """A word list: one entry a line; blank lines and `#` comments skipped."""
    entries = []
    for line in _read(name).splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            entries.append(line)
    if not entries:
        raise ValueError(f"lexicon {name} is empty")
    return tuple(entries)


@cache
def load_json(name: str) -> Any:
    """A JSON lexicon, parsed once (callers validate its shape with their pydantic model)."""
    return json.loads(_read(name))


@cache
def load_tsv(name: str) -> tuple[tuple[str, ...], ...]:
    """A TSV table without header: rows of tab-separated fields; `#` comments skipped."""
    rows = []
    for line in _read(name).splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(tuple(field.strip() for field in line.split("\t")))
    return tuple(rows)
