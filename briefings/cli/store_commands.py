"""`briefbot ingest|stories|deals|meetings|timeline|who|search|sources|remove`: the store from a terminal.

Every command takes `--database URL` (default: `BRIEFBOT_DATABASE_URL`, else a SQLite file in the
user's data folder). Query commands print plain text, one fact per block with its date at its
precision, amount, status, number of sources and disagreements, or `--json` (the models as JSON).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeVar

from pydantic import BaseModel

from briefings.errors import BriefbotError, FetchError, InputError, NotFoundError
from briefings.ingest.raw import RawDocument
from briefings.models import (
    Article,
    ArticleFacts,
    Disagreement,
    StatusClaim,
    Story,
    StoryDeal,
    StoryEvent,
    StoryMeeting,
)
from briefings.store.db import Store
from briefings.store.views import DealFilter, FactSources, Page, PersonProfile, SearchHit

if TYPE_CHECKING:
    from briefings.ingest.fetch import FetchPolicy

M = TypeVar("M", bound=BaseModel)
_KINDS = ["mou", "agreement", "investment", "loan", "trade_agreement"]
_STATUSES = ["signed", "announced", "negotiating", "planned"]


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _moment(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date or time (YYYY-MM-DD[THH:MM]): {text!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _amount(text: str) -> float:
    try:
        return float(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an amount: {text!r}") from None


def _open(args: argparse.Namespace) -> Store:
    from briefings.settings import Settings

    store = Store(args.database or Settings().database_url)
    store.upgrade()
    return store


def _common(p: argparse.ArgumentParser, *, pages: bool = True) -> None:
    p.add_argument("--database", metavar="URL",
                   help="database URL (default: BRIEFBOT_DATABASE_URL, else a SQLite file)")
    p.add_argument("--json", action="store_true", help="print JSON (the models) instead of text")
    if pages:
        p.add_argument("--page", type=int, default=1, help="page number, from 1")
        p.add_argument("--page-size", type=int, default=10, help="results per page (1-100)")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the store's sub-commands to the `briefbot` parser."""
    p = sub.add_parser("ingest", help="add articles (files, folders, feed files, URLs, -) to the store")
    p.add_argument("paths", nargs="*", metavar="PATH", help="file, folder, feed file, http(s) URL, or -")
    p.add_argument("--feed", action="append", default=[], metavar="URL", help="a URL that must be a feed")
    p.add_argument("--reference-date", type=_date, help="fallback 'today' for undated articles")
    _common(p, pages=False)
    p.set_defaults(func=run_ingest)

    p = sub.add_parser("stories", help="stories, newest first, with their merged facts")
    p.add_argument("--since", type=_moment, help="only stories updated since (YYYY-MM-DD[THH:MM])")
    _common(p)
    p.set_defaults(func=run_stories)

    p = sub.add_parser("deals", help="deals, filtered")
    p.add_argument("--party")
    p.add_argument("--country")
    p.add_argument("--kind", choices=_KINDS)
    p.add_argument("--status", choices=_STATUSES)
    p.add_argument("--currency", help="ISO code, e.g. USD")
    p.add_argument("--min-amount", type=_amount)
    p.add_argument("--max-amount", type=_amount)
    p.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD")
    _common(p)
    p.set_defaults(func=run_deals)

    p = sub.add_parser("meetings", help="meetings, calls and visits")
    p.add_argument("--person")
    p.add_argument("--country")
    _common(p)
    p.set_defaults(func=run_meetings)

    p = sub.add_parser("timeline", help="dated events in order")
    p.add_argument("--entity", help="a person, organisation or country")
    p.add_argument("--from", dest="start", type=_date, metavar="YYYY-MM-DD")
    p.add_argument("--to", dest="end", type=_date, metavar="YYYY-MM-DD")
    _common(p)
    p.set_defaults(func=run_timeline)

    p = sub.add_parser("who", help="a person's titles, aliases, meetings and deals")
    p.add_argument("name", nargs="+")
    _common(p, pages=False)
    p.set_defaults(func=run_who)

    p = sub.add_parser("search", help="search facts and articles")
    p.add_argument("text", nargs="+")
    _common(p)
    p.set_defaults(func=run_search)

    p = sub.add_parser("sources", help="every source of one fact, and where they disagree")
    p.add_argument("fact_id", metavar="FACT_ID")
    _common(p, pages=False)
    p.set_defaults(func=run_sources)

    p = sub.add_parser("remove", help="remove an article; its story is merged again from the rest")
    p.add_argument("article_id", metavar="ARTICLE_ID")
    _common(p, pages=False)
    p.set_defaults(func=run_remove)


# --- ingest -----------------------------------------------------------------------------------


def _fetch_policy() -> FetchPolicy:
    """The same limits for `--feed` and for URLs among the paths (BRIEFBOT_ALLOW_PRIVATE_URLS)."""
    from briefings.ingest.fetch import FetchPolicy
    from briefings.settings import Settings

    return FetchPolicy(allow_private=Settings().allow_private_urls)


def _feed_documents(url: str) -> list[RawDocument]:
    from briefings.ingest.fetch import fetch_documents

    documents = fetch_documents(url, _fetch_policy())
    if len(documents) == 1 and documents[0].origin == url:
        raise FetchError(f"{url}: not a feed (it is a single page; ingest it without --feed)")
    return list(documents)


class _Extracts(Protocol):
    def extract(self, article: Article, reference_date: dt.date | None = None) -> ArticleFacts: ...


def load_extractor() -> _Extracts:
    """The extractor, imported late so the store commands work even when it cannot load."""
    try:
        from briefings.extract.pipeline import Extractor
    except ImportError as error:
        raise BriefbotError(f"the extractor cannot be loaded ({error}); nothing was ingested") from error
    return Extractor()


def run_ingest(args: argparse.Namespace) -> int:
    """Read -> clean -> extract -> consolidate -> store, one article at a time."""
    from briefings.anchoring import extract_documents
    from briefings.ingest.sources import read_paths
    from briefings.store.articles import ingest

    if not args.paths and not args.feed:
        raise InputError("nothing to ingest: give files, folders, URLs, - or --feed URL")
    extractor = load_extractor()
    # The pipeline and lexicons live as long as the process: keep the collector from rescanning
    # them after every article (a large share of ingest time otherwise).
    gc.freeze()
    feeds = [doc for url in args.feed for doc in _feed_documents(url)]  # all checked before writing
    store = _open(args)
    totals = {"added": 0, "replaced": 0, "unchanged": 0, "failed": 0}
    documents = [*feeds, *read_paths(list(args.paths), stdin=sys.stdin, policy=_fetch_policy())]
    extracted, failed = extract_documents(documents, extractor, args.reference_date)
    for origin, message in failed:
        _fail(totals, origin, message)
    for facts in extracted:  # one transaction per article
        report = ingest(store, [facts], dt.datetime.now(dt.UTC))
        for origin, message in report.failed:
            _fail(totals, origin, message)
        for outcome in ("added", "replaced", "unchanged"):
            totals[outcome] += len(getattr(report, outcome))
    store.close()
    print(", ".join(f"{n} {name}" for name, n in totals.items()))
    return 1 if totals["failed"] else 0


def _fail(totals: dict[str, int], origin: str, message: str) -> None:
    totals["failed"] += 1
    print(f"briefbot: {origin}: {message}", file=sys.stderr)


# --- rendering --------------------------------------------------------------------------------


def _amount_text(deal: StoryDeal) -> str:
    if deal.amount is None:
        return ""
    from briefings.extract.money import format_amount

    return format_amount(deal.amount)


def _sources(n: int) -> str:
    return f"{n} source{'s' if n != 1 else ''}"


def _disputes(disagreements: Sequence[Disagreement], indent: str = "    ") -> list[str]:
    return [f"{indent}disputed {d.field}: " + " | ".join(
        f"{c.value} ({', '.join(c.outlets or c.article_ids)})" for c in d.claims) for d in disagreements]


def _history(history: Sequence[StatusClaim], indent: str = "    ") -> list[str]:
    if len({c.status for c in history}) < 2:
        return []
    steps = [f"{c.status} ({c.article_id}, {c.published.isoformat() if c.published else 'undated'})"
             for c in history]
    return [f"{indent}status history: " + " -> ".join(steps)]


def _deal_lines(d: StoryDeal, indent: str = "") -> list[str]:
    kind = "MoU" if d.kind == "mou" else d.kind.replace("_", " ")
    parts = [d.date.iso() if d.date else "undated", kind, " / ".join(d.parties), _amount_text(d),
             d.sector or "", d.status, _sources(len(d.sources))]
    return [f"{indent}{d.id}  " + "  ".join(p for p in parts if p),
            *_disputes(d.disagreements, indent + "    "), *_history(d.status_history, indent + "    ")]


def _meeting_lines(m: StoryMeeting, indent: str = "") -> list[str]:
    when = (m.date.iso() + (" (inferred)" if m.date.inferred else "")) if m.date else "undated"
    parts = [when, m.kind, ", ".join(m.participants), f"in {m.place}" if m.place else "",
             _sources(len(m.sources))]
    return [f"{indent}{m.id}  " + "  ".join(p for p in parts if p),
            *_disputes(m.disagreements, indent + "    ")]


def _event_lines(e: StoryEvent, indent: str = "") -> list[str]:
    marks = "".join([" (inferred)" if e.date.inferred else "", " [planned]" if e.status == "planned" else ""])
    return [f"{indent}{e.date.iso()}{marks}  {e.what}  {_sources(len(e.sources))}  {e.id}"]


def _story_lines(s: Story) -> list[str]:
    days = sorted({d.isoformat() for d in (s.first_published, s.last_published) if d})
    span = " to ".join(days) or "undated"
    lines = [f"{s.id}  {s.headline or '(no headline)'}",
             f"    {span}; {len(s.article_ids)} article(s): {', '.join(s.outlets or s.article_ids)}"]
    lines += [line for m in s.meetings for line in _meeting_lines(m, "    ")]
    lines += [line for d in s.deals for line in _deal_lines(d, "    ")]
    lines += [line for e in s.events for line in _event_lines(e, "    ")]
    return lines


def _hit_lines(h: SearchHit) -> list[str]:
    return [f"{h.kind}  {h.id}  {h.label}", f"    “{h.snippet}”"]


def _profile_lines(p: PersonProfile) -> list[str]:
    lines = [p.name]
    if p.titles:
        lines.append(f"    titles: {'; '.join(p.titles)}")
    if p.aliases:
        lines.append(f"    also: {'; '.join(p.aliases)}")
    if p.countries:
        lines.append(f"    countries: {', '.join(p.countries)}")
    lines.append(f"    in {len(p.article_ids)} article(s)")
    if p.meetings:
        lines += ["meetings:", *(line for m in p.meetings for line in _meeting_lines(m, "    "))]
    if p.deals:
        lines += ["deals:", *(line for d in p.deals for line in _deal_lines(d, "    "))]
    return lines


def _sources_lines(f: FactSources) -> list[str]:
    lines = [f"{f.id}  {f.label}  ({_sources(len(f.sources))})"]
    for e in f.sources:
        where = ", ".join(x for x in (e.outlet, e.url) if x)
        lines += [f"  - {e.article_id}" + (f" ({where})" if where else ""), f"    “{e.sentence}”"]
    return lines + _disputes(f.disagreements, "  ") + _history(f.status_history, "  ")


def _print_page(page: Page[M], lines: Callable[[M], list[str]], as_json: bool) -> None:
    if as_json:
        print(page.model_dump_json(indent=1))
        return
    if not page.items:
        print("nothing found" if page.page == 1 else f"no page {page.page} (there are {page.pages})")
        return
    print("\n".join(line for item in page.items for line in lines(item)))
    if page.pages > 1:
        more = f"; --page {page.page + 1} for more" if page.page < page.pages else ""
        print(f"-- page {page.page} of {page.pages} ({page.total} results){more}")


def _print_one(item: M, lines: Callable[[M], list[str]], as_json: bool) -> None:
    print(item.model_dump_json(indent=1) if as_json else "\n".join(lines(item)))


# --- queries ----------------------------------------------------------------------------------


def run_stories(args: argparse.Namespace) -> int:
    from briefings.store.queries import list_stories

    store = _open(args)
    _print_page(list_stories(store, since=args.since, page=args.page, page_size=args.page_size),
                _story_lines, args.json)
    return 0


def run_deals(args: argparse.Namespace) -> int:
    from briefings.store.queries import list_deals

    flt = DealFilter(party=args.party, country=args.country, kind=args.kind, status=args.status,
                     currency=args.currency, min_amount=args.min_amount, max_amount=args.max_amount,
                     start=args.start, end=args.end)  # checks the ranges before the store opens
    store = _open(args)
    _print_page(list_deals(store, flt, page=args.page, page_size=args.page_size), _deal_lines, args.json)
    return 0


def run_meetings(args: argparse.Namespace) -> int:
    from briefings.store.queries import list_meetings

    store = _open(args)
    page = list_meetings(store, person=args.person, country=args.country, page=args.page,
                         page_size=args.page_size)
    _print_page(page, _meeting_lines, args.json)
    return 0


def run_timeline(args: argparse.Namespace) -> int:
    from briefings.store.queries import timeline
    from briefings.store.views import check_date_range

    check_date_range(args.start, args.end)
    store = _open(args)
    page = timeline(store, entity=args.entity, start=args.start, end=args.end, page=args.page,
                    page_size=args.page_size)
    _print_page(page, _event_lines, args.json)
    return 0


def run_who(args: argparse.Namespace) -> int:
    from briefings.store.queries import person_profile

    name = " ".join(args.name)
    profile = person_profile(_open(args), name)
    if profile is None:
        raise NotFoundError(f"no one called {name!r} in the store")
    _print_one(profile, _profile_lines, args.json)
    return 0


def run_search(args: argparse.Namespace) -> int:
    from briefings.store.queries import search

    store = _open(args)
    _print_page(search(store, " ".join(args.text), page=args.page, page_size=args.page_size), _hit_lines,
                args.json)
    return 0


def run_sources(args: argparse.Namespace) -> int:
    from briefings.store.queries import fact_sources

    _print_one(fact_sources(_open(args), args.fact_id), _sources_lines, args.json)
    return 0


def run_remove(args: argparse.Namespace) -> int:
    from briefings.store.articles import remove_article

    remove_article(_open(args), args.article_id, dt.datetime.now(dt.UTC))
    print(f"removed {args.article_id}")
    return 0
