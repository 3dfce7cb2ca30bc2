"""The repeating job that polls the registered feeds (`/feeds add URL`) and ingests new entries."""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import Application, ContextTypes, Job

from bot.handlers import core_of
from bot.jobs import install_repeating

log = logging.getLogger(__name__)

FEEDS_JOB = "feeds-poller"


async def poll_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    # Fetching and extraction block: run them off the event loop so updates keep flowing.
    report = await asyncio.to_thread(core_of(context).poll_feeds)
    log.info("feeds polled added=%d replaced=%d unchanged=%d failed=%d", len(report.added),
             len(report.replaced), len(report.unchanged), len(report.failed))


def install_feed_poller(application: Application, minutes: float) -> Job:  # type: ignore[type-arg]
    """Poll every `minutes`; one run at a time, piled-up runs coalesced."""
    return install_repeating(application, poll_tick, name=FEEDS_JOB, interval=minutes * 60, first=30,
                             keep_misfires=False)
