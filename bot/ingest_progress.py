"""`/ingest URL` off the event loop: "typing…", then one progress message edited in place.

Fetching a page can take seconds and extracting it a moment more; each step runs in a worker
thread, so other chats keep getting answers meanwhile. The admin sees "Fetching the page…",
"Extracting facts…", then the report, all in the same message.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import ContextTypes

from bot.delivery import NO_PREVIEW
from briefings.commands import FETCHING, Reply, Request, UrlIngest
from briefings.core import Caller, Core
from briefings.errors import BriefbotError, InputError

log = logging.getLogger(__name__)


def _notice(core: Core, text: str) -> str:
    return core.renderer.message("notice", "html", text=f"⏳ {text}", title=None)[0]


async def ingest_url(context: ContextTypes.DEFAULT_TYPE, core: Core, caller: Caller, target: str) -> None:
    """Run `/ingest URL` for an admin in steps off the loop, editing one message as it goes."""
    request = Request(core, caller, "html")
    bot = context.bot
    try:
        job = UrlIngest.start(request, target)
    except InputError as error:
        await _send(context, caller.chat_id, request.say(f"{error}\nUsage: /ingest URL"))
        return
    await _typing(context, caller.chat_id)
    progress = await bot.send_message(caller.chat_id, _notice(core, FETCHING), parse_mode=ParseMode.HTML,
                                      link_preview_options=NO_PREVIEW)
    try:
        note = await asyncio.to_thread(job.fetch)
        await _edit(progress, _notice(core, note))
        await _typing(context, caller.chat_id)
        reply = await asyncio.to_thread(job.store)
    except BriefbotError as error:
        log.warning("ingest failed: %s", type(error).__name__)
        reply = request.say(str(error))
    await _edit(progress, reply.messages[0])
    if reply.messages[1:]:
        await _send(context, caller.chat_id, reply.model_copy(update={"messages": reply.messages[1:]}))


async def _typing(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    try:
        await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    except TelegramError as error:  # a nicety: never a reason to stop the ingest
        log.info("chat action failed: %s", type(error).__name__)


async def _edit(message: Message, html: str) -> None:
    try:
        await message.edit_text(html, parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            raise


async def _send(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply) -> None:
    from bot.handlers import send_reply

    await send_reply(context, chat_id, reply)
