"""Sending: replies, and briefings recorded in the deliveries table (claimed before they are sent).

A scheduled or `/post_now` briefing goes: claim (committed) -> send every part -> mark sent with
the message ids. A 429 waits its `retry_after` (a bounded number of times), a blocked chat becomes
an inactive subscriber, a migrated group moves to its new id, refused HTML falls back to the
plain-text rendering, and a read timeout is recorded as ambiguous (it may have arrived).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

from bot.errors import Action, classify, describe
from briefings.commands import Button
from briefings.core import Core
from briefings.store.views import DeliveryStatus

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
MAX_FLOOD_WAITS = 3
MAX_FLOOD_WAIT_S = 60.0
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def markup(keyboard: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.data) for b in row]
                                 for row in keyboard])


@dataclass
class Sender:
    """Sends messages with bounded flood waits; `sleep` is injectable so tests never really wait."""

    bot: Bot
    sleep: Sleep = asyncio.sleep

    async def send(self, chat_id: int, text: str, keyboard: Sequence[Sequence[Button]] = (),
                   *, html: bool = True) -> Message:
        for attempt in range(MAX_FLOOD_WAITS + 1):
            try:
                return await self.bot.send_message(
                    chat_id, text, parse_mode=ParseMode.HTML if html else None,
                    reply_markup=markup(keyboard), link_preview_options=NO_PREVIEW)
            except RetryAfter as error:
                if attempt == MAX_FLOOD_WAITS:
                    raise
                wait = min(retry_after_seconds(error), MAX_FLOOD_WAIT_S)
                log.info("flood wait chat=%s seconds=%s", chat_id, wait)
                await self.sleep(wait)
        raise AssertionError("unreachable")

    async def send_all(self, chat_id: int, texts: Sequence[str], keyboard: Sequence[Sequence[Button]] = (),
                       *, html: bool = True) -> list[int]:
        """Every part in order; the keyboard goes under the last one."""
        ids = []
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            message = await self.send(chat_id, text, keyboard if last else (), html=html)
            ids.append(message.message_id)
        return ids


def retry_after_seconds(error: RetryAfter) -> float:
    """Seconds to wait; works before and after python-telegram-bot makes it a timedelta."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value: int | dt.timedelta = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


async def deliver_briefing(sender: Sender, core: Core, chat_id: int, local_date: dt.date, *,
                           late: bool = False) -> bool:
    """Send a claimed day's briefing and record the outcome; True when it was sent."""
    sub = core.subscriber(chat_id)
    if sub is None or not sub.active:
        core.record_failed(chat_id, local_date, "no longer subscribed", status="skipped")
        return False
    try:
        ids = await sender.send_all(chat_id, core.briefing_messages(sub, "html", late=late))
    except ChatMigrated as error:
        new_id = int(error.new_chat_id)
        core.chat_migrated(chat_id, new_id)
        log.info("chat migrated old=%s new=%s", chat_id, new_id)
        return await deliver_briefing(sender, core, new_id, local_date, late=late)
    except TelegramError as error:
        return await _failed(sender, core, chat_id, local_date, error, late=late)
    core.record_sent(chat_id, local_date, ids)
    log.info("briefing sent chat=%s date=%s parts=%d late=%s", chat_id, local_date, len(ids), late)
    return True


async def _failed(sender: Sender, core: Core, chat_id: int, local_date: dt.date, error: TelegramError, *,
                  late: bool) -> bool:
    action = classify(error)
    reason = describe(error)
    if action is Action.GONE:
        core.subscriber_gone(chat_id, reason)
        core.record_failed(chat_id, local_date, reason)
        log.info("chat gone chat=%s: %s", chat_id, reason)
        return False
    if action is Action.PLAIN_TEXT:
        log.error("Telegram refused the HTML of the briefing templates: %s", reason)
        sub = core.subscriber(chat_id)
        if sub is not None:
            try:
                plain = core.briefing_messages(sub, "text", late=late)
                ids = await sender.send_all(chat_id, plain, html=False)
            except TelegramError as again:
                core.record_failed(chat_id, local_date, describe(again))
                return False
            core.record_sent(chat_id, local_date, ids)
            return True
    status: DeliveryStatus = "ambiguous" if action is Action.AMBIGUOUS else "failed"
    core.record_failed(chat_id, local_date, reason, status=status)
    log.warning("briefing %s chat=%s date=%s: %s", status, chat_id, local_date, reason)
    return False


async def run_due(sender: Sender, core: Core) -> int:
    """The planner tick: claim and send every briefing now due; record missed ones as skipped."""
    sent = 0
    for plan in core.due_deliveries():
        if plan.skip_reason is not None:
            core.record_skipped(plan)
            continue
        if not core.claim(plan.chat_id, plan.local_date, late=plan.late):
            continue  # another process or a /post_now got there first
        if await deliver_briefing(sender, core, plan.chat_id, plan.local_date, late=plan.late):
            sent += 1
    return sent


async def broadcast(sender: Sender, core: Core, slots: Sequence[tuple[int, dt.date]]) -> tuple[int, int]:
    """Send the briefings `/post_now` claimed; (sent, not sent)."""
    sent = 0
    for chat_id, local_date in slots:
        if await deliver_briefing(sender, core, chat_id, local_date):
            sent += 1
    return sent, len(slots) - sent
