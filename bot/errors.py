"""What to do about a Telegram error, and the global error handler (the last net).

`classify` looks at the most specific class first: `BadRequest` and `TimedOut` are both
`NetworkError`s, and treating them as transient would retry permanent errors forever.
"""

from __future__ import annotations

import contextlib
import html
import logging
from enum import Enum

from telegram import Update
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import ContextTypes

log = logging.getLogger(__name__)


class Action(Enum):
    WAIT_AND_RETRY = "wait"        # 429: wait `retry_after`, does not use up an attempt
    RETRY = "retry"                # 5xx, connection failures: back off and retry a bounded number of times
    AMBIGUOUS = "ambiguous"        # read timeout: Telegram may have delivered it
    GONE = "gone"                  # 403: blocked, kicked, deactivated: stop delivering to the chat
    MIGRATED = "migrated"          # the group became a supergroup: move to the new id and resend
    PLAIN_TEXT = "plain_text"      # the HTML was refused: resend the plain-text rendering
    GIVE_UP = "give_up"            # any other 400 or error: record it, do not retry


def classify(error: BaseException) -> Action:
    if isinstance(error, RetryAfter):
        return Action.WAIT_AND_RETRY
    if isinstance(error, ChatMigrated):
        return Action.MIGRATED
    if isinstance(error, Forbidden):
        return Action.GONE
    if isinstance(error, BadRequest):
        text = str(error).lower()
        if "parse entities" in text or "unsupported start tag" in text or "can't find end" in text:
            return Action.PLAIN_TEXT
        if "chat not found" in text or "user is deactivated" in text:
            return Action.GONE
        return Action.GIVE_UP
    if isinstance(error, TimedOut):
        return Action.AMBIGUOUS
    if isinstance(error, InvalidToken):
        return Action.GIVE_UP
    if isinstance(error, NetworkError):
        return Action.RETRY
    return Action.GIVE_UP


def describe(error: BaseException) -> str:
    """One line for logs and delivery records: the class and Telegram's own words, never a URL."""
    name = type(error).__name__
    if isinstance(error, TelegramError):
        return f"{name}: {error.message}"[:300]
    return name


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (no token, no message texts) and tell the user briefly."""
    error = context.error
    log.error("handler failed: %s", describe(error) if error else "unknown", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer("Sorry, that did not work.")
            return
        try:
            await context.bot.send_message(update.effective_chat.id,
                                           html.escape("Sorry, something went wrong. Please try again."))
        except TelegramError as send_error:
            log.warning("could not report the failure: %s", describe(send_error))
