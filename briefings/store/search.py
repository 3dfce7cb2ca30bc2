"""Full-text search over facts and articles, portable: a word index in an ordinary table.

Each fact and article keeps `search_text`, its words folded (case, accents, punctuation), and one
`search_words` row per distinct word. A query word is an indexed range lookup (it matches whole
words and word prefixes) and several words must all match. A `LIKE '% word%'` scan over the texts
was simpler but read every row's JSON alongside: 40 ms at 1,000 articles, far over the 50 ms
target at 10,000 (bench/README.md). The same code runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Select, case, func, intersect, select
from sqlalchemy.orm import Session

from briefings.errors import InputError
from briefings.models import ArticleFacts, Evidence, StoryDeal, StoryEvent, StoryMeeting
from briefings.store.db import Store
from briefings.store.schema import ArticleRow, DealRow, EventRow, MeetingRow, SearchWordRow
from briefings.store.search_words import query_words
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


_PREFIX_MIN = 3  # shorter query words match whole words only ("eu", "un"), not every word starting so


def _matching(word: str) -> Select[tuple[str, str, dt.date | None]]:
    """Facts and articles having a word that starts with `word` (an indexed range on the word index)."""
    match = SearchWordRow.word == word if len(word) < _PREFIX_MIN else \
        (SearchWordRow.word >= word) & (SearchWordRow.word < word + "\uffff")
    return select(SearchWordRow.kind, SearchWordRow.ref_id, SearchWordRow.sort_date).where(match)


def search(store: Store, text: str, *, page: int = 1, page_size: int = 10) -> Page[SearchHit]:
    """Meetings, deals, events, then articles having every word of the query as a word or word prefix.

    Newest first within each kind. Words are folded (case, accents, punctuation) and English stop
    words are not looked up. Matching, counting and ordering run in the database (INTERSECT).
    """
    from briefings.store.queries import check_page

    check_page(page, page_size)
    needle = name_key(text)
    words = query_words(needle)
    if not words:
        raise InputError("search text must have at least two letters or digits (and not only common words)")
    found = (intersect(*[_matching(w) for w in words]) if len(words) > 1 else _matching(words[0]).distinct())
    hits = found.subquery()
    rank = case({kind: n for n, kind in enumerate(_KINDS)}, value=hits.c.kind)
    with store.session() as session:
        total = session.scalar(select(func.count()).select_from(hits)) or 0
        newest = hits.c.sort_date.desc().nulls_last()
        ordered = select(hits.c.kind, hits.c.ref_id).order_by(rank, newest, hits.c.ref_id)
        wanted = [(kind, ref) for kind, ref in
                  session.execute(ordered.offset((page - 1) * page_size).limit(page_size))]
        items = _hits(session, wanted, needle)
    return Page[SearchHit](items=items, total=total, page=page, page_size=page_size)


_KINDS = ("meeting", "deal", "event", "article")
_TABLES: dict[str, _Table] = {"meeting": MeetingRow, "deal": DealRow, "event": EventRow,
                              "article": ArticleRow}


def _hits(session: Session, wanted: list[tuple[str, str]], needle: str) -> list[SearchHit]:
    rows: dict[tuple[str, str], MeetingRow | DealRow | EventRow | ArticleRow] = {}
    for kind in _KINDS:
        ids = [ref for k, ref in wanted if k == kind]
        if ids:
            table = _TABLES[kind]
            loaded: list[MeetingRow | DealRow | EventRow | ArticleRow] = list(
                session.scalars(select(table).where(table.id.in_(ids))))
            rows.update({(kind, r.id): r for r in loaded})
    return [_article_hit(r, needle) if isinstance(r, ArticleRow) else _fact_hit(r, needle)
            for key in wanted if (r := rows.get(key)) is not None]
