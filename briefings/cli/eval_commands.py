"""Sub-commands of `briefbot` (filled in by their issue)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's sub-commands to the `briefbot` parser."""
