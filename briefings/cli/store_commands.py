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
    Evidence,
    StatusClaim,
    Story,
    StoryDeal,
    StoryEvent,
    StoryMeeting,
)
from briefings.store.views import DealFilter, FactSources, Page, PersonProfile, SearchHit

if TYPE_CHECKING:
    from briefings.ingest.fetch import FetchPolicy
    from briefings.store.db import Store  # imported where a store opens: `extract` never loads SQLAlchemy

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
    from briefings.commands.args import parse_amount

    try:
        return parse_amount(text.replace("_", ""))
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _period(text: str) -> tuple[dt.date, dt.date]:
    # The bot's date grammar: a year, a month, a day, or a written date.
    from briefings.commands.args import parse_period

    try:
        return parse_period(text, dt.date.today())
    except InputError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _start(text: str) -> dt.date:
    return _period(text)[0]


def _end(text: str) -> dt.date:
    return _period(text)[1]


def _open(args: argparse.Namespace) -> Store:
    from briefings.settings import Settings
    from briefings.store.db import Store

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

    p = sub.add_parser("deals", help="deals, filtered (as in the bot: Acme kind:mou min:1bn from:2025-09)")
    p.add_argument("filters", nargs="*", metavar="FILTER",
                   help="as in the bot: party words, kind:mou|trade|..., status:signed, currency:USD, "
                        "min:1bn, max:500m, from:2025-09, to:2025-12")
    p.add_argument("--party", help="a party to the deal (name, part of a name, or country)")
    p.add_argument("--country", help="a country the deal involves")
    p.add_argument("--kind", choices=_KINDS, help="the kind of deal")
    p.add_argument("--status", choices=_STATUSES, help="the deal's current status")
    p.add_argument("--currency", help="ISO code, e.g. USD: amounts are compared within it")
    p.add_argument("--min-amount", type=_amount, metavar="AMOUNT",
                   help="at least this amount (500m, 1bn; in USD at the reference rates unless --currency)")
    p.add_argument("--max-amount", type=_amount, metavar="AMOUNT",
                   help="at most this amount (like --min-amount)")
    p.add_argument("--from", dest="start", type=_start, metavar="DATE",
                   help="dated on or after (2025, 2025-09, 2025-09-01 or 'July 2025')")
    p.add_argument("--to", dest="end", type=_end, metavar="DATE", help="dated on or before (like --from)")
    _common(p)
    p.set_defaults(func=run_deals)

    p = sub.add_parser("meetings", help="meetings, calls and visits")
    p.add_argument("words", nargs="*", metavar="PERSON", help="as in the bot: a person's name")
    p.add_argument("--person", help="a participant (full name, surname or alias)")
    p.add_argument("--country", help="a country met in or with")
    _common(p)
    p.set_defaults(func=run_meetings)

    p = sub.add_parser("timeline", help="dated events in order (the bot's grammar: Dar July 2025)")
    p.add_argument("filters", nargs="*", metavar="FILTER",
                   help="as in the bot: a name and a date ('July 2025', 2025-09) or from:DATE to:DATE")
    p.add_argument("--entity", help="a person, organisation or country")
    p.add_argument("--from", dest="start", type=_start, metavar="DATE",
                   help="on or after (2025, 2025-09, 2025-09-01 or 'July 2025')")
    p.add_argument("--to", dest="end", type=_end, metavar="DATE", help="on or before (like --from)")
    _common(p)
    p.set_defaults(func=run_timeline)

    p = sub.add_parser("who", help="a person's titles, aliases, meetings and deals")
    p.add_argument("name", nargs="+", help="a full name, one name, a surname, or a near spelling")
    _common(p, pages=False)
    p.set_defaults(func=run_who)

    p = sub.add_parser("search", help="search facts and articles")
    p.add_argument("text", nargs="+", help="words to find (inflected forms match: signing finds signed)")
    _common(p)
    p.set_defaults(func=run_search)

    p = sub.add_parser("sources", help="every source of one fact, and where they disagree")
    p.add_argument("fact_id", metavar="FACT_ID", help="a fact id as shown under each fact (d-…, m-…, e-…)")
    _common(p, pages=False)
    p.set_defaults(func=run_sources)

    p = sub.add_parser("remove", help="remove an article; its story is merged again from the rest")
    p.add_argument("article_id", metavar="ARTICLE_ID",
                   help="the article's id (see `briefbot stories --json`)")
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
    # Several articles per transaction, a bad one retried alone; ANALYZE at the end on PostgreSQL.
    report = ingest(store, extracted, dt.datetime.now(dt.UTC))
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


def _sources(n: int | Sequence[Evidence]) -> str:
    """"2 sources": distinct articles, never the sentences they lend a fact."""
    count = n if isinstance(n, int) else len({e.article_id for e in n})
    return f"{count} source{'s' if count != 1 else ''}"


def _disputes(disagreements: Sequence[Disagreement], indent: str = "    ") -> list[str]:
    from briefings.summarise import conflicts

    return [f"{indent}disputed {c.field}: " + " | ".join(
        f"{v.value} ({', '.join(v.outlets)})" for v in c.claims) for c in conflicts(disagreements)]


def _history(history: Sequence[StatusClaim], indent: str = "    ") -> list[str]:
    from briefings.summarise import status_steps

    steps = status_steps(history)
    if len(steps) < 2:  # shown only when the status changed
        return []
    return [f"{indent}status history: " + " -> ".join(
        f"{c.status} ({c.published.isoformat() if c.published else 'undated'})" for c in steps)]


def _deal_lines(d: StoryDeal, indent: str = "") -> list[str]:
    kind = "MoU" if d.kind == "mou" else d.kind.replace("_", " ")
    parts = [d.date.iso() if d.date else "undated", kind, " / ".join(d.parties), _amount_text(d),
             d.sector or "", d.status, _sources(d.sources)]
    return [f"{indent}{d.id}  " + "  ".join(p for p in parts if p),
            *_disputes(d.disagreements, indent + "    "), *_history(d.status_history, indent + "    ")]


def _meeting_lines(m: StoryMeeting, indent: str = "") -> list[str]:
    when = (m.date.iso() + (" (inferred)" if m.date.inferred else "")) if m.date else "undated"
    parts = [when, m.kind, ", ".join(m.participants), f"in {m.place}" if m.place else "",
             _sources(m.sources)]
    return [f"{indent}{m.id}  " + "  ".join(p for p in parts if p),
            *_disputes(m.disagreements, indent + "    ")]


def _event_lines(e: StoryEvent, indent: str = "") -> list[str]:
    marks = "".join([" (inferred)" if e.date.inferred else "", " [planned]" if e.status == "planned" else ""])
    return [f"{indent}{e.date.iso()}{marks}  {e.what}  {_sources(e.sources)}  {e.id}"]


def _story_lines(s: Story) -> list[str]:
    days = sorted({d.isoformat() for d in (s.first_published, s.last_published) if d})
    span = " to ".join(days) or "undated"
    from briefings.summarise import source_refs_for_story, story_headline

    refs = source_refs_for_story(s)
    lines = [f"{s.id}  {story_headline(s)}",
             f"    {span}; {len(s.article_ids)} article(s): {', '.join(r.display for r in refs)}"]
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
    from briefings.summarise import UPLOADED

    lines = [f"{f.id}  {f.label}  ({_sources(f.sources)})"]
    seen: set[str] = set()
    for e in f.sources:
        if e.article_id not in seen:  # each article once, then its sentences
            seen.add(e.article_id)
            title = f.titles.get(e.article_id)
            parts = (e.outlet or UPLOADED, f"\"{title}\"" if title else None, e.url)
            where = ", ".join(x for x in parts if x)
            lines.append(f"  - {where}")
        lines.append(f"    “{e.sentence}”")
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
    from briefings.commands.args import amount_note, parse_deal_query
    from briefings.store.queries import list_deals

    # The bot's grammar first, then the options (which win where both are given); checked before
    # the store opens.
    query = parse_deal_query(" ".join(args.filters))
    options = {"party": args.party, "country": args.country, "kind": args.kind, "status": args.status,
               "currency": args.currency.upper() if args.currency else None, "min_amount": args.min_amount,
               "max_amount": args.max_amount, "start": args.start, "end": args.end}
    flt = DealFilter.model_validate({**query.filter.model_dump(),
                                     **{k: v for k, v in options.items() if v is not None}})
    store = _open(args)
    note = amount_note(flt)
    if note and not args.json:
        print(note)
    _print_page(list_deals(store, flt, page=args.page, page_size=args.page_size), _deal_lines, args.json)
    return 0


def run_meetings(args: argparse.Namespace) -> int:
    from briefings.store.queries import list_meetings

    store = _open(args)
    person = args.person or " ".join(args.words) or None
    page = list_meetings(store, person=person, country=args.country, page=args.page,
                         page_size=args.page_size)
    _print_page(page, _meeting_lines, args.json)
    return 0


def run_timeline(args: argparse.Namespace) -> int:
    from briefings.commands.args import parse_timeline_query
    from briefings.store.queries import timeline
    from briefings.store.views import check_date_range

    query = parse_timeline_query(" ".join(args.filters))
    entity = args.entity or query.entity
    start, end = args.start or query.start, args.end or query.end
    check_date_range(start, end)
    store = _open(args)
    page = timeline(store, entity=entity, start=start, end=end, page=args.page, page_size=args.page_size)
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
