"""Long answers one page at a time, with ◀ n/N ▶ buttons that re-run the query when pressed.

A page button carries the command, the page and the arguments; pressing an old one re-runs the
query now, so it shows fresh results (clamped to the last page) rather than an error.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import TypeVar

from briefings.commands.args import optional_text, parse_deal_query, parse_timeline_query, required_text
from briefings.commands.reply import Button, Reply, Request
from briefings.core import Core
from briefings.store import queries
from briefings.store.views import Page
from briefings.summarise import BriefItem, deal_item, event_item, meeting_item, source_refs

T = TypeVar("T")
PAGE_SIZE = 10
CALLBACK_LIMIT = 64   # bytes of callback data Telegram keeps
_REMEMBERED = 1000

# Arguments too long for a button, by hash; per process (a restart makes such buttons ask again).
_long_args: weakref.WeakKeyDictionary[Core, OrderedDict[str, str]] = weakref.WeakKeyDictionary()


def page_keyboard(core: Core, name: str, args: str, page: int, pages: int) -> list[list[Button]]:
    """◀ n/N ▶, wrapping around at both ends; the middle button refreshes the page."""
    if pages <= 1:
        return []
    key = args_key(core, name, args)
    previous = page - 1 if page > 1 else pages
    following = page + 1 if page < pages else 1
    return [[Button(text="◀", data=f"pg:{name}:{previous}:{key}"),
             Button(text=f"{page}/{pages}", data=f"pg:{name}:{page}:{key}"),
             Button(text="▶", data=f"pg:{name}:{following}:{key}")]]


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


def _reply(request: Request, name: str, args: str, title: str, nouns: tuple[str, str],
           page: Page[T], blocks: Sequence[str]) -> Reply:
    header = request.block("list_header", title=title, query=args, page=page, noun=nouns[0], nouns=nouns[1])
    return request.blocks([header, *blocks], page_keyboard(request.core, name, args, page.page, page.pages))


def _items(request: Request, items: Sequence[BriefItem]) -> list[str]:
    return [request.block("item", item=item) for item in items]


def deals_page(request: Request, args: str, page: int) -> Reply:
    query = parse_deal_query(args, request.core.now().date())
    store = request.core.store
    result = clamp(lambda p: queries.list_deals(store, query.filter, page=p, page_size=PAGE_SIZE), page)
    return _reply(request, "deals", args, "Deals", ("deal", "deals"), result,
                  _items(request, [deal_item(d) for d in result.items]))


def meetings_page(request: Request, args: str, page: int) -> Reply:
    who = optional_text(args) or None
    store = request.core.store
    result = clamp(lambda p: queries.list_meetings(store, person=who, page=p, page_size=PAGE_SIZE), page)
    return _reply(request, "meetings", args, "Meetings", ("meeting", "meetings"), result,
                  _items(request, [meeting_item(m) for m in result.items]))


def timeline_page(request: Request, args: str, page: int) -> Reply:
    query = parse_timeline_query(args, request.core.now().date())
    store = request.core.store
    result = clamp(lambda p: queries.timeline(store, entity=query.entity, start=query.start, end=query.end,
                                              page=p, page_size=PAGE_SIZE), page)
    return _reply(request, "timeline", args, "Timeline", ("event", "events"), result,
                  _items(request, [event_item(e) for e in result.items]))


def search_page(request: Request, args: str, page: int) -> Reply:
    text = required_text(args)
    store = request.core.store
    result = clamp(lambda p: queries.search(store, text, page=p, page_size=PAGE_SIZE), page)
    blocks = [request.block("search_hit", hit=hit, sources=source_refs(hit.sources)) for hit in result.items]
    return _reply(request, "search", args, "Search", ("result", "results"), result, blocks)


PAGED: dict[str, Callable[[Request, str, int], Reply]] = {
    "deals": deals_page, "meetings": meetings_page, "timeline": timeline_page, "search": search_page,
}


def first_page(name: str) -> Callable[[Request, str], Reply]:
    page_fn = PAGED[name]
    return lambda request, args: page_fn(request, args, 1)
