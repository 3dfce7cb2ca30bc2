"""Telegram updates in, `briefings.commands` replies out: parse the update, call, send the HTML."""

from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.error import BadRequest, TelegramError
from telegram.ext import Application, ContextTypes

from bot.broadcast import Progress, broadcast
from bot.charts import send_photo
from bot.delivery import NO_PREVIEW, DeliveryPolicy, Sender, markup
from bot.ingest_progress import ingest_url
from briefings.commands import (
    Reply,
    callback_changes_chat,
    dispatch,
    find_command,
    run_callback,
    run_command,
    split_command,
)
from briefings.core import Caller, Core

log = logging.getLogger(__name__)

CORE_KEY = "core"
SENDER_KEY = "sender"


def core_of(context: ContextTypes.DEFAULT_TYPE) -> Core:
    core = context.bot_data[CORE_KEY]
    assert isinstance(core, Core)
    return core


def sender_of(context: ContextTypes.DEFAULT_TYPE) -> Sender:
    return sender_of_app(context.application)


def sender_of_app(application: Application) -> Sender:  # type: ignore[type-arg]
    """The process's one `Sender` (made on first use): replies and broadcasts share its state."""
    sender = application.bot_data.get(SENDER_KEY)
    if not isinstance(sender, Sender):
        core = application.bot_data[CORE_KEY]
        assert isinstance(core, Core)
        sender = Sender(application.bot, policy=DeliveryPolicy.from_settings(core.settings))
        application.bot_data[SENDER_KEY] = sender
    return sender


async def caller_for(update: Update, context: ContextTypes.DEFAULT_TYPE, *,
                     check_admin: bool) -> Caller | None:
    """Who is asking; in groups, whether they administer the chat (looked up only when it matters)."""
    chat, user = update.effective_chat, update.effective_user
    if chat is None:
        return None
    chat_admin = chat.type == ChatType.PRIVATE
    if not chat_admin and check_admin:
        message = update.effective_message
        if message is not None and message.sender_chat is not None and message.sender_chat.id == chat.id:
            chat_admin = True  # an anonymous admin posting as the group
        elif user is not None:
            member = await context.bot.get_chat_member(chat.id, user.id)
            chat_admin = member.status in (ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER)
    return Caller(chat_id=chat.id, user_id=user.id if user else None, chat_type=str(chat.type),
                  chat_admin=chat_admin)


async def send_reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply) -> list[int]:
    if reply.photo is not None:
        ids = [await send_photo(context.bot, chat_id, reply.photo, reply.caption,
                                reply.keyboard if not reply.messages else [])]
        return ids + await sender_of(context).send_all(chat_id, reply.messages, reply.keyboard)
    return await sender_of(context).send_all(chat_id, reply.messages, reply.keyboard)


async def on_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every command, known or not, through the one command table."""
    message = update.effective_message
    if message is None or not message.text:
        return
    parsed = split_command(message.text, context.bot.username)
    if parsed is None:
        return  # a command for another bot in a group
    name, args = parsed
    entry = find_command(name)
    caller = await caller_for(update, context, check_admin=entry is not None and entry.chat_settings)
    if caller is None:
        return
    core = core_of(context)
    if entry is not None and entry.admin and core.is_admin(caller):
        # Who did what, for every admin action (refusals are logged by the gate itself).
        log.info("admin action command=%s user=%s chat=%s", entry.name, caller.user_id, caller.chat_id)
    if entry is not None and entry.name == "ingest" and core.is_admin(caller):
        await ingest_url(context, core, caller, args)  # in steps, progress edited in place
        return
    # Off the event loop: a slow query for one chat does not hold up the others.
    reply = await asyncio.to_thread(run_command, core, caller, name, args, "html")
    ids = await send_reply(context, caller.chat_id, reply)
    if reply.broadcast:
        # In the background: other chats keep getting answers while a long broadcast runs.
        context.application.create_task(_broadcast(context, core, caller, reply, ids[-1]), update=update,
                                        name="post_now")


async def _broadcast(context: ContextTypes.DEFAULT_TYPE, core: Core, caller: Caller, reply: Reply,
                     notice_id: int) -> None:
    """Send `/post_now`'s briefings, editing the admin's notice in place with the progress."""

    async def show(text: str) -> None:
        [html] = core.renderer.message("notice", "html", text=text, title=None)
        try:
            await context.bot.edit_message_text(html, chat_id=caller.chat_id, message_id=notice_id,
                                                parse_mode="HTML", link_preview_options=NO_PREVIEW)
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                raise

    async def progress(now: Progress) -> None:
        await show(f"Posting today's briefing: {now.line()}.")

    sent, failed = await broadcast(sender_of(context), core, reply.broadcast, on_progress=progress)
    log.info("post_now done by user=%s sent=%d failed=%d", caller.user_id, sent, failed)
    text = f"Sent to {sent} subscriber(s)." + (f" {failed} could not be reached." if failed else "")
    await show(text)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A button press: answered every time, and the pressed message edited in place."""
    query = update.callback_query
    if query is None:
        return
    answered = False
    try:
        changes_chat = callback_changes_chat(query.data or "")
        caller = await caller_for(update, context, check_admin=changes_chat)
        if caller is None:
            return
        if changes_chat and caller.in_group:
            log.info("chat settings button user=%s chat=%s allowed=%s", caller.user_id, caller.chat_id,
                     caller.chat_admin)
        reply = run_callback(core_of(context), caller, query.data or "", "html")
        # Answer first: the spinner on the button stops at once, whatever the edit takes.
        answered = await _answer(query, reply.notice)
        if reply.messages:
            await _edit_or_send(context, query.message, caller.chat_id, reply)
    finally:
        if not answered:
            await _answer(query, None)


async def _answer(query: CallbackQuery, notice: str | None) -> bool:
    try:
        await query.answer(notice)
    except TelegramError as error:
        log.info("callback answer failed: %s", type(error).__name__)
    return True


async def _edit_or_send(context: ContextTypes.DEFAULT_TYPE, message: object, chat_id: int,
                        reply: Reply) -> None:
    first, rest = reply.messages[0], reply.messages[1:]
    keyboard = reply.keyboard if not rest else []
    if isinstance(message, Message):
        try:
            await message.edit_text(first, parse_mode="HTML", reply_markup=markup(keyboard),
                                    link_preview_options=NO_PREVIEW)
        except BadRequest as error:
            if "not modified" not in str(error).lower():
                # Too old or gone: a fresh message instead of an error.
                await sender_of(context).send_all(chat_id, reply.messages, reply.keyboard)
                return
    else:
        await sender_of(context).send_all(chat_id, [first], keyboard)
    if rest:
        await sender_of(context).send_all(chat_id, rest, reply.keyboard)


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text in a private chat: a hint (the bot answers commands)."""
    caller = await caller_for(update, context, check_admin=False)
    message = update.effective_message
    if caller is None or message is None or not message.text:
        return
    reply = dispatch(core_of(context), caller, message.text, "html", context.bot.username)
    if reply is not None:
        await send_reply(context, caller.chat_id, reply)
