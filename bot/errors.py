"""The global error handler: the last net for anything a handler did not catch.

What to do about each Telegram error is decided in `bot.error_policy` (re-exported here).
"""

from __future__ import annotations

import contextlib
import html
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.error_policy import Action, classify, describe
from briefings.errors import SERVICE_TROUBLE

__all__ = ["Action", "classify", "describe", "on_error"]

log = logging.getLogger(__name__)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure (no token, no message texts) and tell the user briefly, naming no internals."""
    error = context.error
    log.error("handler failed: %s", describe(error) if error else "unknown", exc_info=error)
    if isinstance(update, Update) and update.effective_chat is not None:
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer("Sorry, that did not work.")
            return
        try:
            await context.bot.send_message(update.effective_chat.id,
                                           html.escape(SERVICE_TROUBLE))
        except TelegramError as send_error:
            log.warning("could not report the failure: %s", describe(send_error))
