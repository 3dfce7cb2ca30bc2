"""What each command does: query the core, pick a template, return a `Reply`."""

from __future__ import annotations

import datetime as dt
import logging
import re

from briefings.commands.args import fact_id
from briefings.commands.keyboards import view_keyboard
from briefings.commands.reply import Button, Reply, Request
from briefings.errors import InputError, NotFoundError
from briefings.models import Evidence
from briefings.store import queries
from briefings.summarise import (
    conflicts,
    corroboration,
    deal_item,
    meeting_item,
    pick_quote,
    source_refs,
    status_steps,
    summarise,
)

log = logging.getLogger(__name__)

TIME_CHOICES = ("06:00", "07:00", "08:00", "09:00", "12:00", "17:00", "18:00", "20:00")
ZONE_CHOICES = (
    ("UTC", "UTC"), ("London", "Europe/London"), ("Berlin", "Europe/Berlin"), ("Moscow", "Europe/Moscow"),
    ("Dubai", "Asia/Dubai"), ("Karachi", "Asia/Karachi"), ("Kolkata", "Asia/Kolkata"),
    ("Singapore", "Asia/Singapore"), ("Tokyo", "Asia/Tokyo"), ("Sydney", "Australia/Sydney"),
    ("New York", "America/New_York"), ("Chicago", "America/Chicago"), ("Los Angeles", "America/Los_Angeles"),
    ("São Paulo", "America/Sao_Paulo"), ("Lagos", "Africa/Lagos"), ("Nairobi", "Africa/Nairobi"),
)


def require_chat_admin(request: Request) -> None:
    """In groups, only chat admins change the group's subscription or settings."""
    if request.caller.in_group and not request.caller.chat_admin:
        raise InputError("Only this group's admins can change its briefing.")


# --- subscription and settings ----------------------------------------------------------------


def time_keyboard() -> list[list[Button]]:
    buttons = [Button(text=t, data=f"set:t:{t}") for t in TIME_CHOICES]
    return [buttons[:4], buttons[4:], [Button(text="Time zone ›", data="set:zm")]]


def zone_keyboard() -> list[list[Button]]:
    buttons = [Button(text=label, data=f"set:z:{name}") for label, name in ZONE_CHOICES]
    return [*(buttons[i:i + 4] for i in range(0, len(buttons), 4)), [Button(text="‹ Time", data="set:tm")]]


def settings_view(request: Request, prompt: str | None, keyboard: list[list[Button]]) -> Reply:
    core = request.core
    sub = core.subscriber(request.caller.chat_id)
    active = sub is not None and sub.active
    nxt = core.next_delivery(sub) if sub is not None and active else None
    messages = core.renderer.message("settings", request.fmt, sub=sub, next=nxt, prompt=prompt,
                                     group=request.caller.in_group)
    return Reply(messages=messages, keyboard=keyboard if active else [])


def start(request: Request, payload: str) -> Reply:
    """Subscribe (idempotent) and offer the time keyboard; a payload (a tapped deep link) only opens
    the story, fact or person it names, so following a forwarded briefing subscribes no one."""
    if payload:
        opened = who(request, payload[2:].replace("_", " ")) if payload.startswith("p-") else \
            sources(request, fact_id(payload))
        sub = request.core.subscriber(request.caller.chat_id)
        if sub is None or not sub.active:
            opened.messages.extend(request.say("Send /start to get a daily briefing like this.").messages)
        return opened
    sub = request.core.subscriber(request.caller.chat_id)
    if sub is None or not sub.active:
        require_chat_admin(request)
        request.core.subscribe(request.caller)
        prompt = "Subscribed. Pick the time of your daily briefing, or send /settings 07:30 Europe/Berlin:"
    else:
        prompt = "You are subscribed. Change the time below, or /unsubscribe."
    return settings_view(request, prompt, time_keyboard())


def settings(request: Request, args: tuple[dt.time | None, str | None]) -> Reply:
    at, tz = args
    sub = request.core.subscriber(request.caller.chat_id)
    if sub is None or not sub.active:
        # One answer whatever was typed: nothing to change before there is a subscription.
        return request.say("This chat is not subscribed yet: send /start to get a daily briefing, then "
                           "/settings 07:30 Europe/Berlin to pick its time.")
    if at is None and tz is None:
        prompt = "Pick a new time, or send /settings 07:30 Europe/Berlin:"
        return settings_view(request, prompt, time_keyboard())
    require_chat_admin(request)
    request.core.change_settings(request.caller.chat_id, timezone=tz, delivery_time=at)
    return settings_view(request, "Saved.", [])


def set_time(request: Request, at: dt.time) -> Reply:
    require_chat_admin(request)
    request.core.change_settings(request.caller.chat_id, delivery_time=at)
    reply = settings_view(request, "Time saved. Now pick your time zone:", zone_keyboard())
    return reply.model_copy(update={"notice": f"Daily at {at:%H:%M}"})


def set_zone(request: Request, tz: str) -> Reply:
    require_chat_admin(request)
    request.core.change_settings(request.caller.chat_id, timezone=tz)
    reply = settings_view(request, "All set. /settings changes it again.", [])
    return reply.model_copy(update={"notice": f"Time zone {tz}"})


def unsubscribe(request: Request, _: None) -> Reply:
    require_chat_admin(request)
    if request.core.unsubscribe(request.caller.chat_id):
        return request.say("Unsubscribed: no more daily briefings. Your settings are kept; /start resumes.")
    return request.say("This chat is not subscribed.")


# --- reading ----------------------------------------------------------------------------------


def brief(request: Request, _: None) -> Reply:
    """An on-demand copy of the briefing: it claims nothing, so the scheduled one still comes."""
    sub = request.core.subscriber(request.caller.chat_id)
    return Reply(messages=request.core.briefing_messages(sub if sub is not None and sub.active else None,
                                                         request.fmt))


def who(request: Request, name: str) -> Reply:
    profile = queries.person_profile(request.core.store, name)
    if profile is None:
        return request.say(f"I know nobody called {name!r}. Try /search {name}.")
    items = [meeting_item(m) for m in profile.meetings[:5]] + [deal_item(d) for d in profile.deals[:5]]
    return request.blocks([request.block("who", p=profile), *(request.block("item", item=i) for i in items)],
                          view_keyboard(request, f"p-{profile.name.replace(' ', '_')}", items))


def sources(request: Request, ident: str) -> Reply:
    """Every source of a fact, each with its verbatim sentence; a story id shows the whole story."""
    if ident.startswith("s-"):
        return story(request, ident)
    try:
        facts = queries.fact_sources(request.core.store, ident)
    except NotFoundError:
        return request.say(f"No fact with id {ident}.")
    refs = source_refs(facts.sources)
    steps = status_steps(facts.status_history)
    blocks = [request.block("sources", f=facts, refs=refs, corroboration=corroboration(refs),
                            conflicts=conflicts(facts.disagreements), history=steps, changed=len(steps) > 1)]
    # One block per article (an article is never listed twice), each with its sentences quoted.
    by_article: dict[str, list[Evidence]] = {}
    for ev in facts.sources:
        by_article.setdefault(ev.article_id, []).append(ev)
    for evidence in by_article.values():
        ref = source_refs(evidence)[0]
        quotes = [q for ev in evidence if (q := pick_quote([ev], [ref])) is not None]
        if quotes:
            blocks.append(request.block("source_quote", ref=ref, quotes=quotes,
                                        title=facts.titles.get(evidence[0].article_id)))
    return request.blocks(blocks, view_keyboard(request, ident, back=facts.story_id))


STORY_ITEMS = (12, 8, 6, 4, 3, 2, 1)


def story(request: Request, ident: str) -> Reply:
    try:
        found = queries.get_story(request.core.store, ident)
    except NotFoundError:
        return request.say(f"No story with id {ident}.")
    now = request.core.now()
    # One message, so its buttons edit all of it: the most important facts that fit.
    for limit in STORY_ITEMS:
        briefing = summarise([found], today=now.date(), now=now, max_items=limit)
        items = [item for s in briefing.stories for item in s.items]
        reply = request.blocks([request.block("briefing_story", story=s, rank=1, b=briefing, view=True)
                                for s in briefing.stories], view_keyboard(request, ident, items))
        if len(reply.messages) <= 1:
            break
    return reply


# --- admin ------------------------------------------------------------------------------------


def ingest(request: Request, target: str) -> Reply:
    # Over Telegram only URLs: a path would read the server's own files.
    if not request.caller.on_console and not re.match(r"^https?://", target, flags=re.IGNORECASE):
        raise InputError("Give an http(s) URL, or upload the article as a .txt, .html or .json file.")
    log.info("ingest by user=%s", request.caller.user_id)
    report = request.core.ingest_sources([target])
    return Reply(messages=request.core.renderer.message("ingest_report", request.fmt, r=report))


def feeds(request: Request, args: str) -> Reply:
    action, _, url = args.partition(" ")
    action, url = action.lower(), url.strip()
    if action == "add" and url:
        request.core.add_feed(url, request.caller.user_id)
        log.info("feed added by user=%s", request.caller.user_id)
        return request.say(f"Feed added: {url}")
    if action == "remove" and url:
        if url not in request.core.list_feeds():
            return request.say(f"No feed {url} is registered: /feeds lists them.")
        request.core.remove_feed(url)
        log.info("feed removed by user=%s", request.caller.user_id)
        return request.say(f"Feed removed: {url}")
    if action in ("", "list"):
        listed = request.core.list_feeds()
        return request.say("\n".join(listed) if listed else "No feeds yet: /feeds add URL", title="Feeds")
    raise InputError("Use /feeds add URL, /feeds remove URL or /feeds list.")


def post_now(request: Request, target: str) -> Reply:
    """Claim today's slot for every subscriber (so the scheduled one is skipped); `me` previews."""
    core = request.core
    if target.lower() == "me" or request.caller.on_console:
        sub = core.subscriber(request.caller.chat_id)
        messages = core.briefing_messages(sub if sub is not None and sub.active else None, request.fmt)
        note = "Console: nothing was sent." if request.caller.on_console else "Preview: only you got this."
        return Reply(messages=[*messages, *request.say(note).messages])
    if target:
        raise InputError("Use /post_now to send to every subscriber, or /post_now me for a preview.")
    claimed = core.claim_today_for_all()
    log.info("post_now by user=%s claimed=%d", request.caller.user_id, len(claimed))
    text = (f"Posting today's briefing to {len(claimed)} subscriber(s) who have not had it yet."
            if claimed else "Every subscriber already has today's briefing.")
    return Reply(messages=request.say(text).messages, broadcast=[(s.chat_id, day) for s, day in claimed])


def stats(request: Request, _: None) -> Reply:
    return Reply(messages=request.core.renderer.message("stats", request.fmt, s=request.core.stats(),
                                                        days=request.core.delivery_counts(7)))
