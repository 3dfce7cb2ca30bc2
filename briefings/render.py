"""The one escape-and-render path: Jinja2 templates to Telegram HTML or plain text, split to fit.

`*.html` templates are autoescaped and use only the tags Telegram accepts; `*.txt` are their
plain-text twins (the console and `briefbot brief`). Every message is built from blocks (a header,
one story, one list item, a footer) and blocks are packed into messages of at most 4,096 UTF-16
units; a block too long by itself is split without cutting a tag or an entity, closing the open
tags at the cut and reopening them in the next message. An admin may point `templates_dir` at a
folder whose files override the packaged ones by name.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2

from briefings.models import DateValue, Money
from briefings.summarise import Briefing, SourceRef, corroboration

Format = Literal["html", "text"]

TELEGRAM_LIMIT = 4096
BLOCK_SEPARATOR = "\n\n"
# A daily briefing is at most this many messages: the top stories that fit, the rest a tap away.
BRIEFING_MESSAGES = 2
# Deep links open a story or a fact in the bot (`/start s-…`); Telegram allows [A-Za-z0-9_-] there.
_PAYLOAD = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")

LABELS: Mapping[str, str] = {
    "mou": "MoU", "agreement": "Agreement", "investment": "Investment", "loan": "Loan",
    "trade_agreement": "Trade agreement", "meeting": "Meeting", "call": "Call", "visit": "Visit",
    "signed": "signed", "announced": "announced", "negotiating": "under negotiation",
    "planned": "planned", "occurred": "happened",
}


def telegram_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units); counting the raw HTML errs on the safe side."""
    return len(text.encode("utf-16-le")) // 2


# --- filters ----------------------------------------------------------------------------------


def format_date(value: DateValue | None) -> str:
    """A date at its precision: "2025", "July 2025", "25 Jul 2025"; "(inferred)" when it was guessed."""
    if value is None:
        return ""
    if value.month is None:
        text = f"{value.year}"
    elif value.day is None:
        text = f"{_MONTHS[value.month - 1]} {value.year}"
    else:
        text = f"{value.day} {_MONTHS[value.month - 1][:3]} {value.year}"
    return f"{text} (inferred)" if value.inferred else text


def format_money(value: Money | None) -> str:
    if value is None:
        return ""
    # The one amount formatter lives with the one amount parser.
    from briefings.extract.money import format_amount

    return format_amount(value)


def format_day(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day} {_MONTHS[day.month - 1][:3]} {day.year}"


def format_moment(moment: dt.datetime | None, zone: str | None = None) -> str:
    """"Fri 26 Jul 2025 08:00" in `zone` (or the moment's own zone)."""
    if moment is None:
        return ""
    if zone:
        moment = moment.astimezone(ZoneInfo(zone))
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M}"


def format_time(value: dt.time | None) -> str:
    return "" if value is None else f"{value:%H:%M}"


def safe_url(url: str | None) -> str | None:
    """Only http(s) links reach an href; anything else is shown without a link."""
    if not url:
        return None
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return None
    return url if scheme in ("http", "https") else None


def label(value: str | None) -> str:
    if value is None:
        return ""
    return LABELS.get(value, value.replace("_", " "))


def plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def join_names(names: Iterable[str], sep: str = ", ", last: str = " and ") -> str:
    items = [n for n in names if n]
    if len(items) <= 1:
        return "".join(items)
    return sep.join(items[:-1]) + last + items[-1]


_AMOUNT_CLAIM = re.compile(r"^\s*(?:([A-Z]{3})\s+([\d.,]+)|([\d.,]+)\s+([A-Z]{3}))\s*$")


def claim_value(value: str, field: str) -> str:
    """A disputed value as a reader wants it: amounts like "500000000 USD" become "$500 million"."""
    if field == "amount":
        match = _AMOUNT_CLAIM.match(value)
        if match:
            currency = match.group(1) or match.group(4)
            number = (match.group(2) or match.group(3)).replace(",", "")
            try:
                return format_money(Money(value=float(number), currency=currency))
            except ValueError:
                return value
    if field == "date":
        try:
            return format_date(DateValue.parse_iso(value))
        except ValueError:
            return value
    return label(value) if field in ("status", "kind") else value


# --- the renderer -----------------------------------------------------------------------------


class Renderer:
    """One Jinja2 environment (autoescape for `.html`) over the packaged templates and overrides."""

    def __init__(self, templates_dir: Path | None = None, bot_username: str | None = None) -> None:
        # Set by the bot once it knows its name (getMe); without it, links fall back to commands.
        self.bot_username = bot_username
        loaders: list[jinja2.BaseLoader] = []
        if templates_dir is not None:
            loaders.append(jinja2.FileSystemLoader(str(templates_dir)))
        loaders.append(jinja2.PackageLoader("briefings", "templates"))
        self.env = jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default=False),
            undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.filters.update({
            "date": format_date, "money": format_money, "day": format_day, "moment": format_moment,
            "clock": format_time, "safe_url": safe_url, "label": label, "join_names": join_names,
            "claim_value": claim_value, "plural": plural, "deep_link": self.deep_link,
            "corroboration": _corroboration,
        })

    def deep_link(self, payload: str) -> str | None:
        """`https://t.me/<bot>?start=<payload>`: tapped, it sends `/start <payload>` to the bot."""
        if not self.bot_username or not _PAYLOAD.match(payload):
            return None
        return f"https://t.me/{self.bot_username}?start={payload}"

    def block(self, name: str, fmt: Format, **context: object) -> str:
        """One block: template `name.html` or `name.txt`, stripped of surrounding blank lines."""
        template = self.env.get_template(f"{name}.{'html' if fmt == 'html' else 'txt'}")
        return _tidy(template.render(**context))

    def message(self, name: str, fmt: Format, **context: object) -> list[str]:
        """A whole answer from one template, split if it is too long."""
        return pack([self.block(name, fmt, **context)], fmt)

    def briefing(self, briefing: Briefing, fmt: Format, max_messages: int = BRIEFING_MESSAGES) -> list[str]:
        """A briefing as messages: header, the top stories that fit `max_messages`, coming up, footer.

        Stories are dropped from the bottom of the ranking until the whole fits; the header then
        says how many are shown, and each story's "More" opens the rest of it.
        """
        ctx = {"b": briefing}
        if briefing.is_empty:
            # One line, footer included: nothing new is not worth a message of old news.
            return pack([self.block("briefing_empty", fmt, **ctx)], fmt)
        # Each block once; only the header (which says how many are shown) changes as stories go.
        stories = [self.block("briefing_story", fmt, story=story, rank=i, **ctx)
                   for i, story in enumerate(briefing.stories, 1)]
        tail = [self.block("briefing_upcoming", fmt, **ctx)] if briefing.upcoming else []
        tail.append(self.block("briefing_footer", fmt, **ctx))
        for shown in range(len(stories), 0, -1):
            header = self.block("briefing_header", fmt,
                                b=briefing.model_copy(update={"stories": briefing.stories[:shown]}))
            messages = pack([header, *stories[:shown], *tail], fmt)
            if len(messages) <= max_messages:
                break
        return messages


def _corroboration(refs: Sequence[SourceRef]) -> str:
    return corroboration(refs)


def _tidy(text: str) -> str:
    # Templates keep their own line structure; collapse runs of blank lines they leave behind.
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- packing and splitting --------------------------------------------------------------------


def pack(blocks: Sequence[str], fmt: Format, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Join blocks into as few messages as fit `limit`, never splitting a block that fits alone."""
    parts: list[str] = []
    current = ""
    for block in blocks:
        if not block.strip():
            continue
        pieces = [block] if telegram_length(block) <= limit else split_message(block, fmt, limit)
        for piece in pieces:
            piece = piece.strip()
            if not _visible(piece, fmt):
                continue
            candidate = f"{current}{BLOCK_SEPARATOR}{piece}" if current else piece
            if telegram_length(candidate) <= limit:
                current = candidate
            else:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts


def _visible(piece: str, fmt: Format) -> bool:
    # Telegram refuses a message whose text is empty once the tags are gone.
    text = re.sub(r"<[^<>]*>", "", piece) if fmt == "html" else piece
    return bool(text.strip())


_TOKEN = re.compile(r"<[^<>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|\n|[^\S\n]+|[^\s<&]+|[<&]")
_TEXT_TOKEN = re.compile(r"\n|[^\S\n]+|[^\s]+")
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][\w-]*)")


def split_message(text: str, fmt: Format, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Split one block into parts of at most `limit`; joined back they give `text` (plain text).

    Cuts prefer a line break, then a space, and never fall inside an HTML tag or entity. For HTML
    the tags open at a cut are closed at the end of the part and reopened at the next one.
    """
    html = fmt == "html"
    units: deque[str] = deque(_TOKEN.findall(text) if html else _TEXT_TOKEN.findall(text))
    parts: list[str] = []
    current: list[str] = []
    prefix = 0                                  # units at the head of `current` that reopen tags
    size = 0
    stack: list[tuple[str, str]] = []          # (name, opening tag) of the tags open at the end
    breaks: list[tuple[int, int, list[tuple[str, str]]]] = []  # (position, priority, stack there)

    def restart(tags: list[tuple[str, str]]) -> None:
        nonlocal current, prefix, size, stack, breaks
        reopen = "".join(tag for _, tag in tags)
        current, prefix = ([reopen], 1) if reopen else ([], 0)
        size, stack, breaks = telegram_length(reopen), list(tags), []

    while units:
        unit = units.popleft()
        new_stack = _after(stack, unit) if html else stack
        cost = telegram_length(unit)
        if size + cost + telegram_length(_closers(new_stack)) <= limit:
            current.append(unit)
            size += cost
            stack = new_stack
            if unit == "\n":
                breaks.append((len(current), 2, list(stack)))
            elif unit.isspace():
                breaks.append((len(current), 1, list(stack)))
            continue
        if len(current) > prefix:
            pos, tags = _best_break(breaks, len(current), stack)
            rest = current[pos:]
            parts.append("".join(current[:pos]) + _closers(tags))
            units.appendleft(unit)
            units.extendleft(reversed(rest))
            restart(tags)
            continue
        # Nothing but reopened tags before it: this unit alone is too long, so cut it by characters
        # (tags and entities are never cut; only an absurdly small limit could make them not fit).
        room = limit - size - telegram_length(_closers(new_stack))
        if (html and unit.startswith(("<", "&")) and len(unit) > 1) or room <= 0:
            head, tail = unit, ""
        else:
            head, tail = _cut_units(unit, room)
        if tail:
            units.appendleft(tail)
        current.append(head)
        size += telegram_length(head)
        stack = new_stack if not tail else stack
    if len(current) > prefix:
        parts.append("".join(current) + _closers(stack))
    return parts


def _closers(tags: Sequence[tuple[str, str]]) -> str:
    return "".join(f"</{name}>" for name, _ in reversed(tags))


def _best_break(breaks: Sequence[tuple[int, int, list[tuple[str, str]]]], end: int,
                stack: list[tuple[str, str]]) -> tuple[int, list[tuple[str, str]]]:
    # A line break if there is one, else the last space, else right here.
    for priority in (2, 1):
        usable = [b for b in breaks if b[1] == priority]
        if usable:
            pos, _, tags = usable[-1]
            return pos, tags
    return end, stack


def _after(stack: list[tuple[str, str]], unit: str) -> list[tuple[str, str]]:
    if not unit.startswith("<"):
        return stack
    match = _TAG.match(unit)
    if match is None:
        return stack
    closing, name = match.group(1) == "/", match.group(2).lower()
    if closing:
        for i in range(len(stack) - 1, -1, -1):
            if stack[i][0] == name:
                return stack[:i]
        return stack
    if unit.endswith("/>"):
        return stack
    return [*stack, (name, unit)]


def _cut_units(unit: str, room: int) -> tuple[str, str]:
    # Cut by UTF-16 units without splitting a surrogate pair.
    count = 0
    for i, char in enumerate(unit):
        count += 2 if ord(char) > 0xFFFF else 1
        if count > room:
            return unit[: max(i, 1)], unit[max(i, 1):]
    return unit, ""
