"""The one command table. The bot's handlers, `/help`, `set_my_commands` and the console read it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from briefings.commands import charts, follows, handlers, reader_settings
from briefings.commands.args import fact_id, no_args, optional_text, required_text
from briefings.commands.paging import first_page
from briefings.commands.reply import Reply, Request

A = TypeVar("A")


@dataclass(frozen=True)
class Command:
    """One command: `parse` turns the typed arguments into a value (or an `InputError`) for `handle`.

    `admin`: bot admins only. `chat_settings`: it may change the chat's subscription, so in groups
    the shell looks up whether the caller is a chat admin before running it.
    """

    name: str
    description: str
    parse: Callable[[str], object]
    run: Callable[[Request, str], Reply]
    usage: str = ""
    admin: bool = False
    chat_settings: bool = False
    aliases: tuple[str, ...] = ()


def command(name: str, description: str, parse: Callable[[str], A], handle: Callable[[Request, A], Reply], *,
            usage: str = "", admin: bool = False, chat_settings: bool = False,
            aliases: tuple[str, ...] = ()) -> Command:
    """A table entry whose parser and handler agree on the argument type (checked by mypy)."""
    def run(request: Request, text: str) -> Reply:
        return handle(request, parse(text))

    return Command(name=name, description=description, parse=parse, run=run, usage=usage, admin=admin,
                   chat_settings=chat_settings, aliases=aliases)


def help_reply(request: Request, _: None) -> Reply:
    users = [c for c in COMMANDS if not c.admin]
    admins = [c for c in COMMANDS if c.admin] if request.core.is_admin(request.caller) else []
    return Reply(messages=request.core.renderer.message("help", request.fmt, commands=users,
                                                        admin_commands=admins))


COMMANDS: tuple[Command, ...] = (
    command("start", "subscribe and pick your time", optional_text, handlers.start, chat_settings=True),
    command("brief", "today's briefing now", no_args, handlers.brief),
    command("deals", "deals with amounts and sources", optional_text, first_page("deals"),
            usage="[party] [kind:mou] [status:signed] [from:2025-01]"),
    command("meetings", "meetings, calls and visits", optional_text, first_page("meetings"),
            usage="[person]"),
    command("timeline", "dated events in order", optional_text, first_page("timeline"),
            usage="[name] [July 2025 | from:2025-07-01 to:2025-09-30]"),
    command("who", "a person: titles, meetings, deals", required_text,
            follows.with_follow_button(handlers.who, follows.person_ident), usage="NAME"),
    command("search", "search facts and articles", required_text, first_page("search"), usage="TEXT"),
    command("sources", "every source of a fact, quoted", fact_id,
            follows.with_follow_button(handlers.sources, follows.view_ident), usage="ID"),
    command("settings", "delivery time and time zone", reader_settings.parse_reader_settings,
            reader_settings.settings, usage=f"[HH:MM] [Area/City] [{reader_settings.HINT}]",
            chat_settings=True),
    command("follow", "follow a person, organisation, country or topic", follows.parse_follow,
            follows.follow, usage="NAME [alert]", chat_settings=True),
    command("unfollow", "stop following something", follows.parse_name, follows.unfollow, usage="NAME",
            chat_settings=True),
    command("following", "what you follow, with buttons", no_args, follows.following),
    command("chart", "a chart of deal amounts or a timeline", charts.parse_chart, charts.chart,
            usage=charts.USAGE),
    command("unsubscribe", "stop the daily briefing", no_args, handlers.unsubscribe, chat_settings=True,
            aliases=("stop",)),
    command("help", "what I can do", no_args, help_reply),
    command("ingest", "add an article from a URL", required_text, handlers.ingest, usage="URL", admin=True),
    command("feeds", "list, add or remove feeds", optional_text, handlers.feeds, usage="[add|remove URL]",
            admin=True),
    command("post_now", "send today's briefing to everyone now", optional_text, handlers.post_now,
            usage="[me]", admin=True),
    command("stats", "subscribers, articles, deliveries", no_args, handlers.stats, admin=True),
)


def find_command(name: str) -> Command | None:
    """The entry for a name or alias, any letter case."""
    name = name.lower()
    return next((c for c in COMMANDS if c.name == name or name in c.aliases), None)
