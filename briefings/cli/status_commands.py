"""`briefbot status`: deliveries sent, failed, pending and ambiguous per day; `--health` for Docker."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from pydantic import BaseModel

from briefings.errors import StoreError
from briefings.store.deliveries import DayCounts

if TYPE_CHECKING:
    from briefings.store.db import Store

_COLUMNS = ("sent", "failed", "pending", "ambiguous", "skipped", "maybe_duplicate")


class StatusReport(BaseModel):
    """What `briefbot status --json` prints."""

    active_subscribers: int
    due_now: int
    days: list[DayCounts]


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `status` to the `briefbot` parser."""
    status = sub.add_parser("status", help="deliveries sent, failed, pending and ambiguous, per day")
    status.add_argument("--health", action="store_true",
                        help="exit 0 when the database answers, 1 otherwise (for a container health check)")
    status.add_argument("--json", action="store_true", help="print the report as JSON")
    status.add_argument("--days", type=int, default=7, metavar="N", help="how many recent days (default 7)")
    status.add_argument("--database", metavar="URL", default=None,
                        help="database URL (default: BRIEFBOT_DATABASE_URL or the user's data folder)")
    status.set_defaults(func=run_status)


def run_status(args: argparse.Namespace) -> int:
    from briefings.core import Core
    from briefings.settings import Settings
    from briefings.store.db import Store

    overrides = {"database_url": args.database} if args.database else {}
    settings = Settings.model_validate(overrides)
    store = Store(settings.database_url)
    try:
        if args.health:
            return _health(store)
        store.upgrade()
        core = Core(settings, store)
        report = StatusReport(active_subscribers=len(core.deliverable()),
                              due_now=sum(1 for p in core.due_deliveries() if p.skip_reason is None),
                              days=core.delivery_counts(max(1, args.days)))
    finally:
        store.close()
    print(report.model_dump_json(indent=2) if args.json else render_status(report))
    return 0


def _health(store: Store) -> int:
    from sqlalchemy import text

    try:
        with store.session() as session:
            session.execute(text("select 1"))
    except StoreError as error:
        print(f"briefbot: unhealthy: {error}", file=sys.stderr)
        return 1
    print("ok")
    return 0


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
