"""Admin flows: uploaded articles, and the command menus (`set_my_commands`) from the one table.

The admin gate itself lives in `briefings` (`Core.is_admin`, applied to every command, button and
upload); this module only carries files in and menus out.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import BotCommand, BotCommandScopeChat, BotCommandScopeDefault, Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.errors import describe
from bot.handlers import caller_for, core_of, send_reply
from briefings.commands import COMMANDS, ingest_upload, upload_gate
from briefings.core import Core

log = logging.getLogger(__name__)


def menu(admin: bool) -> list[BotCommand]:
    """The commands a menu shows: users' always, admins' only in admins' own chats."""
    return [BotCommand(c.name, c.description) for c in COMMANDS if admin or not c.admin]


async def publish_menus(application: Application, core: Core) -> None:  # type: ignore[type-arg]
    """`set_my_commands` from the table: the default scope, then each admin's private chat."""
    bot = application.bot
    await bot.set_my_commands(menu(admin=False), scope=BotCommandScopeDefault())
    for admin_id in sorted(core.settings.admins):
        try:
            await bot.set_my_commands(menu(admin=True), scope=BotCommandScopeChat(admin_id))
        except TelegramError as error:
            # An admin who never opened the bot has no chat yet; their menu comes when they do.
            log.info("admin menu not set for user=%s: %s", admin_id, describe(error))


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """An uploaded `.txt`/`.html`/`.json` from an admin: downloaded, read, extracted, stored."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    caller = await caller_for(update, context, check_admin=False)
    if caller is None:
        return
    core = core_of(context)
    document = message.document
    name = document.file_name or "upload.txt"
    refusal = upload_gate(core, caller, name, document.file_size, "html")
    if refusal is not None:
        await send_reply(context, caller.chat_id, refusal)
        return
    telegram_file = await document.get_file()
    data = bytes(await telegram_file.download_as_bytearray())
    log.info("upload from user=%s bytes=%d", caller.user_id, len(data))
    # Extraction takes a moment: off the event loop, so other chats keep getting answers.
    reply = await asyncio.to_thread(ingest_upload, core, caller, name, data, "html")
    await send_reply(context, caller.chat_id, reply)
