"""`build_application(settings, core)`: the python-telegram-bot Application, wired from the table."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    ExtBot,
    JobQueue,
    MessageHandler,
    filters,
)

from bot.admin import on_document, publish_menus
from bot.alerts import install_alerts
from bot.errors import describe, on_error
from bot.feeds_job import install_feed_poller
from bot.handlers import CORE_KEY, on_button, on_command, on_text, sender_of_app
from bot.heartbeat import HeartbeatRequest
from bot.scheduler import install
from bot.shutdown import stop_on_signals
from bot.subscriptions import on_membership, on_migration
from bot.updates import ChatOrderedUpdates
from briefings.commands import COMMANDS
from briefings.core import Core
from briefings.errors import InputError
from briefings.settings import Settings

log = logging.getLogger(__name__)

BotApplication = Application[ExtBot[None], ContextTypes.DEFAULT_TYPE, dict[Any, Any], dict[Any, Any],
                             dict[Any, Any], JobQueue[ContextTypes.DEFAULT_TYPE]]


def file_url(base_url: str) -> str:
    """The file download base that goes with a Bot API base URL ("…/bot" -> "…/file/bot")."""
    base = base_url.rstrip("/")
    return f"{base[:-4]}/file/bot" if base.endswith("/bot") else f"{base}/file"


def build_application(settings: Settings, core: Core, *, planner_interval: float = 60,
                      rate_limiter: BaseRateLimiter[Any] | None = None, read_timeout: float | None = None,
                      planner: bool = True, handle_signals: bool = False,
                      heartbeat: Path | None = None) -> BotApplication:
    """Handlers for every command in the table, buttons, uploads, chat changes, errors, the planner.

    `rate_limiter` (production: `bot.rate_limit.rate_limiter_for(settings)`) paces every Bot API
    call when given; `read_timeout` overrides the library's 5 s wait for an answer; without
    `planner` the process answers updates but sends no scheduled briefing; `handle_signals`
    (with `run_polling(stop_signals=None)`) makes SIGTERM an orderly stop (bot/shutdown.py); with
    `heartbeat`, every getUpdates Telegram answers touches that file (`status --health` reads it).
    """
    if settings.token is None:
        raise InputError("BRIEFBOT_TOKEN is not set: get a token from @BotFather")
    # Chats are answered concurrently, each chat's updates in order (bot/updates.py).
    builder = ApplicationBuilder().token(settings.token.get_secret_value()).concurrent_updates(
        ChatOrderedUpdates())
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if read_timeout is not None:
        builder = builder.read_timeout(read_timeout)
    if heartbeat is not None:
        builder = builder.get_updates_request(HeartbeatRequest(heartbeat))
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url.rstrip("/")).base_file_url(
            file_url(settings.api_base_url))

    async def post_init(application: BotApplication) -> None:
        # Deep links in briefings (`t.me/<bot>?start=s-…`) need the name getMe gave at start-up.
        core.renderer.bot_username = application.bot.username
        if handle_signals:  # `run`: SIGTERM stops broadcasts in order, then the application
            stop_on_signals(sender_of_app(application), application.stop_running)
        try:
            await publish_menus(application, core)
        except Exception as error:  # a menu is a nicety: never a reason not to start
            log.warning("command menus not published: %s", describe(error))

    application: BotApplication = builder.post_init(post_init).build()
    application.bot_data[CORE_KEY] = core
    new_messages = filters.UpdateType.MESSAGE
    for entry in COMMANDS:
        names = [entry.name, *entry.aliases]
        application.add_handler(CommandHandler(names, on_command, filters=new_messages))
    application.add_handler(MessageHandler(filters.COMMAND & new_messages, on_command))
    application.add_handler(MessageHandler(filters.Document.ALL & new_messages, on_document))
    application.add_handler(MessageHandler(filters.TEXT & filters.ChatType.PRIVATE & new_messages, on_text))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migration))
    application.add_handler(ChatMemberHandler(on_membership, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_error_handler(on_error)
    if planner:
        install(application, planner_interval)
        install_alerts(application, planner_interval)
        if settings.feeds_poll_minutes > 0:
            install_feed_poller(application, settings.feeds_poll_minutes)
    return application


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.MY_CHAT_MEMBER]
