"""`/follow`, `/unfollow`, `/following` and their buttons (`fw:…` callback data).

Button data: `fw:a:<choice>` follows a candidate (an ambiguous name's choices, a view's Follow
button), `fw:x:<id>` removes a follow, `fw:n:<id>` / `fw:f:<id>` turn its alerts on / off,
`fw:s:<story>` opens a story (an alert's button), `fw:v:<fact or story>` offers what a fact or a
story names to follow. A choice is `<kind letter><alert flag>:<key>`, or a hash when that is too long.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from pydantic import BaseModel

from briefings.commands.handlers import require_chat_admin, story
from briefings.commands.paging import args_key, recall_args
from briefings.commands.reply import Button, Reply, Request
from briefings.errors import InputError, NotFoundError
from briefings.follows import MAX_FOLLOWS, Candidate, FollowKind
from briefings.store import follows as follow_store
from briefings.store import queries
from briefings.stories.keys import country_key, name_key

log = logging.getLogger(__name__)

_KIND_LETTERS: dict[FollowKind, str] = {"person": "p", "organisation": "o", "country": "c", "topic": "t"}
_LETTER_KINDS: dict[str, FollowKind] = {v: k for k, v in _KIND_LETTERS.items()}
_ICONS: dict[str, str] = {"person": "👤", "organisation": "🏢", "country": "🌍", "topic": "🏷"}
NAME_LIMIT = 100


class FollowArgs(BaseModel):
    name: str
    alert: bool = False


def parse_follow(text: str) -> FollowArgs:
    """`NAME [alert]`: white space collapsed; a trailing word "alert" turns alerts on."""
    words = text.split()
    alert = bool(words) and words[-1].lower() in ("alert", "alerts")
    if alert:
        words = words[:-1]
    name = " ".join(words)
    if not name:
        raise InputError("Say what to follow: a person, an organisation, a country or a topic word.")
    if len(name) > NAME_LIMIT:
        raise InputError(f"That name is too long (at most {NAME_LIMIT} characters).")
    return FollowArgs(name=name, alert=alert)


def parse_name(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise InputError("Say what to stop following, or send /following for buttons.")
    return name[:NAME_LIMIT]


def choice_data(request: Request, cand: Candidate, alert: bool) -> str:
    payload = f"{_KIND_LETTERS[cand.kind]}{int(alert)}:{cand.key}"
    return f"fw:a:{args_key(request.core, 'fw', payload)}"


def follow_keyboard(request: Request, choices: list[Candidate], alert: bool = False) -> list[list[Button]]:
    return [[Button(text=f"{_ICONS[c.kind]} {c.display}"[:60], data=choice_data(request, c, alert))]
            for c in choices]


def follow(request: Request, args: FollowArgs) -> Reply:
    require_chat_admin(request)
    found = follow_store.candidates(request.core.store, args.name)
    if not found:
        return request.say(f"I know no person, organisation, country or topic called {args.name!r}. "
                           f"Try /search {args.name}.")
    if len(found) > 1:
        reply = request.say(f"Several match {args.name!r}. Which one do you mean?")
        return reply.model_copy(update={"keyboard": follow_keyboard(request, found, args.alert)})
    return _add(request, found[0], args.alert)


def _add(request: Request, cand: Candidate, alert: bool) -> Reply:
    core = request.core
    followed, new = follow_store.add_follow(core.store, request.caller.chat_id, cand, alert=alert,
                                            now=core.now())
    log.info("follow chat=%s kind=%s new=%s alert=%s", request.caller.chat_id, cand.kind, new, followed.alert)
    text = f"Following {followed.display}." if new else f"You already follow {followed.display}."
    text += (" Alerts are on: you get a short message when a new meeting, deal or status change names it."
             if followed.alert else " Stories about it come first in your briefing.")
    reply = request.say(text)
    return reply.model_copy(update={"keyboard": [_row(followed.id, followed.alert, "Unfollow")]})


def _row(follow_id: int, alert: bool, remove: str) -> list[Button]:
    toggle = Button(text="🔕 Alerts off", data=f"fw:f:{follow_id}") if alert else \
        Button(text="🔔 Alerts on", data=f"fw:n:{follow_id}")
    return [toggle, Button(text=f"✕ {remove}"[:60], data=f"fw:x:{follow_id}")]


def unfollow(request: Request, name: str) -> Reply:
    require_chat_admin(request)
    chat_id = request.caller.chat_id
    key, code = name_key(name), country_key(name)
    for f in follow_store.list_follows(request.core.store, chat_id):
        if key in (f.key, name_key(f.label), *f.keys) or (code is not None and f.key == code) \
                or (f.kind == "topic" and " ".join(name.lower().split()) == f.label.lower()):
            follow_store.remove_follow(request.core.store, chat_id, f.id)
            return request.say(f"Stopped following {f.display}.")
    return request.say(f"You do not follow {name!r}. /following lists what you follow.")


def following(request: Request, _: None) -> Reply:
    follows = follow_store.list_follows(request.core.store, request.caller.chat_id)
    if not follows:
        return request.say("You follow nothing yet. Try /follow and a person's name, "
                           "/follow Pakistan or /follow minerals alert.")
    messages = request.core.renderer.message("following", request.fmt, follows=follows, icons=_ICONS,
                                             limit=MAX_FOLLOWS)
    keyboard = [_row(f.id, f.alert, f.label) for f in follows]
    return Reply(messages=messages, keyboard=keyboard)


def press(request: Request, data: str) -> Reply:
    """A `fw:` button (the part after `fw:`)."""
    action, _, value = data.partition(":")
    core, chat_id = request.core, request.caller.chat_id
    if action == "s":
        return story(request, value)
    if action == "v":
        return _offer(request, value)
    if action in ("a", "x", "n", "f"):
        require_chat_admin(request)
    if action == "a":
        payload = recall_args(core, value)
        if payload is None or len(payload) < 4 or payload[0] not in _LETTER_KINDS:
            return Reply(notice="This button has expired: send /follow again.")
        cand = follow_store.candidate(core.store, _LETTER_KINDS[payload[0]], payload[3:])
        return _add(request, cand, payload[1] == "1")
    if not value.isdigit():
        return Reply(notice="This button is no longer valid.")
    if action == "x":
        gone = follow_store.remove_follow(core.store, chat_id, int(value))
        rest = following(request, None)
        return rest.model_copy(update={"notice": f"Stopped following {gone.label}"[:190]})
    if action in ("n", "f"):
        changed = follow_store.set_alert(core.store, chat_id, int(value), action == "n")
        notice = f"Alerts {'on' if changed.alert else 'off'} for {changed.label}"[:190]
        return Reply(notice=notice)
    return Reply(notice="This button is no longer valid.")


def follow_button(request: Request, ident: str) -> list[Button]:
    """A "Follow" button for a person (`p-<name>`), a story (`s-…`) or a deal (`d-…`) view."""
    data = f"fw:v:{args_key(request.core, 'fw', ident)}"
    return [Button(text="➕ Follow", data=data)]


def _offer(request: Request, key: str) -> Reply:
    ident = recall_args(request.core, key)
    if ident is None:
        return Reply(notice="This button has expired.")
    store = request.core.store
    names: list[str] = []
    if ident.startswith("p-"):
        names = [ident[2:]]
    elif ident.startswith("s-"):
        try:
            found = queries.get_story(store, ident)
        except NotFoundError:
            return Reply(notice="That story is gone.")
        names = [*found.people[:4], *found.countries[:3], *(p for d in found.deals for p in d.parties)]
    elif ident.startswith("d-"):
        try:
            names = follow_store.deal_parties(store, ident)
        except NotFoundError:
            return Reply(notice="That deal is gone.")
    choices: dict[tuple[str, str], Candidate] = {}
    for name in names:
        try:
            for cand in follow_store.candidates(store, name)[:1]:
                choices.setdefault((cand.kind, cand.key), cand)
        except InputError:
            continue
    if not choices:
        return Reply(notice="Nothing here I can follow.")
    listed = list(choices.values())[:8]
    if ident.startswith("p-") and len(listed) == 1:
        return _add(request, listed[0], False).model_copy(update={"edit": False})
    reply = request.say("Follow which?")
    return reply.model_copy(update={"keyboard": follow_keyboard(request, listed)})



def with_follow_button(handle: Callable[[Request, str], Reply],
                       ident: Callable[[Request, str], str | None]) -> Callable[[Request, str], Reply]:
    """A view command (`/who`, `/sources`) whose answer gets a "Follow" button when it shows
    something followable and carries no other buttons."""
    def run(request: Request, arg: str) -> Reply:
        reply = handle(request, arg)
        if not reply.messages or reply.keyboard or request.fmt == "text":
            return reply
        key = ident(request, arg)
        if key is None:
            return reply
        return reply.model_copy(update={"keyboard": [follow_button(request, key)]})
    return run


def person_ident(request: Request, name: str) -> str | None:
    try:
        found = follow_store.candidates(request.core.store, name)
    except InputError:
        return None
    return f"p-{name}" if found and found[0].kind == "person" else None


def view_ident(request: Request, ident: str) -> str | None:
    """Stories and deals that exist (a missing one was answered with a notice)."""
    store = request.core.store
    try:
        if ident.startswith("s-"):
            queries.get_story(store, ident)
        elif ident.startswith("d-"):
            follow_store.deal_parties(store, ident)
        else:
            return None
    except NotFoundError:
        return None
    return ident
