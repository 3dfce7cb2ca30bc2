"""One repeating planner job instead of one timer per subscriber.

Every minute the job asks the core who is due (`Core.due_deliveries`, a pure planner over the
subscribers and the deliveries table) and sends through `bot.broadcast`. Nothing is rebuilt at
start-up and nothing is lost on restart: the deliveries table remembers what went out, and a
missed tick is caught up by the next one (the planner looks back over the grace period).
"""

from __future__ import annotations

import logging

from telegram.ext import Application, ContextTypes, Job

from bot.broadcast import ComposeFailed, run_due
from bot.handlers import core_of, sender_of
from bot.jobs import install_repeating

log = logging.getLogger(__name__)

PLANNER_JOB = "briefing-planner"
INTERVAL_S = 60


async def planner_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    try:
        await run_due(sender_of(context), core_of(context))
    except ComposeFailed as error:
        # Logged with its traceback where it happened; the next tick tries again.
        log.error("planner run stopped: %s", error)


def install(application: Application, interval: float = INTERVAL_S) -> Job:  # type: ignore[type-arg]
    """Add the planner job (once); misfires are not dropped, piled-up runs are coalesced into one."""
    return install_repeating(application, planner_tick, name=PLANNER_JOB, interval=interval, first=1)
