"""Telegram's flood limits as a python-telegram-bot rate limiter.

`AIORateLimiter` (the `rate-limiter` extra, built on aiolimiter) paces every chat-bound request to
the overall rate (about 30 messages/s for a normal bot, more with paid broadcasts) and group chats
to 20 a minute. It does not pace private chats one by one, and Telegram asks for at most about one
message a second in any chat: `PacedRateLimiter` adds that, for the methods that send messages.
429 answers are not retried here (`max_retries=0`): `bot.delivery` waits them out for every sender
of the process and records what happened.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.ext import AIORateLimiter, BaseRateLimiter

from briefings.settings import Settings

JSONDict = dict[str, Any]
Result = bool | JSONDict | list[JSONDict]
# The overall limit is measured in tenths of a second, so a 30/s bot sends 3 at a time, not 30.
WINDOW_S = 0.1
_KEEP_CHATS = 1024


def _sends_a_message(endpoint: str) -> bool:
    return endpoint.startswith("send") or endpoint in ("copyMessage", "copyMessages", "forwardMessage",
                                                       "forwardMessages")


class PacedRateLimiter(BaseRateLimiter[int]):
    """`AIORateLimiter` for the overall and group limits, plus `per_chat` messages a second per chat."""

    def __init__(self, overall_per_second: float, *, per_chat: float = 1.0) -> None:
        burst = max(1.0, overall_per_second * WINDOW_S)
        self.overall = AIORateLimiter(overall_max_rate=burst, overall_time_period=burst / overall_per_second,
                                      max_retries=0)
        self.per_chat = per_chat
        self._chats: OrderedDict[int | str, tuple[AsyncLimiter, float]] = OrderedDict()

    async def initialize(self) -> None:
        await self.overall.initialize()

    async def shutdown(self) -> None:
        await self.overall.shutdown()

    def _chat_limiter(self, chat_id: int | str) -> AsyncLimiter:
        now = time.monotonic()
        found = self._chats.pop(chat_id, None)
        limiter = found[0] if found is not None else AsyncLimiter(1, 1 / self.per_chat)
        self._chats[chat_id] = (limiter, now)
        # Forget chats idle for longer than their period (their bucket is empty again), oldest first.
        while len(self._chats) > _KEEP_CHATS:
            _, (_, used) = next(iter(self._chats.items()))
            if now - used < 1 / self.per_chat:
                break
            self._chats.popitem(last=False)
        return limiter

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat_id = data.get("chat_id")
        if chat_id is None or self.per_chat <= 0 or not _sends_a_message(endpoint):
            return await self.overall.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
        async with self._chat_limiter(chat_id if isinstance(chat_id, int | str) else str(chat_id)):
            return await self.overall.process_request(callback, args, kwargs, endpoint, data, rate_limit_args)


def rate_limiter_for(settings: Settings, *, per_chat: float = 1.0) -> PacedRateLimiter:
    """The limiter production uses: the overall rate from `BRIEFBOT_RATE_PER_SECOND`, 1/s per chat."""
    return PacedRateLimiter(settings.rate_per_second, per_chat=per_chat)
