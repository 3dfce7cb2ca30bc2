"""The `briefbot` command: one parser, sub-commands registered by the modules of this package.

Each module exposes `register(subparsers)`; a sub-command sets `func(args) -> int` (the exit code).
`BriefbotError`s become one line on stderr and a non-zero exit, never a traceback; so does each
bad `BRIEFBOT_*` setting (exit 2).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from briefings.cli import (
    bot_commands,
    chart_commands,
    eval_commands,
    extract_commands,
    status_commands,
    store_commands,
)
from briefings.errors import BriefbotError

_MODULES = (extract_commands, eval_commands, store_commands, chart_commands, bot_commands, status_commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefbot", description="Turn news articles into sourced facts and daily briefings.")
    parser.add_argument("--version", action="version", version=f"briefbot {_version()}",
                        help="print briefbot's version and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in _MODULES:
        module.register(sub)
    return parser


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("briefbot")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        code: int = func(args)
    except BriefbotError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return 1
    except ValidationError as error:
        from briefings.settings import Settings, settings_problems

        if error.title != Settings.__name__:
            raise
        for line in settings_problems(error):
            print(f"briefbot: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `briefbot stories | head`: the reader left; say nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return code
