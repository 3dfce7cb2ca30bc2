"""Long answers one page at a time, with ◀ n/N ▶ buttons that re-run the query when pressed.

A page button carries the command, the page and the arguments; pressing an old one re-runs the
query now, so it shows fresh results (clamped to the last page) rather than an error.
"""

from __future__ import annotations

import hashlib
import re
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple, TypeVar

from briefings.commands.args import (
    amount_note,
    optional_text,
    parse_deal_query,
    parse_timeline_query,
    required_text,
)
from briefings.commands.reply import Button, Reply, Request
from briefings.core import Core
from briefings.errors import InputError
from briefings.models import StoryDeal, StoryEvent, StoryMeeting
from briefings.store import queries
from briefings.store.views import Page, SearchHit
from briefings.summarise import BriefItem, deal_item, event_item, meeting_item, source_refs

T = TypeVar("T")
PAGE_SIZE = 10
CALLBACK_LIMIT = 64   # bytes of callback data Telegram keeps
_REMEMBERED = 1000

# Arguments too long for a button, by hash; per process (a restart makes such buttons ask again).
_long_args: weakref.WeakKeyDictionary[Core, OrderedDict[str, str]] = weakref.WeakKeyDictionary()


def page_keyboard(core: Core, name: str, args: str, page: int, pages: int,
                  size: int = PAGE_SIZE) -> list[list[Button]]:
    """◀ n/N ▶, wrapping around at both ends; the middle button refreshes the page."""
    if pages <= 1:
        return []
    key = args_key(core, name, args)
    previous = page - 1 if page > 1 else pages
    following = page + 1 if page < pages else 1
    return [[Button(text="◀", data=f"pg:{name}:{page_token(previous, size)}:{key}"),
             Button(text=f"{page}/{pages}", data=f"pg:{name}:{page_token(page, size)}:{key}"),
             Button(text="▶", data=f"pg:{name}:{page_token(following, size)}:{key}")]]


def page_token(page: int, size: int) -> str:
    """"3" for a page of the usual size, "3x5" for a page of 5 (items too long for 10 in a message)."""
    return str(page) if size == PAGE_SIZE else f"{page}x{size}"


def parse_page_token(token: str) -> tuple[int, int] | None:
    """The (page, size) of a button's page token; None when it is not one."""
    match = re.fullmatch(r"([0-9]{1,6})(?:x([0-9]{1,3}))?", token)  # ASCII only: "٣" is a \d too
    if match is None or int(match.group(1)) < 1:
        return None
    size = int(match.group(2) or PAGE_SIZE)
    return (int(match.group(1)), size) if 1 <= size <= PAGE_SIZE else None


def args_key(core: Core, name: str, args: str) -> str:
    if len(f"pg:{name}:99999:{args}".encode()) <= CALLBACK_LIMIT and not args.startswith("#"):
        return args
    digest = "#" + hashlib.sha1(args.encode()).hexdigest()[:12]
    memory = _long_args.setdefault(core, OrderedDict())
    memory[digest] = args
    while len(memory) > _REMEMBERED:
        memory.popitem(last=False)
    return digest


def recall_args(core: Core, key: str) -> str | None:
    """The arguments behind a page button's key (None when a long one was forgotten)."""
    if not key.startswith("#"):
        return key
    memory = _long_args.get(core)
    return None if memory is None else memory.get(key)


def clamp(fetch: Callable[[int], Page[T]], page: int) -> Page[T]:
    # A stale button may point past the end of a list that has since shrunk: show its last page.
    result = fetch(max(page, 1))
    if result.page > result.pages:
        result = fetch(result.pages)
    return result


Fetched = tuple[Page[T], list[str]]


def _items(request: Request, items: Sequence[BriefItem]) -> list[str]:
    return [request.block("item", item=item) for item in items]


def _deals(request: Request, args: str, page: int, size: int) -> Fetched[StoryDeal]:
    query = parse_deal_query(args, request.core.now().date())
    store = request.core.store
    result = clamp(lambda p: queries.list_deals(store, query.filter, page=p, page_size=size), page)
    return result, _items(request, [deal_item(d) for d in result.items])


def _meetings(request: Request, args: str, page: int, size: int) -> Fetched[StoryMeeting]:
    who = optional_text(args) or None
    store = request.core.store
    result = clamp(lambda p: queries.list_meetings(store, person=who, page=p, page_size=size), page)
    return result, _items(request, [meeting_item(m) for m in result.items])


def _timeline(request: Request, args: str, page: int, size: int) -> Fetched[StoryEvent]:
    query = parse_timeline_query(args, request.core.now().date())
    store = request.core.store
    result = clamp(lambda p: queries.timeline(store, entity=query.entity, start=query.start, end=query.end,
                                              page=p, page_size=size), page)
    return result, _items(request, [event_item(e) for e in result.items])


def _search(request: Request, args: str, page: int, size: int) -> Fetched[SearchHit]:
    text = required_text(args)
    store = request.core.store
    result = clamp(lambda p: queries.search(store, text, page=p, page_size=size), page)
    blocks = [request.block("search_hit", hit=hit, sources=source_refs(hit.sources)) for hit in result.items]
    return result, blocks


class Listing(NamedTuple):
    title: str
    nouns: tuple[str, str]
    fetch: Callable[[Request, str, int, int], Fetched[Any]]
    header: Callable[[Request, str], str | None] = lambda request, args: None


def _deal_note(request: Request, args: str) -> str | None:
    return amount_note(parse_deal_query(args, request.core.now().date()).filter)


LISTINGS: dict[str, Listing] = {
    "deals": Listing("Deals", ("deal", "deals"), _deals, _deal_note),
    "meetings": Listing("Meetings", ("meeting", "meetings"), _meetings),
    "timeline": Listing("Timeline", ("event", "events"), _timeline),
    "search": Listing("Search", ("result", "results"), _search),
}
_SIZES = (10, 5, 3, 2, 1)
MAX_PAGE = 999_999  # a page number from a user or a button is at most this (six digits)


def list_page(request: Request, name: str, args: str, page: int, size: int = PAGE_SIZE, *,
              typed: bool = False) -> Reply:
    """One page as one message: when the items are too long for one at this size, the page holds
    fewer (the buttons then carry the smaller size, so every page of the list fits). A button keeps
    its first item on the smaller page; a typed "page 2" stays the second page the reader sees."""
    listing = LISTINGS[name]
    note = listing.header(request, args)
    while True:
        result, blocks = listing.fetch(request, args, page, size)
        header = request.block("list_header", title=listing.title, query=args, page=result, note=note,
                               noun=listing.nouns[0], nouns=listing.nouns[1])
        reply = request.blocks([header, *blocks],
                               page_keyboard(request.core, name, args, result.page, result.pages, size))
        smaller = [s for s in _SIZES if s < size]
        if len(reply.messages) <= 1 or not smaller:
            return reply
        first = (result.page - 1) * size  # the same first item, on a page of the next size down
        size = smaller[0]
        page = result.page if typed else first // size + 1


_PAGE_WORDS = re.compile(r"(?:^|\s)page\s*(\S*)\s*$", re.IGNORECASE)


def split_page(args: str) -> tuple[str, int]:
    """"Acme page 2" -> ("Acme", 2): a trailing `page N` asks for that page; a bad N is an error."""
    match = _PAGE_WORDS.search(args)
    if match is None:
        return args, 1
    number = match.group(1)
    if not re.fullmatch(r"[0-9]{1,100}", number) or int(number) < 1:
        raise InputError(f"{('page ' + number[:20]).strip()!r} is not a page: pages are numbered from 1, "
                         "e.g. page 2 (or use the ◀ ▶ buttons).")
    # Bounded like a button's page (6 digits): past the end is the last page, never a SQL overflow.
    return args[:match.start()].strip(), min(int(number), MAX_PAGE)


def first_page(name: str) -> Callable[[Request, str], Reply]:
    def run(request: Request, args: str) -> Reply:
        rest, page = split_page(args)
        return list_page(request, name, rest, page, typed=True)

    return run
