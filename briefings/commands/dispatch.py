"""Running commands, button presses and uploads through the gates; errors become short replies."""

from __future__ import annotations

import logging
import re

from briefings.commands import follows, handlers
from briefings.commands.args import fact_id, parse_time, parse_zone
from briefings.commands.paging import CALLBACK_LIMIT, LISTINGS, list_page, parse_page_token, recall_args
from briefings.commands.reply import Reply, Request
from briefings.commands.table import find_command
from briefings.core import UPLOAD_LIMIT, UPLOAD_SUFFIXES, Caller, Core
from briefings.errors import BriefbotError, InputError, for_user
from briefings.render import Format

log = logging.getLogger(__name__)

_NOTICE_LIMIT = 190  # Telegram shows at most 200 characters in a callback answer
_INVALID_BUTTON = "This button is no longer valid."


def split_command(text: str, bot_username: str | None = None) -> tuple[str, str] | None:
    """"/deals@bot party" -> ("deals", "party"); None if not a command or one for another bot."""
    match = re.match(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", text.strip(), re.S)
    if match is None:
        return None
    target = match.group(2)
    if target and (bot_username is None or target.lower() != bot_username.lower()):
        return None
    return match.group(1).lower(), (match.group(3) or "").strip()


def run_command(core: Core, caller: Caller, name: str, args: str, fmt: Format) -> Reply:
    """One command through the admin gate; every `BriefbotError` becomes a short reply."""
    request = Request(core, caller, fmt)
    entry = find_command(name)
    if entry is None:
        return request.say(f"Unknown command /{name[:32]}. /help lists what I can do.")
    if entry.admin and not core.is_admin(caller):
        log.info("refused admin command=%s user=%s", entry.name, caller.user_id)
        return request.say("This command is for the bot's admins.")
    try:
        return entry.run(request, args)
    except InputError as error:
        usage = f"\nUsage: /{entry.name} {entry.usage}" if entry.usage else ""
        return request.say(f"{error}{usage}")
    except BriefbotError as error:
        log.warning("command=%s failed: %s", entry.name, error)
        return request.say(for_user(error))


def dispatch(core: Core, caller: Caller, text: str, fmt: Format,
             bot_username: str | None = None) -> Reply | None:
    """A typed line; None when it is a command addressed to another bot."""
    parsed = split_command(text, bot_username)
    if parsed is None:
        if text.strip().startswith("/"):
            return None
        return Request(core, caller, fmt).say("Send a command, e.g. /brief or /help.")
    return run_command(core, caller, parsed[0], parsed[1], fmt)


def callback_changes_chat(data: str) -> bool:
    """Whether a button press changes the chat's settings (the shell then checks chat admin rights)."""
    return data.startswith(("set:t:", "set:z:", "fw:a:", "fw:x:", "fw:n:", "fw:f:"))


def run_callback(core: Core, caller: Caller, data: str, fmt: Format) -> Reply:
    """A button press: always answered with a `notice` or an edit of the pressed message.

    `data` comes from the client and may be forged: anything longer than Telegram's 64 bytes, or
    not of a shape `_press` knows, is "no longer valid"; numbers in it are bounded before use.
    """
    request = Request(core, caller, fmt)
    if len(data.encode("utf-8", errors="replace")) > CALLBACK_LIMIT:
        return Reply(notice=_INVALID_BUTTON)
    try:
        reply = _press(request, data)
    except BriefbotError as error:
        if not isinstance(error, InputError):
            log.warning("button failed: %s", error)
        return Reply(notice=for_user(error)[:_NOTICE_LIMIT])
    return reply.model_copy(update={"edit": bool(reply.messages)})


def _press(request: Request, data: str) -> Reply:
    kind, _, rest = data.partition(":")
    if kind == "pg":
        name, _, rest = rest.partition(":")
        page, _, key = rest.partition(":")
        where = parse_page_token(page)
        if name not in LISTINGS or where is None:
            return Reply(notice=_INVALID_BUTTON)
        args = recall_args(request.core, key)
        if args is None:
            return Reply(notice=f"This list has expired: send /{name} again.")
        return list_page(request, name, args, *where)
    if kind == "fw":
        return follows.press(request, rest)
    if kind == "src":  # a Sources or ‹ Story button: that view, in place of the pressed message
        return handlers.sources(request, fact_id(rest))
    if kind == "set":
        action, _, value = rest.partition(":")
        if action == "tm":
            return handlers.settings_view(request, "Pick the time of your daily briefing:",
                                          handlers.time_keyboard())
        if action == "zm":
            return handlers.settings_view(request, "Pick your time zone, or send /settings Area/City:",
                                          handlers.zone_keyboard())
        if action == "t":
            return handlers.set_time(request, parse_time(value))
        if action == "z":
            return handlers.set_zone(request, parse_zone(value))
    return Reply(notice=_INVALID_BUTTON)


def upload_gate(core: Core, caller: Caller, filename: str, size: int | None, fmt: Format) -> Reply | None:
    """Checked before downloading an upload: a refusal, or None when it may be fetched."""
    request = Request(core, caller, fmt)
    if not core.is_admin(caller):
        log.info("refused upload user=%s", caller.user_id)
        return request.say("Only the bot's admins can add articles.")
    if not filename.lower().endswith(UPLOAD_SUFFIXES):
        return request.say("Send a .txt, .html or .json file.")
    if size is not None and size > UPLOAD_LIMIT:
        return request.say(f"That file is too big: the limit is {UPLOAD_LIMIT // 1_000_000} MB.")
    return None


def ingest_upload(core: Core, caller: Caller, filename: str, data: bytes, fmt: Format) -> Reply:
    """An uploaded article through the same gate, into the store; the report is the reply."""
    refusal = upload_gate(core, caller, filename, len(data), fmt)
    if refusal is not None:
        return refusal
    request = Request(core, caller, fmt)
    try:
        report = core.ingest_upload(filename, data)
    except BriefbotError as error:
        log.warning("upload by user=%s failed: %s", caller.user_id, error)
        return request.say(for_user(error))
    log.info("upload ingested by user=%s added=%d failed=%d", caller.user_id, len(report.added),
             len(report.failed))
    return Reply(messages=core.renderer.message("ingest_report", fmt, r=report))
