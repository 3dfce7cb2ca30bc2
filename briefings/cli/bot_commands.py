"""`briefbot brief`, `console`, `run` and `worker` (the Telegram side is imported late)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from briefings.errors import InputError

if TYPE_CHECKING:
    from briefings.core import Core


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from error


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add this module's sub-commands to the `briefbot` parser."""
    brief = sub.add_parser(
        "brief", help="print today's briefing as a new subscriber gets it (the last 7 days; plain text)",
        description="Print the briefing a new subscriber would get today: stories of the last 7 days, "
                    "at most two Telegram messages. No token or server needed.")
    brief.add_argument("--date", type=_date_arg, default=None, metavar="YYYY-MM-DD",
                       help="the briefing for this day instead (stories published then or the day before)")
    _store_options(brief, "brief")
    brief.add_argument("--html", action="store_true",
                       help="print the Telegram HTML messages, each followed by a line marking where it ends")
    brief.set_defaults(func=run_brief)

    console = sub.add_parser("console", help="the bot in the terminal (same commands, plain text)")
    _store_options(console, "console")
    console.set_defaults(func=run_console)

    run = sub.add_parser("run", help="start the Telegram bot (needs BRIEFBOT_TOKEN)",
                         description="Start the Telegram bot: polling, or a webhook when "
                                     "BRIEFBOT_WEBHOOK_URL and BRIEFBOT_WEBHOOK_SECRET are set.",
                         epilog=settings_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    run.set_defaults(func=run_bot)
    worker = sub.add_parser("worker", help="send due briefings without answering updates (several "
                                           "workers and one bot can share one PostgreSQL database)")
    worker.add_argument("--once", action="store_true", help="one planner run, then exit")
    worker.set_defaults(func=run_worker)


def settings_help() -> str:
    """The settings `run` reads, named as environment variables, with their defaults."""
    from briefings.settings import Settings

    lines = ["settings (environment variables or a .env file; BRIEFBOT_TOKEN is required):"]
    for name, field in Settings.model_fields.items():
        default = "required" if name == "token" else \
            "a SQLite file in the user's data folder" if name == "database_url" else \
            "next to the SQLite file, else in the user's data folder" if name == "heartbeat_file" else \
            "none" if field.default in (None, frozenset()) else str(field.default)
        lines.append(f"  BRIEFBOT_{name.upper():<22} default: {default}")
    return "\n".join(lines)


def _store_options(parser: argparse.ArgumentParser, name: str) -> None:
    parser.add_argument("--database", metavar="URL", default=None,
                        help="database URL (default: BRIEFBOT_DATABASE_URL or the user's data folder)")
    parser.add_argument("--seeds", nargs="?", const="", default=None, metavar="FOLDER",
                        help="load the seed articles first (default folder: ./seeds); without --database "
                             f"{name} then uses a temporary database")


def find_seeds(given: str) -> Path:
    """The seeds folder: the one given, else ./seeds, else the one next to this checkout."""
    checkout = Path(__file__).resolve().parents[2] / "seeds"
    candidates = [Path(given)] if given else [Path.cwd() / "seeds", checkout]
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise InputError(f"no seeds folder found at {candidates[0]}: give one with --seeds FOLDER")


@contextmanager
def _core(args: argparse.Namespace) -> Iterator[Core]:
    from briefings.core import Core
    from briefings.settings import Settings
    from briefings.store.db import Store

    with tempfile.TemporaryDirectory(prefix="briefbot-") as scratch:
        overrides: dict[str, object] = {}
        if args.database:
            overrides["database_url"] = args.database
        elif args.seeds is not None:
            # Seeds alone go into a throwaway database, so trying briefbot leaves nothing behind.
            overrides["database_url"] = f"sqlite:///{Path(scratch) / 'seeds.sqlite3'}"
        settings = Settings.model_validate(overrides)
        store = Store(settings.database_url)
        try:
            store.upgrade()
            core = Core(settings, store)
            if args.seeds is not None:
                report = core.ingest_sources([str(find_seeds(args.seeds))])
                for origin, message in report.failed:
                    print(f"briefbot: {origin}: {message}", file=sys.stderr)
            yield core
        finally:
            store.close()


def run_brief(args: argparse.Namespace) -> int:
    with _core(args) as core:
        empty = core.stats().articles == 0
        # Seeds are old news: their briefing covers them all rather than the last seven days.
        covers = "the seed articles" if args.seeds is not None and args.date is None else None
        messages = core.briefing_messages(None, "html" if args.html else "text", day=args.date, covers=covers)
    if args.html:
        total = len(messages)
        print("\n".join(f"{text}\n{message_end(i, total, text)}" for i, text in enumerate(messages, 1)))
    else:
        print("\n\n".join(messages))
    if empty:
        print("briefbot: the store holds no articles yet: add some with `briefbot ingest PATH`, "
              "or try `briefbot brief --seeds`", file=sys.stderr)
    return 0


def message_end(number: int, total: int, text: str) -> str:
    """The line `brief --html` prints after each Telegram message."""
    from briefings.render import TELEGRAM_LIMIT, telegram_length

    return f"──── end of message {number}/{total} ({telegram_length(text)}/{TELEGRAM_LIMIT} characters) ────"


def run_console(args: argparse.Namespace) -> int:
    from platformdirs import user_data_dir

    from briefings.console import BANNER, typed_lines
    from briefings.console import run_console as console

    with _core(args) as core:
        if sys.stdin.isatty():
            # input() prints the prompt itself, with readline's editing and history.
            history = Path(user_data_dir("briefbot")) / "console_history"
            history.parent.mkdir(parents=True, exist_ok=True)
            print(BANNER)
            return console(core, typed_lines(history), sys.stdout, prompt=False)
        return console(core, sys.stdin, sys.stdout, prompt=False, echo=True)


def run_bot(args: argparse.Namespace) -> int:
    # Late import: `briefings` itself never imports telegram.
    from bot.__main__ import main

    return main()


def run_worker(args: argparse.Namespace) -> int:
    from bot.__main__ import main

    return main(["--worker", *(["--once"] if args.once else [])])
