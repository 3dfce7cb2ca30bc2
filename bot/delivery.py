"""Sending: one message with the retry policy, and one claimed briefing from claim to confirm.

What each error means is decided by `bot.error_policy.classify`; here it is acted on:
- 429: every sender of this process pauses for `retry_after` (a flood limit is the bot's, not the
  chat's), then the same message is retried; a bounded number of waits, no attempt used up;
- 5xx, connection failures, connect/write/pool timeouts: jittered exponential backoff, then retry,
  up to `max_attempts`; then the delivery is recorded as failed;
- a read timeout (or a connection lost after the request went out) is ambiguous: Telegram may hold
  the message. It is recorded (the row is flagged `maybe_duplicate`) and retried at most once;
- 403 and "chat not found": the subscriber goes inactive, settings kept (a new /start revives);
- a migrated group: the subscription moves to the new chat id and the same part is resent there;
- refused HTML ("can't parse entities", impossible by construction): logged with the template
  name, and the briefing goes out as plain text.

A briefing: composed (once per window, zone and time in a broadcast) -> each part sent, the ids of
parts before the last recorded as they go (a resumed claim skips them) -> confirmed with all ids.
The records are written from worker threads: a commit waits for the disk (~5 ms on PostgreSQL),
and the event loop keeps sending meanwhile.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import math
import random
import re
from asyncio import to_thread
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, RetryAfter, TelegramError

from bot.error_policy import Action, backoff_delay, classify, describe, retry_after_seconds
from briefings.commands import Button
from briefings.core import BriefingMemo, Core
from briefings.settings import Settings
from briefings.store.deliveries import Claim
from briefings.store.views import Subscriber

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
BeforeRetry = Callable[[TelegramError, Action], Awaitable[bool]]
Outcome = Literal["sent", "failed", "ambiguous", "gone", "skipped", "lost"]
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
BRIEFING_TEMPLATE = "briefing"


@dataclass(frozen=True)
class DeliveryPolicy:
    """How hard to try; tests pass small delays, production derives concurrency from the rate."""

    max_attempts: int = 5           # failed attempts (5xx, connection, ambiguous) before giving up
    backoff_base: float = 1.0       # seconds before the first retry; doubles each time
    backoff_cap: float = 60.0
    max_flood_waits: int = 10       # 429s one message may wait through
    max_flood_wait: float = 900.0   # a larger retry_after is clipped to this
    concurrency: int = 8            # briefings in flight at once (the rate limiter paces them)
    batch: int = 100                # slots claimed per transaction

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        """Enough briefings in flight to keep the configured rate busy at ~30 ms a request (4 at
        least, 32 at most): more in flight than needed costs CPU (the HTTP pool's bookkeeping grows
        with it; bench/README.md), and past ~400/s one process is CPU-bound anyway."""
        return cls(concurrency=max(4, min(32, math.ceil(settings.rate_per_second / 30))))


class ClaimLost(Exception):
    """Another process took this delivery over (our lease ran out): it must not be sent from here."""


def markup(keyboard: Sequence[Sequence[Button]]) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup([[InlineKeyboardButton(b.text, callback_data=b.data) for b in row]
                                 for row in keyboard])


def plain_text(markup_html: str) -> str:
    """A reply's HTML as plain text (tags dropped, entities decoded): the last-resort fallback."""
    return html.unescape(re.sub(r"<[^<>]*>", "", markup_html)) or " "


@dataclass
class Sender:
    """Sends messages under a `DeliveryPolicy`; `sleep` is injectable so tests never really wait."""

    bot: Bot
    sleep: Sleep = asyncio.sleep
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    rng: random.Random = field(default_factory=random.Random)
    _open: asyncio.Event = field(default_factory=asyncio.Event, init=False, repr=False)
    _pauses: int = field(default=0, init=False, repr=False)

    def __post_init__(self) -> None:
        self._open.set()

    async def send(self, chat_id: int, text: str, keyboard: Sequence[Sequence[Button]] = (), *,
                   html: bool = True, before_retry: BeforeRetry | None = None) -> Message:
        """One message, retried as the policy says; raises the last error when it gives up.

        `before_retry` runs before every retry (it records the attempt, renews the claim) and
        returning False stops with `ClaimLost`.
        """
        failures = flood_waits = 0
        ambiguous = False
        while True:
            await self._open.wait()
            try:
                return await self.bot.send_message(
                    chat_id, text, parse_mode=ParseMode.HTML if html else None,
                    reply_markup=markup(keyboard), link_preview_options=NO_PREVIEW)
            except TelegramError as error:
                action = classify(error)
                if action is Action.WAIT_AND_RETRY and isinstance(error, RetryAfter):
                    flood_waits += 1
                    if flood_waits > self.policy.max_flood_waits:
                        raise
                    wait = min(retry_after_seconds(error), self.policy.max_flood_wait)
                    log.info("flood wait chat=%s seconds=%s", chat_id, wait)
                    await self._pause(wait)
                elif action in (Action.RETRY, Action.AMBIGUOUS):
                    failures += 1
                    if failures >= self.policy.max_attempts or (action is Action.AMBIGUOUS and ambiguous):
                        raise
                    ambiguous = ambiguous or action is Action.AMBIGUOUS
                    log.info("retry chat=%s attempt=%d action=%s: %s", chat_id, failures, action.value,
                             describe(error))
                    await self.sleep(backoff_delay(failures, self.policy.backoff_base,
                                                   self.policy.backoff_cap, self.rng))
                else:
                    raise
                if before_retry is not None and not await before_retry(error, action):
                    raise ClaimLost(f"chat {chat_id}") from error

    async def _pause(self, seconds: float) -> None:
        """Hold every send of this process for `seconds` (overlapping pauses end with the last)."""
        self._pauses += 1
        self._open.clear()
        try:
            await self.sleep(seconds)
        finally:
            self._pauses -= 1
            if self._pauses == 0:
                self._open.set()

    async def send_all(self, chat_id: int, texts: Sequence[str], keyboard: Sequence[Sequence[Button]] = (),
                       *, html: bool = True) -> list[int]:
        """Every part in order; the keyboard goes under the last one. Refused HTML goes as plain text."""
        ids = []
        for index, text in enumerate(texts):
            last = index == len(texts) - 1
            try:
                message = await self.send(chat_id, text, keyboard if last else (), html=html)
            except TelegramError as error:
                if not html or classify(error) is not Action.PLAIN_TEXT:
                    raise
                log.error("Telegram refused reply HTML chat=%s part=%d: %s", chat_id, index, describe(error))
                message = await self.send(chat_id, plain_text(text), keyboard if last else (), html=False)
            ids.append(message.message_id)
        return ids


@dataclass
class Composer:
    """Composes the briefings of one broadcast at one instant, sharing renderings through a memo."""

    core: Core
    at: dt.datetime
    memo: BriefingMemo = field(default_factory=BriefingMemo)

    def messages(self, sub: Subscriber, late: bool, *, html: bool = True) -> list[str]:
        return self.core.delivery_messages(sub, at=self.at, late=late, fmt="html" if html else "text",
                                           memo=self.memo)


async def deliver(sender: Sender, core: Core, claim: Claim, sub: Subscriber, composer: Composer, *,
                  parts: Sequence[str] | None = None) -> Outcome:
    """Send one claimed briefing (`parts`, if already composed) and record how it ended."""
    chat_id, day = claim.chat_id, claim.local_date
    if not sub.active:
        await to_thread(core.record_failed, chat_id, day, "no longer subscribed", status="skipped")
        return "skipped"
    if claim.maybe_duplicate and core.abandoned(claim, sub):
        await to_thread(core.record_failed, chat_id, day, "abandoned by a stopped process and now past the "
                        "grace period; it may have been delivered", status="ambiguous")
        log.warning("briefing abandoned chat=%s date=%s", chat_id, day)
        return "ambiguous"

    async def before_retry(error: TelegramError, action: Action) -> bool:
        if action is not Action.WAIT_AND_RETRY:
            await to_thread(core.record_attempt, chat_id, day, describe(error),
                            ambiguous=action is Action.AMBIGUOUS)
        return await to_thread(core.renew_claim, chat_id, day)

    as_html = True
    parts = list(parts) if parts is not None else composer.messages(sub, claim.late)
    ids = list(claim.message_ids)
    while len(ids) < len(parts):
        try:
            message = await sender.send(chat_id, parts[len(ids)], html=as_html, before_retry=before_retry)
        except ChatMigrated as error:
            new_id = int(error.new_chat_id)
            await to_thread(core.chat_migrated, chat_id, new_id)
            log.info("chat migrated old=%s new=%s", chat_id, new_id)
            chat_id = new_id
            continue
        except ClaimLost:
            log.warning("claim lost chat=%s date=%s: another process took it over", chat_id, day)
            return "lost"
        except TelegramError as error:
            action = classify(error)
            if action is Action.PLAIN_TEXT and as_html:
                log.error("Telegram refused the HTML of template=%s chat=%s part=%d: %s",
                          BRIEFING_TEMPLATE, chat_id, len(ids), describe(error))
                as_html = False
                parts = composer.messages(sub, claim.late, html=False)
                continue
            return await to_thread(_record_failure, core, chat_id, day, error, action)
        ids.append(message.message_id)
        if len(ids) < len(parts):
            await to_thread(core.record_progress, chat_id, day, ids)
    await to_thread(core.record_sent, chat_id, day, ids, covered_until=composer.at)
    log.info("briefing sent chat=%s date=%s parts=%d late=%s", chat_id, day, len(ids), claim.late)
    return "sent"


def _record_failure(core: Core, chat_id: int, day: dt.date, error: TelegramError, action: Action) -> Outcome:
    reason = describe(error)
    if action is Action.GONE:
        core.subscriber_gone(chat_id, reason)
        core.record_failed(chat_id, day, reason)
        log.info("chat gone chat=%s: %s", chat_id, reason)
        return "gone"
    status: Literal["ambiguous", "failed"] = "ambiguous" if action is Action.AMBIGUOUS else "failed"
    core.record_failed(chat_id, day, reason, status=status)
    log.warning("briefing %s chat=%s date=%s action=%s: %s", status, chat_id, day, action.value, reason)
    return status
