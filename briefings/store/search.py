"""Full-text search over facts and articles with the database's own index.

Each fact and article has one `search_docs` row holding its folded search text (case, accents and
punctuation folded). SQLite matches it through FTS5 with the porter stemmer, PostgreSQL through a
GIN index on the stored `to_tsvector('english', …)` (migrations 0011, 0014); both stem, so
"signing" finds "signed", and a query word of three letters or more also matches as a prefix
("miner" finds "minerals"). Every word must match. The hand-made word index (`search_words`,
migration 0006) this replaces measured 3-5 ms at 10,000 articles but matched only word prefixes;
bench/README.md has both. On SQLite the index also holds each row's kind (migration 0012), so a
page is read from the index alone, most recently stored first, without sorting every match.

Snippets are whole sentences: a fact's source sentence, or the article sentence from the one
sentence splitter that holds the most query words.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import Text, case, func, literal_column, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session

from briefings.errors import InputError
from briefings.models import Article, ArticleFacts, Evidence, StoryDeal, StoryEvent, StoryMeeting
from briefings.store.db import Store
from briefings.store.schema import ArticleRow, DealRow, EventRow, MeetingRow, SearchDocRow
from briefings.store.search_words import query_words
from briefings.store.views import FactKind, Page, SearchHit
from briefings.stories.keys import name_key

_PREFIX_MIN = 3  # shorter query words match whole words only ("eu", "un"), not every word starting so

_Table = type[MeetingRow] | type[DealRow] | type[EventRow] | type[ArticleRow]


def fts_query(words: Sequence[str], dialect: str) -> str:
    """The engine's query text: every word, stemmed by the engine, as a prefix when long enough.

    Words are folded to letters and digits before they get here, so nothing in them is syntax.
    """
    if dialect == "postgresql":
        return " & ".join(f"{w}:*" if len(w) >= _PREFIX_MIN else w for w in words)
    terms = " AND ".join(f'"{w}"*' if len(w) >= _PREFIX_MIN else f'"{w}"' for w in words)
    return f"body : ({terms})"


_ENGLISH = literal_column("'english'", Text)
_BODY_TSV = literal_column("search_docs.body_tsv", Text)
_FTS_COUNT = sql("SELECT count(*) FROM search_fts WHERE search_fts MATCH :q")
_FTS_PAGE = sql("SELECT rowid FROM search_fts WHERE search_fts MATCH :q "
                "ORDER BY rowid DESC LIMIT :n OFFSET :o")


def search(store: Store, text: str, *, page: int = 1, page_size: int = 10) -> Page[SearchHit]:
    """Meetings, deals, events, then articles having every word of the query (stemmed, as a word or
    a word prefix), the most recently stored first within each kind. English stop words are not
    looked up."""
    from briefings.store.queries import check_page

    check_page(page, page_size)
    words = query_words(name_key(text))
    if not words:
        raise InputError("search text must have at least two letters or digits (and not only common words)")
    query = fts_query(words, store.dialect)
    with store.session() as session:
        if store.dialect == "sqlite":
            total, wanted = _sqlite_page(session, query, page, page_size)
        elif store.dialect == "postgresql":
            total, wanted = _postgres_page(session, query, page, page_size)
        else:
            raise InputError(f"search needs SQLite or PostgreSQL, not {store.dialect}")
        items = _hits(session, wanted, words)
    return Page[SearchHit](items=items, total=total, page=page, page_size=page_size)


def _sqlite_page(session: Session, query: str, page: int, size: int) -> tuple[int, list[tuple[str, str]]]:
    """The total and the page's rows, from the FTS5 index alone (newest rowid first within each
    kind): never a sort of every match, so a common word costs what a rare one does. A kind is
    counted only when the page starts after it."""
    total = int(session.execute(_FTS_COUNT, {"q": query}).scalar() or 0)
    offset, need = (page - 1) * size, size
    ids: list[int] = []
    for kind in _KINDS:
        if need == 0 or len(ids) >= total:
            break
        of_kind = f'{query} AND kind : "{kind}"'
        if offset:
            count = int(session.execute(_FTS_COUNT, {"q": of_kind}).scalar() or 0)
            if offset >= count:
                offset -= count
                continue
        found = session.execute(_FTS_PAGE, {"q": of_kind, "n": need, "o": offset})
        rows = [int(r) for r in found.scalars()]
        ids += rows
        need -= len(rows)
        offset = 0
    docs = {i: (kind, ref) for i, kind, ref in session.execute(
        select(SearchDocRow.id, SearchDocRow.kind, SearchDocRow.ref_id).where(SearchDocRow.id.in_(ids)))}
    return total, [docs[i] for i in ids if i in docs]


def _postgres_page(session: Session, query: str, page: int, size: int) -> tuple[int, list[tuple[str, str]]]:
    # `body_tsv`: the stored tsvector of `body` (migration 0014) the GIN index holds.
    hits = select(SearchDocRow.kind, SearchDocRow.ref_id, SearchDocRow.id).where(
        _BODY_TSV.op("@@")(func.to_tsquery(_ENGLISH, query))).subquery()
    rank = case({kind: n for n, kind in enumerate(_KINDS)}, value=hits.c.kind)
    total = session.scalar(select(func.count()).select_from(hits)) or 0
    ordered = select(hits.c.kind, hits.c.ref_id).order_by(rank, hits.c.id.desc())
    return total, [(k, r) for k, r in session.execute(ordered.offset((page - 1) * size).limit(size))]


# --- snippets ---------------------------------------------------------------------------------

_SUFFIXES = ("ings", "ing", "ied", "ies", "ed", "es", "s")


def _stem(word: str) -> str:
    # Only to pick which sentence to show (the database did the matching): "signing" -> "sign".
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _PREFIX_MIN:
            return word[: -len(suffix)]
    return word


def _score(sentence: str, stems: Sequence[str]) -> int:
    tokens = name_key(sentence).split()
    return sum(1 for stem in stems if any(t.startswith(stem) for t in tokens))


def best_sentence(sentences: Sequence[str], words: Sequence[str]) -> int | None:
    """The index of the sentence holding most query words (the first of equals); None if none does."""
    stems = [_stem(w) for w in words]
    scored = [(_score(s, stems), -i) for i, s in enumerate(sentences)]
    if not scored:
        return None
    best, index = max(scored)
    return -index if best > 0 else None


def _fact_hit(row: MeetingRow | DealRow | EventRow, words: Sequence[str]) -> SearchHit:
    fact: StoryMeeting | StoryDeal | StoryEvent
    kind: FactKind
    if isinstance(row, MeetingRow):
        kind, fact = "meeting", StoryMeeting.model_validate_json(row.data)
    elif isinstance(row, DealRow):
        kind, fact = "deal", StoryDeal.model_validate_json(row.data)
    else:
        kind, fact = "event", StoryEvent.model_validate_json(row.data)
    sources = fact.sources
    index = best_sentence([e.sentence for e in sources], words)
    best = sources[index] if index is not None else (sources[0] if sources else None)
    snippet = best.sentence.rstrip(" —–-") if best else row.label  # no dangling photo-credit dash
    return SearchHit(kind=kind, id=row.id, label=row.label, snippet=snippet or row.label,
                     sources=sources)


def _article_hit(row: ArticleRow, words: Sequence[str]) -> SearchHit:
    article = ArticleFacts.model_validate_json(row.facts).article
    sentences = _sentences(article, words)
    index = best_sentence([s[2] for s in sentences], words)
    start, end, sentence = sentences[index if index is not None else 0] if sentences else (0, 0, "")
    evidence = Evidence(article_id=row.id, sentence=sentence, start=start, end=end, outlet=row.outlet,
                        url=row.url)
    return SearchHit(kind="article", id=row.id, label=row.title or "Untitled article", snippet=sentence,
                     sources=[evidence])


def _sentences(article: Article, words: Sequence[str]) -> list[tuple[int, int, str]]:
    """The sentences, from the one sentence splitter (so "2.5 billion" stays whole), of the
    paragraph holding most query words: only that paragraph goes through the splitter."""
    from briefings.extract.sentences import split_sentences

    body = [p for p in article.paragraphs if p.kind != "furniture"]
    if body:
        chosen = best_sentence([p.text for p in body], words)
        one = article.model_copy(update={"paragraphs": [body[chosen or 0]]})
        return [(s.start, s.end, s.text) for s in split_sentences(one)]
    # An article stored without paragraphs: its lines, as they were read.
    return [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]*\S[^\n]*", article.text)]


_KINDS = ("meeting", "deal", "event", "article")
_TABLES: dict[str, _Table] = {"meeting": MeetingRow, "deal": DealRow, "event": EventRow,
                              "article": ArticleRow}


def _hits(session: Session, wanted: list[tuple[str, str]], words: Sequence[str]) -> list[SearchHit]:
    rows: dict[tuple[str, str], MeetingRow | DealRow | EventRow | ArticleRow] = {}
    for kind in _KINDS:
        ids = [ref for k, ref in wanted if k == kind]
        if ids:
            table = _TABLES[kind]
            loaded: list[MeetingRow | DealRow | EventRow | ArticleRow] = list(
                session.scalars(select(table).where(table.id.in_(ids))))
            rows.update({(kind, r.id): r for r in loaded})
    return [_article_hit(r, words) if isinstance(r, ArticleRow) else _fact_hit(r, words)
            for key in wanted if (r := rows.get(key)) is not None]
