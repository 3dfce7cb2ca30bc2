"""Writing the heartbeat `briefbot status --health` reads (briefings/heartbeat.py).

Polling: every getUpdates that Telegram answers is a beat (at most one file write per
`EVERY_S`), so a process whose polling stopped goes stale within minutes. Webhook: Telegram
pushes, and a quiet hour is no fault; a job asks `getWebhookInfo` each minute and beats unless
Telegram reports that it cannot deliver to the webhook (pending updates and a recent error).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from pathlib import Path
from typing import Any

from telegram import WebhookInfo
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes
from telegram.request import HTTPXRequest

from briefings.heartbeat import beat

log = logging.getLogger(__name__)

EVERY_S = 30
WEBHOOK_JOB = "webhook-heartbeat"
# A delivery error this recent, with updates waiting, means Telegram cannot reach the webhook.
WEBHOOK_ERROR_WINDOW = dt.timedelta(minutes=5)


class HeartbeatRequest(HTTPXRequest):
    """The connection getUpdates uses (one, as python-telegram-bot's default), beating on each answer."""

    def __init__(self, path: Path, **kwargs: Any) -> None:
        super().__init__(connection_pool_size=1, **kwargs)
        self.path = path
        self._last = float("-inf")

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        status, payload = await super().do_request(*args, **kwargs)
        if status == 200 and time.monotonic() - self._last >= EVERY_S:
            safe_beat(self.path, "polling")
            self._last = time.monotonic()
        return status, payload


def safe_beat(path: Path, mode: str) -> None:
    """`beat`, logging (not raising) when the file cannot be written."""
    try:
        beat(path, mode)
    except OSError as error:  # an unwritable heartbeat shows as unhealthy; the bot goes on
        log.warning("heartbeat not written to %s: %s", path, error.strerror or type(error).__name__)


def webhook_delivering(info: WebhookInfo, now: dt.datetime) -> bool:
    """False when updates wait and Telegram's last attempt to deliver them failed recently."""
    if info.pending_update_count == 0 or info.last_error_date is None:
        return True
    return now - info.last_error_date >= WEBHOOK_ERROR_WINDOW


def install_webhook_heartbeat(application: Application, path: Path,  # type: ignore[type-arg]
                              interval: float = 60) -> None:
    """The webhook mode's heartbeat job (the first beat at once)."""

    async def check(context: ContextTypes.DEFAULT_TYPE) -> None:
        try:
            info = await context.bot.get_webhook_info()
        except TelegramError as error:
            log.warning("webhook heartbeat: getWebhookInfo failed: %s", type(error).__name__)
            return
        if not webhook_delivering(info, dt.datetime.now(dt.UTC)):
            log.warning("webhook heartbeat: Telegram cannot deliver updates (%d waiting): %s",
                        info.pending_update_count, (info.last_error_message or "")[:200])
            return
        safe_beat(path, "webhook")

    assert application.job_queue is not None
    application.job_queue.run_repeating(check, interval=interval, first=0, name=WEBHOOK_JOB)
