"""Fixtures shared by every test."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed seed so that a run is repeatable; local runs explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Entrypoints configure logging once per process; a test that runs one must not leave its
    handlers (bound to pytest's captured streams, closed afterwards) on the root logger."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    filters = list(root.filters)
    yield
    for handler in root.handlers:
        if handler not in handlers:
            handler.close()
    root.handlers[:] = handlers
    root.filters[:] = filters
    root.setLevel(level)
