"""Sending: one message with the retry policy, and one claimed briefing from claim to confirm.

What each error means is decided by `bot.error_policy.classify`; here it is acted on:
- 429: that chat waits `retry_after`, then the same message is retried (a bounded number of waits,
  no attempt used up); other chats go on. Only when the last few sends, to several chats, all got
  429 is the flood the bot's own: then every sender of the process pauses;
- 5xx, connection failures, connect/write/pool timeouts: jittered exponential backoff, then retry,
  up to `max_attempts`; then the delivery is recorded as failed;
- a read timeout (or a connection lost after the request went out) is ambiguous: Telegram may hold
  the message. It is recorded (the row is flagged `maybe_duplicate`) and retried at most once;
- 403 and "chat not found": the subscriber goes inactive, settings kept (a new /start revives);
- a migrated group: the subscription moves to the new chat id and the same part is resent there;
- refused HTML ("can't parse entities", impossible by construction): logged with the template
  name, and the briefing goes out as plain text.

A briefing: composed (once per window, zone and time in a broadcast) -> before each request the
claim is fenced (`Core.start_send`: still ours, now in flight) -> each part sent, the ids of parts
before the last recorded as they go (a resumed claim skips them) -> confirmed with all ids.
While a delivery waits (flood wait, backoff, the 1 s between parts of one chat) it gives its
sending slot to another one. The records are written from worker threads through a `StoreGate`:
a commit waits for the disk (~5 ms on PostgreSQL), and the event loop keeps sending meanwhile;
when the database does not answer, every delivery waits on one shared backoff.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import logging
import math
import random
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal, ParamSpec, TypeVar

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message
from telegram.constants import ParseMode
from telegram.error import ChatMigrated, RetryAfter, TelegramError

from bot.error_policy import Action, backoff_delay, classify, describe, retry_after_seconds
from briefings.commands import Button
from briefings.core import BriefingMemo, Core
from briefings.errors import StoreError
from briefings.settings import Settings
from briefings.store.deliveries import Claim
from briefings.store.views import Subscriber

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
BeforeRetry = Callable[[TelegramError, Action], Awaitable[bool]]
BeforeSend = Callable[[], Awaitable[bool]]
# "released": given back unsent (the process stops); "stuck": not recorded (the database is down).
Outcome = Literal["sent", "failed", "ambiguous", "gone", "skipped", "lost", "released", "stuck"]
P = ParamSpec("P")
T = TypeVar("T")
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
    concurrency: int = 8            # briefings sending at once (the rate limiter paces them)
    batch: int = 100                # slots claimed per transaction
    part_gap: float = 1.0           # seconds between two parts to one chat (Telegram: ~1 message/s)
    global_flood_after: int = 5     # this many 429s in a row, on 2+ chats: the whole bot is limited
    store_retries: int = 12         # rounds of waiting for the database before a delivery gives up
    store_backoff_cap: float = 10.0

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryPolicy:
        """Enough briefings sending at once to keep the configured rate busy when a briefing takes
        ~250 ms from fence to confirm (two commits and a request on a loaded machine): 8 at least,
        32 at most. More costs CPU (the HTTP pool's bookkeeping grows with it; bench/README.md),
        and a waiting briefing gives its slot away anyway."""
        return cls(concurrency=max(8, min(32, math.ceil(settings.rate_per_second / 4))))

    def claims_per_batch(self, rate_per_second: float, lease: dt.timedelta) -> int:
        """A batch must be sent well within its lease at the configured rate: at most the number of
        messages a third of the lease allows (so at 30/s and a 5-minute lease the 100 stand)."""
        return max(1, min(self.batch, int(rate_per_second * lease.total_seconds() / 3)))


class ClaimLost(Exception):
    """Another process took this delivery over (our lease ran out): it must not be sent from here."""


class Stopped(Exception):
    """The process is stopping: a delivery that has not sent yet gives its claim back."""


class StoreGate:
    """Store calls from the event loop, in a worker thread; while the database does not answer,
    every caller waits on one shared backoff round, and each round is one log line."""

    def __init__(self, policy: DeliveryPolicy, sleep: Sleep, rng: random.Random) -> None:
        self.policy = policy
        self.sleep = sleep
        self.rng = rng
        self.failures = 0
        self._round: asyncio.Future[None] | None = None

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        for _ in range(self.policy.store_retries):
            try:
                result = await asyncio.to_thread(fn, *args, **kwargs)
            except StoreError as error:
                await self._wait_round(error)
                continue
            if self.failures:
                log.warning("database answers again after %d attempt(s)", self.failures)
                self.failures = 0
            return result
        return await asyncio.to_thread(fn, *args, **kwargs)  # the last try: its error goes up

    async def _wait_round(self, error: StoreError) -> None:
        if self._round is not None and not self._round.done():
            await asyncio.shield(self._round)
            return
        self._round = asyncio.get_running_loop().create_future()
        self.failures += 1
        delay = backoff_delay(self.failures, 0.5, self.policy.store_backoff_cap, self.rng)
        log.warning("database unavailable (attempt %d), retrying in %.1f s: %s", self.failures, delay, error)
        try:
            await self.sleep(delay)
        finally:
            self._round.set_result(None)


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
    stopping: asyncio.Event = field(default_factory=asyncio.Event)
    flood_waiting: int = field(default=0, init=False)
    # Claims a broadcast could not give back (the database was down); the next run does.
    orphans: set[tuple[int, dt.date]] = field(default_factory=set, init=False)
    _open: asyncio.Event = field(default_factory=asyncio.Event, init=False, repr=False)
    _pauses: int = field(default=0, init=False, repr=False)
    _recent: deque[tuple[int, bool]] = field(default_factory=deque, init=False, repr=False)
    _store: StoreGate | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self._open.set()

    @property
    def store(self) -> StoreGate:
        if self._store is None:
            self._store = StoreGate(self.policy, self.sleep, self.rng)
        return self._store

    async def send(self, chat_id: int, text: str, keyboard: Sequence[Sequence[Button]] = (), *,
                   html: bool = True, before_retry: BeforeRetry | None = None,
                   before_send: BeforeSend | None = None, slot: asyncio.Semaphore | None = None) -> Message:
        """One message, retried as the policy says; raises the last error when it gives up.

        `before_send` runs before every request (it fences the claim) and `before_retry` before
        every retry (it records the attempt); either returning False stops with `ClaimLost`. A
        held `slot` is given up while this message waits, and taken again before it is sent.
        """
        failures = flood_waits = 0
        ambiguous = False
        while True:
            await self._open.wait()
            if before_send is not None and not await before_send():
                raise ClaimLost(f"chat {chat_id}")
            try:
                message = await self.bot.send_message(
                    chat_id, text, parse_mode=ParseMode.HTML if html else None,
                    reply_markup=markup(keyboard), link_preview_options=NO_PREVIEW)
            except TelegramError as error:
                action = classify(error)
                flooded = action is Action.WAIT_AND_RETRY and isinstance(error, RetryAfter)
                self._note(chat_id, flooded)
                if flooded and isinstance(error, RetryAfter):
                    flood_waits += 1
                    if flood_waits > self.policy.max_flood_waits:
                        raise
                    delay = min(retry_after_seconds(error), self.policy.max_flood_wait)
                elif action in (Action.RETRY, Action.AMBIGUOUS):
                    failures += 1
                    if failures >= self.policy.max_attempts or (action is Action.AMBIGUOUS and ambiguous):
                        raise
                    ambiguous = ambiguous or action is Action.AMBIGUOUS
                    delay = backoff_delay(failures, self.policy.backoff_base, self.policy.backoff_cap,
                                          self.rng)
                else:
                    raise
                if before_retry is not None and not await before_retry(error, action):
                    raise ClaimLost(f"chat {chat_id}") from error
                if not flooded:
                    log.info("retry chat=%s attempt=%d action=%s: %s", chat_id, failures, action.value,
                             describe(error))
                    await self.wait(delay, slot)
                elif self._global_flood():
                    log.warning("flood control for the whole bot: every send waits %s s", delay)
                    await self._pause(delay)
                else:
                    log.info("flood wait chat=%s seconds=%s", chat_id, delay)
                    self.flood_waiting += 1
                    try:
                        await self.wait(delay, slot)
                    finally:
                        self.flood_waiting -= 1
            else:
                self._note(chat_id, False)
                return message

    async def wait(self, seconds: float, slot: asyncio.Semaphore | None = None, *,
                   stoppable: bool = True) -> None:
        """Wait without holding `slot` (another delivery sends meanwhile); `Stopped` when the
        process stops during a `stoppable` wait."""
        if slot is not None:
            slot.release()
        try:
            if seconds > 0 and not stoppable:
                await self.sleep(seconds)
            elif seconds > 0:
                sleeping = asyncio.ensure_future(self.sleep(seconds))
                stopping = asyncio.ensure_future(self.stopping.wait())
                try:
                    await asyncio.wait({sleeping, stopping}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    for task in (sleeping, stopping):
                        task.cancel()
            if stoppable and self.stopping.is_set():
                raise Stopped
        finally:
            if slot is not None:
                await slot.acquire()

    def _note(self, chat_id: int, flooded: bool) -> None:
        self._recent.append((chat_id, flooded))
        while len(self._recent) > self.policy.global_flood_after:
            self._recent.popleft()

    def _global_flood(self) -> bool:
        """Telegram names no scope in a 429: when the last few sends, to more than one chat, were
        all refused, the limit is the bot's own, and waiting chat by chat would only add 429s."""
        recent = list(self._recent)
        return (len(recent) >= self.policy.global_flood_after and all(flooded for _, flooded in recent)
                and len({chat for chat, _ in recent}) > 1)

    async def _pause(self, seconds: float) -> None:
        """Hold every send of this process for `seconds` (overlapping pauses end with the last)."""
        self._pauses += 1
        self._open.clear()
        self._recent.clear()
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
                  parts: Sequence[str] | None = None, slot: asyncio.Semaphore | None = None) -> Outcome:
    """Send one claimed briefing (`parts`, if already composed) and record how it ended.

    `slot`, held by the caller, is given up while the briefing waits. When the process stops
    before the first request goes out, the claim is left to the caller to give back ("released").
    """
    chat_id, day = claim.chat_id, claim.local_date
    store = sender.store
    if not sub.active:
        await store.call(core.record_failed, chat_id, day, "no longer subscribed", status="skipped")
        return "skipped"
    if claim.maybe_duplicate and core.abandoned(claim, sub):
        await store.call(core.record_failed, chat_id, day, "abandoned by a stopped process and now past the "
                         "grace period; it may have been delivered", status="ambiguous")
        log.warning("briefing abandoned chat=%s date=%s", chat_id, day)
        return "ambiguous"

    async def before_send() -> bool:
        return await store.call(core.start_send, chat_id, day)

    async def before_retry(error: TelegramError, action: Action) -> bool:
        await store.call(core.record_attempt, chat_id, day, describe(error),
                         ambiguous=action is Action.AMBIGUOUS, counted=action is not Action.WAIT_AND_RETRY)
        return True

    as_html = True
    parts = list(parts) if parts is not None else composer.messages(sub, claim.late)
    ids = list(claim.message_ids)
    last_part = 0.0
    while len(ids) < len(parts):
        try:
            if ids:  # Telegram takes about one message a second per chat; others send meanwhile.
                # A briefing begun is finished, even when the process is stopping.
                await sender.wait(sender.policy.part_gap - (time.monotonic() - last_part), slot,
                                  stoppable=False)
            elif sender.stopping.is_set():
                raise Stopped
            message = await sender.send(chat_id, parts[len(ids)], html=as_html, before_retry=before_retry,
                                        before_send=before_send, slot=slot)
        except ChatMigrated as error:
            new_id = int(error.new_chat_id)
            await store.call(core.chat_migrated, chat_id, new_id)
            log.info("chat migrated old=%s new=%s", chat_id, new_id)
            chat_id = new_id
            continue
        except ClaimLost:
            log.warning("claim lost chat=%s date=%s: another process took it over", chat_id, day)
            return "lost"
        except Stopped:
            if ids:  # the parts sent are recorded: whoever takes it over sends the rest
                await store.call(core.record_progress, chat_id, day, ids)
            return "released"
        except TelegramError as error:
            action = classify(error)
            if action is Action.PLAIN_TEXT and as_html:
                log.error("Telegram refused the HTML of template=%s chat=%s part=%d: %s",
                          BRIEFING_TEMPLATE, chat_id, len(ids), describe(error))
                as_html = False
                parts = composer.messages(sub, claim.late, html=False)
                continue
            return await store.call(_record_failure, core, chat_id, day, error, action)
        ids.append(message.message_id)
        last_part = time.monotonic()
        if len(ids) < len(parts):
            await store.call(core.record_progress, chat_id, day, ids)
    await store.call(core.record_sent, chat_id, day, ids, covered_until=composer.at)
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
