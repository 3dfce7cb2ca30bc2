"""Chat life-cycle updates: a group that became a supergroup, a user who blocked the bot.

Subscribing, unsubscribing and settings are commands (`briefings.commands`); nothing needs
rescheduling after them, because the planner reads the settings at every tick.
"""

from __future__ import annotations

import logging

from telegram import ChatMember, Update
from telegram.ext import ContextTypes

from bot.handlers import core_of

log = logging.getLogger(__name__)

_GONE = (ChatMember.BANNED, ChatMember.LEFT)


async def on_migration(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group upgraded to a supergroup: move its subscription and delivery records to the new id."""
    message = update.effective_message
    if message is None or message.migrate_to_chat_id is None:
        return
    core_of(context).chat_migrated(message.chat_id, message.migrate_to_chat_id)
    log.info("chat migrated old=%s new=%s", message.chat_id, message.migrate_to_chat_id)


async def on_membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was blocked, kicked or removed: stop deliveries; settings stay for a later /start."""
    change = update.my_chat_member
    if change is None or change.new_chat_member.status not in _GONE:
        return
    if core_of(context).unsubscribe(change.chat.id, reason=f"bot {change.new_chat_member.status}"):
        log.info("chat left chat=%s status=%s", change.chat.id, change.new_chat_member.status)
