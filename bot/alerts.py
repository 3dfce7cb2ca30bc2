"""The alert job: every planner interval, scan the store for new followed facts and send the alerts due.

Each reader's due alerts go out as one message through the shared `Sender` (the rate limiter,
429 pauses and retries apply), a pool of `concurrency` at a time. How a failure ends follows the
briefings: a blocked chat becomes an inactive subscriber, an ambiguous send is recorded as such
(and never retried), other failures are recorded as failed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import Counter

from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes, Job

from bot.charts import send_photo
from bot.delivery import Sender
from bot.error_policy import Action, classify, describe
from bot.handlers import core_of, sender_of
from bot.jobs import install_repeating
from briefings import alert_scan
from briefings.core import Core
from briefings.store.alert_ledger import ClaimedAlerts

log = logging.getLogger(__name__)

ALERTS_JOB = "alerts"


async def run_alerts(sender: Sender, core: Core) -> Counter[str]:
    """Scan, then claim and send every alert message due now; how they ended."""
    await asyncio.to_thread(alert_scan.scan, core)
    tally: Counter[str] = Counter()
    pool = asyncio.Semaphore(max(1, sender.policy.concurrency))

    async def one(item: ClaimedAlerts) -> None:
        async with pool:
            tally[await send_alerts(sender, core, item)] += 1

    # The next readers are claimed while this batch sends, so the pool never waits on the store.
    following = asyncio.create_task(asyncio.to_thread(alert_scan.claim, core))
    try:
        while claimed := await following:
            following = asyncio.create_task(asyncio.to_thread(alert_scan.claim, core))
            await asyncio.gather(*(one(item) for item in claimed))
    except BaseException:
        if not following.done():
            following.cancel()
        raise
    for chat_id, day in await asyncio.to_thread(alert_scan.charts_due, core):
        tally[await send_briefing_chart(sender, core, chat_id, day)] += 1
    if tally:
        log.info("alerts done %s", " ".join(f"{k}={v}" for k, v in sorted(tally.items())))
    return tally


async def send_alerts(sender: Sender, core: Core, claimed: ClaimedAlerts) -> str:
    chat_id = claimed.chat_id
    try:
        messages, keyboard = alert_scan.message(core, claimed)
    except Exception:
        log.exception("alert could not be composed chat=%s", chat_id)
        await asyncio.to_thread(alert_scan.release, core, claimed)
        return "released"
    try:
        sent = await sender.send(chat_id, messages[0], keyboard)
    except TelegramError as error:
        action = classify(error)
        reason = describe(error)
        if action is Action.GONE:
            await asyncio.to_thread(core.subscriber_gone, chat_id, reason)
            await asyncio.to_thread(alert_scan.failed, core, claimed, reason)
            return "gone"
        status = "ambiguous" if action is Action.AMBIGUOUS else "failed"
        await asyncio.to_thread(alert_scan.failed, core, claimed, reason, status)
        log.warning("alert %s chat=%s: %s", status, chat_id, reason)
        return status
    await asyncio.to_thread(alert_scan.sent, core, claimed, sent.message_id)
    log.info("alert sent chat=%s facts=%d", chat_id, len(claimed.ids))
    return "sent"


async def send_briefing_chart(sender: Sender, core: Core, chat_id: int, day: dt.date) -> str:
    """The chart a reader asked for (`/settings chart on`), once after their day's briefing."""
    row_id = await asyncio.to_thread(alert_scan.claim_chart, core, chat_id, day)
    if row_id is None:
        return "chart-taken"
    chart = await asyncio.to_thread(alert_scan.briefing_chart, core, day)
    if chart is None:
        await asyncio.to_thread(alert_scan.chart_done, core, row_id, None)
        return "chart-empty"
    png, text = chart
    try:
        message_id = await send_photo(sender.bot, chat_id, png, text)
    except TelegramError as error:
        await asyncio.to_thread(alert_scan.chart_done, core, row_id, None, describe(error))
        return "chart-failed"
    await asyncio.to_thread(alert_scan.chart_done, core, row_id, message_id)
    return "chart-sent"


async def alerts_tick(context: ContextTypes.DEFAULT_TYPE) -> None:
    await run_alerts(sender_of(context), core_of(context))


def install_alerts(application: Application, interval: float) -> Job:  # type: ignore[type-arg]
    """Run at the planner's interval; one run at a time, piled-up runs coalesced."""
    return install_repeating(application, alerts_tick, name=ALERTS_JOB, interval=interval, first=5)
