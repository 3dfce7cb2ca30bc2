"""`/settings` words that shape a reader's briefing: only-follows | all, chart on|off, daily |
weekdays | weekly DAY. Time and time zone go on to the subscription's own settings handler."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from briefings.commands import handlers
from briefings.commands.args import parse_settings
from briefings.commands.reply import Reply, Request
from briefings.errors import InputError
from briefings.follows import Frequency, ReaderPrefs, parse_weekday
from briefings.reader_briefing import next_on_their_day
from briefings.store import follows as follow_store

HINT = "only-follows | all, chart on|off, daily | weekdays | weekly mon"


class ReaderSettings(BaseModel):
    at: dt.time | None = None
    zone: str | None = None
    only_follows: bool | None = None
    chart: bool | None = None
    frequency: Frequency | None = None
    weekday: int | None = None

    @property
    def shapes(self) -> bool:
        return any(v is not None for v in (self.only_follows, self.chart, self.frequency))


def parse_reader_settings(text: str) -> ReaderSettings:
    """`/settings [HH:MM] [Area/City] [only-follows|all] [chart on|off] [daily|weekdays|weekly DAY]`."""
    values: dict[str, object] = {}
    rest: list[str] = []
    words = text.split()
    index = 0
    while index < len(words):
        word = words[index].lower()
        following = words[index + 1].lower() if index + 1 < len(words) else ""
        if word in ("only-follows", "only_follows", "follows"):
            values["only_follows"] = True
        elif word in ("all", "everything"):
            values["only_follows"] = False
        elif word == "chart":
            if following not in ("on", "off"):
                raise InputError("Say chart on or chart off.")
            values["chart"] = following == "on"
            index += 1
        elif word in ("daily", "weekdays"):
            values["frequency"] = word
        elif word == "weekly":
            day = parse_weekday(following) if following else None
            if day is None:
                raise InputError("Say which day: /settings weekly mon (mon, tue, ... sun).")
            values["frequency"], values["weekday"] = "weekly", day
            index += 1
        else:
            rest.append(words[index])
        index += 1
    at, zone = parse_settings(" ".join(rest))
    return ReaderSettings.model_validate({**values, "at": at, "zone": zone})


def settings(request: Request, args: ReaderSettings) -> Reply:
    if not args.shapes:
        reply = handlers.settings(request, (args.at, args.zone))
        prefs = follow_store.get_prefs(request.core.store, request.caller.chat_id)
        sub = request.core.subscriber(request.caller.chat_id)
        if prefs == ReaderPrefs() or sub is None or not sub.active:
            return reply
        # The same answer, saying how often and what the briefing holds.
        prompt = "Saved." if args.at or args.zone else \
            "Pick a new time, or send /settings 07:30 Europe/Berlin:"
        return settings_view(request, prompt, prefs).model_copy(update={"keyboard": reply.keyboard})
    core, chat_id = request.core, request.caller.chat_id
    sub = core.subscriber(chat_id)
    if sub is None or not sub.active:
        return handlers.settings(request, (None, None))  # the "not subscribed yet" answer
    handlers.require_chat_admin(request)
    if args.at is not None or args.zone is not None:
        core.change_settings(chat_id, timezone=args.zone, delivery_time=args.at)
    prefs = follow_store.get_prefs(core.store, chat_id)
    fields = {"only_follows", "chart", "frequency", "weekday"}
    changes = {k: v for k, v in args.model_dump(include=fields).items() if v is not None}
    prefs = follow_store.save_prefs(core.store, chat_id, ReaderPrefs.model_validate({**prefs.model_dump(),
                                                                                     **changes}))
    return settings_view(request, "Saved.", prefs)


def settings_view(request: Request, prompt: str | None, prefs: ReaderPrefs) -> Reply:
    core = request.core
    sub = core.subscriber(request.caller.chat_id)
    nxt = core.next_delivery(sub) if sub is not None and sub.active else None
    if sub is not None:
        nxt = next_on_their_day(nxt, sub.timezone, prefs)
    return Reply(messages=core.renderer.message("settings", request.fmt, sub=sub, next=nxt, prompt=prompt,
                                                group=request.caller.in_group, prefs=prefs))
