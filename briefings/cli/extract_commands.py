"""`briefbot extract`: articles in, sourced facts out (text for people, `--json` for tools)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence

from briefings.errors import InputError
from briefings.models import ArticleFacts, Evidence, Story


def _date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `extract` to the `briefbot` parser."""
    p = sub.add_parser("extract", help="extract sourced facts from articles (files, folders, feeds, -)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, feed file, or - for stdin")
    p.add_argument("--json", action="store_true", help="print one JSON document (see the schema)")
    p.add_argument("--reference-date", type=_date_arg, default=None,
                   help="fallback 'today' for articles whose own date is unknown (default: today)")
    p.set_defaults(func=run_extract)


def extract_paths(paths: Sequence[str], reference: dt.date | None) -> tuple[list[ArticleFacts], list[str]]:
    """Read, clean and extract every input; failures become one-line messages, the rest goes on."""
    from briefings.anchoring import extract_documents
    from briefings.extract.pipeline import Extractor
    from briefings.ingest.sources import read_paths

    facts, failed = extract_documents(read_paths(list(paths), stdin=sys.stdin), Extractor(), reference,
                                      distinct_ids=True)
    return facts, [f"{origin}: {message}" for origin, message in failed]


def _stories(facts: Sequence[ArticleFacts]) -> list[Story]:
    try:
        from briefings.consolidate import build_stories
    except ImportError:  # consolidation not installed: one story per article
        return [Story(id=f"s-{f.article.id}", headline=f.article.title, article_ids=[f.article.id])
                for f in facts]
    return build_stories(facts)


def _quote(evidence: Sequence[Evidence]) -> str:
    return f'    “{evidence[0].sentence}”' if evidence else ""


def render_text(facts: ArticleFacts) -> str:
    """A plain-text report of one article's facts, each with the sentence it came from."""
    a = facts.article
    published = f"{a.published.isoformat()} ({a.published_source})" if a.published else "unknown"
    lines = [f"== {a.id}: {a.title or '(no headline)'}", f"published: {published}"]
    if facts.people:
        lines.append("people:")
        for p in facts.people:
            title = f", {p.title}" if p.title else ""
            aka = f" (also: {', '.join(p.aliases)})" if p.aliases else ""
            lines.append(f"  - {p.name}{title}{aka}")
    if facts.organisations:
        lines.append("organisations:")
        lines += [f"  - {o.name}" + (f" ({o.acronym})" if o.acronym else "") for o in facts.organisations]
    if facts.meetings:
        lines.append("meetings, calls and visits:")
        for m in facts.meetings:
            when = m.date.iso() if m.date else "undated"
            where = f" in {m.place}" if m.place else ""
            lines += [f"  - {m.kind}: {' + '.join(m.participants)}, {when}{where}", _quote(m.evidence)]
    if facts.deals:
        lines.append("deals:")
        for d in facts.deals:
            amount = ""
            if d.amount:
                from briefings.extract.money import format_amount
                amount = f", {format_amount(d.amount)}"
            when = d.date.iso() if d.date else "undated"
            sector = f", {d.sector}" if d.sector else ""
            lines += [f"  - {d.kind} ({d.status}): {' / '.join(d.parties)}{amount}{sector}, {when}",
                      _quote(d.evidence)]
    if facts.events:
        lines.append("timeline:")
        for e in facts.events:
            mark = " (inferred)" if e.date.inferred else ""
            planned = " [planned]" if e.status == "planned" else ""
            lines += [f"  - {e.date.iso()}{mark}: {e.what}{planned}", _quote(e.evidence)]
    return "\n".join(line for line in lines if line)


def run_extract(args: argparse.Namespace) -> int:
    from briefings.contract import extract_document

    try:
        facts, failures = extract_paths(args.paths, args.reference_date)
    except InputError as error:
        print(f"briefbot: {error}", file=sys.stderr)
        return 1
    for message in failures:
        print(f"briefbot: {message}", file=sys.stderr)
    if args.json:
        doc = extract_document(facts, _stories(facts))
        print(doc.model_dump_json(indent=1))
    else:
        print("\n\n".join(render_text(f) for f in facts))
    return 1 if failures else 0
