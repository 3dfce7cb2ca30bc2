"""Sending a chart: one `sendPhoto` with its caption and buttons (the bot's rate limiter paces it)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from telegram import Bot, InputFile
from telegram.error import RetryAfter

from bot.delivery import markup
from bot.error_policy import retry_after_seconds
from briefings.commands import Button

log = logging.getLogger(__name__)

MAX_FLOOD_WAIT = 60.0


async def send_photo(bot: Bot, chat_id: int, png: bytes, caption: str | None,
                     keyboard: Sequence[Sequence[Button]] = ()) -> int:
    """Send the PNG (caption as plain text: it may hold any name); one wait on a 429."""
    for attempt in (1, 2):
        try:
            message = await bot.send_photo(chat_id, InputFile(png, filename="chart.png"),
                                           caption=caption, reply_markup=markup(keyboard))
            return message.message_id
        except RetryAfter as error:
            if attempt == 2:
                raise
            wait = min(retry_after_seconds(error), MAX_FLOOD_WAIT)
            log.info("flood wait before a chart chat=%s seconds=%s", chat_id, wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")
