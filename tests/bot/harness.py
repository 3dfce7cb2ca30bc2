"""A running bot against the fake server: polling through PTB's real HTTP stack, the planner paused.

The planner job is never left to fire on its own: the harness pauses it and tests call
`tick()`, which runs the job's callback once at the driven clock's time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from telegram.ext import Application, BaseRateLimiter, ContextTypes, Job

from bot.app import build_application
from bot.delivery import Sender
from bot.handlers import SENDER_KEY
from bot.scheduler import PLANNER_JOB
from briefings.core import Core
from tests.support.fake_bot_api import Call, FakeBotApi

ADMIN_ID = 1
SENTINEL_CHAT = 999_999
TEST_DEADLINE_S = 60


class FakeClock:
    """The clock `Core` reads; tests move it, nothing sleeps."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def set(self, moment: dt.datetime) -> None:
        self.now = moment


class Bot:
    """The application, started and polling; `errors` collects what reached the error handler."""

    def __init__(self, api: FakeBotApi, core: Core, *, rate_limiter: BaseRateLimiter[Any] | None = None,
                 real_sleep: bool = False) -> None:
        self.api = api
        self.core = core
        self.app: Application[Any, Any, Any, Any, Any, Any] = build_application(core.settings, core,
                                                                                rate_limiter=rate_limiter)
        self.errors: list[BaseException] = []
        self.sleeps: list[float] = []

        async def fake_sleep(seconds: float) -> None:
            self.sleeps.append(seconds)

        async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            if context.error is not None:
                self.errors.append(context.error)

        sleep = asyncio.sleep if real_sleep else fake_sleep
        self.app.bot_data[SENDER_KEY] = Sender(self.app.bot, sleep=sleep)
        self.app.add_error_handler(record_error)

    @property
    def planner(self) -> Job[Any]:
        (job,) = self.app.job_queue.get_jobs_by_name(PLANNER_JOB)  # type: ignore[union-attr]
        return job

    async def start(self) -> None:
        await self.app.initialize()
        if self.app.post_init is not None:
            await self.app.post_init(self.app)
        await self.app.start()
        self.planner.enabled = False  # driven by tick(), never by the wall clock
        assert self.app.updater is not None
        await self.app.updater.start_polling(poll_interval=0.0, timeout=dt.timedelta(seconds=1))

    async def stop(self) -> None:
        if self.app.updater is not None and self.app.updater.running:
            await self.app.updater.stop()
        if self.app.running:
            await self.app.stop()
        await self.app.shutdown()

    async def tick(self) -> None:
        """Run the planner job's callback once, now (at the driven clock's time)."""
        await self.planner.run(self.app)

    async def send(self, update: dict[str, Any], method: str = "sendMessage",
                   predicate: Callable[[Call], bool] | None = None, count: int = 1) -> list[Call]:
        """Push an update and wait (bounded) for the bot's answer."""
        mark = self.api.mark()
        self.api.push(update)
        return await asyncio.to_thread(self.api.wait_for, method, predicate, count=count, after=mark)

    async def ask(self, chat_id: int, text: str, contains: str = "") -> Call:
        """A private-chat command from user `chat_id`; the first answer to that chat (holding `contains`)."""
        calls = await self.send(self.api.command(chat_id, chat_id, text),
                                predicate=lambda c: c.chat_id == chat_id and contains in c.visible)
        return calls[0]

    async def quiet(self, update: dict[str, Any]) -> list[Call]:
        """Push an update and return what the bot did about it (possibly nothing).

        Once a sentinel /help pushed right after it is answered, the update has been fetched; chats
        are handled concurrently, so then wait (bounded) until no update is being handled.
        """
        mark = self.api.mark()
        self.api.push(update, self.api.command(SENTINEL_CHAT, SENTINEL_CHAT, "/help"))
        await asyncio.to_thread(self.api.wait_for, "sendMessage", lambda c: c.chat_id == SENTINEL_CHAT,
                                after=mark)
        processor = self.app.update_processor
        for _ in range(500):
            if processor.current_concurrent_updates == 0 and self.app.update_queue.empty():
                break
            await asyncio.sleep(0.01)
        return [c for c in self.api.calls[mark:] if c.chat_id != SENTINEL_CHAT]


def run_bot(api: FakeBotApi, core: Core, scenario: Callable[[Bot], Awaitable[None]], *,
            rate_limiter: BaseRateLimiter[Any] | None = None, real_sleep: bool = False) -> Bot:
    """Start the bot, run the scenario under a deadline, always stop; fail on handler errors."""
    bot = Bot(api, core, rate_limiter=rate_limiter, real_sleep=real_sleep)

    async def main() -> None:
        await bot.start()
        try:
            await asyncio.wait_for(scenario(bot), TEST_DEADLINE_S)
        finally:
            await bot.stop()

    asyncio.run(main())
    assert not api.html_errors(), api.html_errors()
    return bot
