"""`briefbot status`: deliveries sent, failed, pending and ambiguous per day; `--health` for Docker.

Healthy means: the database exists and answers, and the bot's heartbeat (briefings/heartbeat.py)
is recent: a running process that stopped polling is unhealthy too.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pydantic import BaseModel

from briefings.errors import StoreError

if TYPE_CHECKING:
    from briefings.settings import Settings
    from briefings.store.deliveries import DayCounts

_COLUMNS = ("sent", "failed", "pending", "ambiguous", "skipped", "maybe_duplicate")


class StatusReport(BaseModel):
    """What `briefbot status --json` prints."""

    active_subscribers: int
    due_now: int
    days: list[DayCounts]  # resolved in `run_status`: other commands never import the store (SQLAlchemy)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `status` to the `briefbot` parser."""
    status = sub.add_parser("status", help="deliveries sent, failed, pending and ambiguous, per day")
    status.add_argument("--health", action="store_true",
                        help="exit 0 when the database answers and the bot heard from Telegram in the last "
                             "--max-age minutes, 1 otherwise (the container's health check)")
    status.add_argument("--max-age", type=float, default=5, metavar="MINUTES",
                        help="with --health: the oldest heartbeat accepted (default 5; 0: database only)")
    status.add_argument("--json", action="store_true", help="print the report as JSON")
    status.add_argument("--days", type=_days, default=7, metavar="N", help="how many recent days (default 7)")
    status.add_argument("--database", metavar="URL", default=None,
                        help="database URL (default: BRIEFBOT_DATABASE_URL or the user's data folder)")
    status.set_defaults(func=run_status)


def _days(text: str) -> int:
    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 4 else 0
    if not 1 <= value <= 3660:  # a bigger one overflows the date arithmetic
        raise argparse.ArgumentTypeError(f"a number of days from 1 to 3660, not {text[:20]!r}")
    return value


def run_status(args: argparse.Namespace) -> int:
    from briefings.core import Core
    from briefings.settings import Settings
    from briefings.store.db import Store
    from briefings.store.deliveries import DayCounts

    StatusReport.model_rebuild(_types_namespace={"DayCounts": DayCounts})
    overrides = {"database_url": args.database} if args.database else {}
    settings = Settings.model_validate(overrides)
    if args.health:
        return _health(settings, args.max_age)
    store = Store(settings.database_url)
    try:
        store.upgrade()
        core = Core(settings, store)
        report = StatusReport(active_subscribers=len(core.deliverable()),
                              due_now=sum(1 for p in core.due_deliveries() if p.skip_reason is None),
                              days=core.delivery_counts(args.days))
    finally:
        store.close()
    print(report.model_dump_json(indent=2) if args.json else render_status(report))
    return 0


def _health(settings: Settings, max_age_minutes: float) -> int:
    """0 when healthy; otherwise one line on stderr and 1. Creates nothing, writes nothing."""
    problem = _health_problem(settings, max_age_minutes)
    if problem is not None:
        print(f"briefbot: unhealthy: {problem}", file=sys.stderr)
        return 1
    print("ok")
    return 0


def _health_problem(settings: Settings, max_age_minutes: float) -> str | None:
    from sqlalchemy import text

    from briefings.heartbeat import heartbeat_age, heartbeat_path
    from briefings.store.db import Store, sqlite_file

    database = sqlite_file(settings.database_url)
    if database is not None and not database.is_file():
        # Opening it would create it (and its folder): a wrong path must not look healthy.
        return f"no database at {database}"
    try:
        store = Store(settings.database_url)
        try:
            with store.session() as session:
                session.execute(text("select 1"))
        finally:
            store.close()
    except StoreError as error:
        return str(error)
    if max_age_minutes <= 0:
        return None
    path = heartbeat_path(settings)
    age = heartbeat_age(path)
    if age is None:
        return f"no heartbeat at {path}: the bot has not polled Telegram or received an update yet"
    if age > max_age_minutes * 60:
        return (f"the bot last heard from Telegram {age / 60:.0f} minute(s) ago "
                f"(more than {max_age_minutes:g}; heartbeat {path})")
    return None


def render_status(report: StatusReport) -> str:
    """The report as an aligned plain-text table, newest day first."""
    lines = [f"Active subscribers: {report.active_subscribers} · due now, not yet claimed: {report.due_now}",
             ""]
    header = ("date", "sent", "failed", "pending", "ambiguous", "skipped", "maybe-dup")
    rows = [[d.local_date.isoformat(), *(str(getattr(d, c)) for c in _COLUMNS)] for d in report.days]
    if not rows:
        return "\n".join([*lines, "No deliveries recorded in this period."])
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    for row in (header, *rows):
        lines.append("  ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths, strict=True))).rstrip())
    return "\n".join(lines)
