"""Full-text search over facts and articles: portable `LIKE` on folded, denormalised text.

Each fact and article row keeps `search_text`, its words folded (case, accents, punctuation) and
padded with spaces, so `LIKE '% word%'` finds words and word prefixes on SQLite and PostgreSQL
alike. At 10,000 articles this scan stays within the latency target (see `bench/README.md`); a
larger store would move to FTS5 / tsvector behind this same function.
"""

from __future__ import annotations

import re

from sqlalchemy import select

from briefings.errors import InputError
from briefings.models import ArticleFacts, Evidence, StoryDeal, StoryEvent, StoryMeeting
from briefings.store.db import Store
from briefings.store.schema import ArticleRow, DealRow, EventRow, MeetingRow
from briefings.store.views import FactKind, Page, SearchHit
from briefings.stories.keys import name_key

_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
_SNIPPET = 200

_Table = type[MeetingRow] | type[DealRow] | type[EventRow] | type[ArticleRow]


def _first_sentence(text: str, needle: str) -> tuple[int, int] | None:
    for match in _SENTENCE.finditer(text):
        if needle in name_key(match.group()):
            start = match.start() + len(match.group()) - len(match.group().lstrip())
            return start, match.end()
    return None


def _fact_hit(row: MeetingRow | DealRow | EventRow, needle: str) -> SearchHit:
    fact: StoryMeeting | StoryDeal | StoryEvent
    kind: FactKind
    if isinstance(row, MeetingRow):
        kind, fact = "meeting", StoryMeeting.model_validate_json(row.data)
    elif isinstance(row, DealRow):
        kind, fact = "deal", StoryDeal.model_validate_json(row.data)
    else:
        kind, fact = "event", StoryEvent.model_validate_json(row.data)
    sources = fact.sources
    best = next((e for e in sources if needle in name_key(e.sentence)), sources[0] if sources else None)
    return SearchHit(kind=kind, id=row.id, label=row.label,
                     snippet=(best.sentence if best else row.label)[:_SNIPPET], sources=sources)


def _article_hit(row: ArticleRow, needle: str) -> SearchHit:
    text = ArticleFacts.model_validate_json(row.facts).article.text
    span = _first_sentence(text, needle) or (0, min(len(text), _SNIPPET))
    sentence = text[span[0]:span[1]].strip()
    evidence = Evidence(article_id=row.id, sentence=sentence, start=span[0], end=span[0] + len(sentence),
                        outlet=row.outlet, url=row.url)
    return SearchHit(kind="article", id=row.id, label=row.title or row.id, snippet=sentence[:_SNIPPET],
                     sources=[evidence])


def _order(table: _Table) -> list[object]:
    if table is ArticleRow:
        return [ArticleRow.published.is_(None), ArticleRow.published.desc(), ArticleRow.id]
    return [table.date_start.is_(None), table.date_start.desc(), table.id]  # type: ignore[union-attr]


def search(store: Store, text: str, *, page: int = 1, page_size: int = 10) -> Page[SearchHit]:
    """Meetings, deals, events, then articles whose words start with the query's words, in that order."""
    from briefings.store.queries import check_page

    check_page(page, page_size)
    needle = name_key(text)
    if len(needle) < 2:
        raise InputError("search text must have at least two letters or digits")
    pattern = f"% {needle}%"
    tables: list[_Table] = [MeetingRow, DealRow, EventRow, ArticleRow]
    hits: list[SearchHit] = []
    with store.session() as session:
        total, skip, room = 0, (page - 1) * page_size, page_size
        for table in tables:
            # One scan per table: every matching id in order (the count), then rows for this page.
            ids = list(session.scalars(select(table.id).where(table.search_text.like(pattern))
                                       .order_by(*_order(table))))  # type: ignore[arg-type]
            total += len(ids)
            wanted = ids[skip:skip + room] if room > 0 else []
            if wanted:
                loaded: list[MeetingRow | DealRow | EventRow | ArticleRow] = list(
                    session.scalars(select(table).where(table.id.in_(wanted))))
                rows = {r.id: r for r in loaded}
                hits += [_article_hit(r, needle) if isinstance(r, ArticleRow) else _fact_hit(r, needle)
                         for r in (rows[i] for i in wanted)]
                room -= len(wanted)
            skip = max(0, skip - len(ids))
    return Page[SearchHit](items=hits, total=total, page=page, page_size=page_size)
