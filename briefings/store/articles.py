"""The write side: articles in (idempotent by id, URL and content hash), stories re-merged, articles out.

Several articles go in one transaction (a bad one is retried alone, so it costs only itself). A
new article is compared only with the stories of its time window
(`briefings.consolidate.WINDOW_DAYS` either side of its anchor day, plus undated articles ingested
in that window) and joins the closest one or starts its own; then that one story's facts are
merged again from its articles' stored facts. A corrected article (same id or URL, new content)
replaces the old one: its contributions leave, the rest re-merges, the new version is placed again.
Removing an article re-clusters what is left of its story, which may split in two.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import time
from collections import Counter
from collections.abc import Sequence
from typing import Literal

from pydantic import ValidationError
from sqlalchemy import ColumnElement, and_, exc, func, or_, select, text, union_all
from sqlalchemy.orm import Session

from briefings.consolidate import (
    WINDOW_DAYS,
    ArticleProfile,
    best_story,
    cluster_profiles,
    merge_story,
    profile_article,
)
from briefings.errors import InputError, NotFoundError
from briefings.models import ArticleFacts, Story, StoryDeal, StoryEvent, StoryMeeting
from briefings.store.db import Store
from briefings.store.schema import (
    ARTICLE_ID_MAX,
    ArticleKeyRow,
    ArticleRow,
    PersonAliasRow,
    PersonMentionRow,
    StoryRow,
)
from briefings.store.story_rows import (
    FACT_TABLES,
    bulk_insert,
    delete_story_facts,
    doc_row,
    insert_docs,
    insert_words,
    search_text,
    word_rows,
    write_story,
)
from briefings.store.views import IngestReport
from briefings.stories.keys import name_key, short_id
from briefings.stories.profile import blocking_keys

log = logging.getLogger(__name__)

Outcome = Literal["added", "replaced", "unchanged"]
MAX_CANDIDATES = 50  # window articles scored against a new one


def text_hash(facts: ArticleFacts) -> str:
    """The article's content hash, or one over its whitespace-normalised text when it has none."""
    article = facts.article
    return article.content_hash or hashlib.sha256(" ".join(article.text.split()).encode()).hexdigest()


def _without_nul(facts: ArticleFacts) -> ArticleFacts:
    """PostgreSQL text cannot hold NUL: each becomes a space, so every offset stays right."""
    raw = facts.model_dump_json()
    return ArticleFacts.model_validate_json(raw.replace("\\u0000", " ")) if "\\u0000" in raw else facts


def _profile(row: ArticleRow) -> ArticleProfile:
    try:
        return ArticleProfile.model_validate_json(row.profile)
    except ValidationError:  # a row from before profiles were stored (migration 0002)
        profile = profile_article(ArticleFacts.model_validate_json(row.facts))
        row.profile = profile.model_dump_json()
        return profile


def _stored_profile(session: Session, article_id: str, stored: str) -> ArticleProfile:
    try:
        return ArticleProfile.model_validate_json(stored)
    except ValidationError:
        row = session.get(ArticleRow, article_id)
        assert row is not None
        return _profile(row)


SEARCH_LEAD_CHARS = 600


def _article_search_text(facts: ArticleFacts) -> str:
    """What article search scans: headline, outlet, the lead, and every person and organisation named.

    The lead, not the whole text: a `LIKE` scan over whole texts misses the latency target at
    10,000 articles (bench/README.md), and each fact's own sentences are searched with the fact.
    """
    article = facts.article
    lead = "\n".join(p.text for p in article.body()) or article.text
    names = [p.name for p in facts.people] + [o.name for o in facts.organisations]
    names += [o.acronym for o in facts.organisations if o.acronym]
    return search_text(article.title, article.outlet, lead[:SEARCH_LEAD_CHARS], *names)


def _person_rows(facts: ArticleFacts) -> list[PersonMentionRow | PersonAliasRow]:
    rows: list[PersonMentionRow | PersonAliasRow] = []
    article_id = facts.article.id
    for person in facts.people:
        key = name_key(person.name)
        if not key:
            continue
        titles = list(dict.fromkeys([*([person.title] if person.title else []), *person.titles]))
        rows.append(PersonMentionRow(article_id=article_id, key=key[:200], name=person.name[:300],
                                     titles=json.dumps(titles), aliases=json.dumps(person.aliases),
                                     country=(person.country or None) and person.country[:100],
                                     mentions=max(person.mentions, 1)))
        for alias in {name_key(a) for a in [person.name, *person.aliases]} - {""}:
            rows.append(PersonAliasRow(article_id=article_id, alias_key=alias[:200], person_key=key[:200]))
    return rows


def _ingested_near(day: dt.date) -> ColumnElement[bool]:
    span = dt.timedelta(days=WINDOW_DAYS)
    return ArticleRow.ingested_at.between(dt.datetime.combine(day - span, dt.time(), tzinfo=dt.UTC),
                                          dt.datetime.combine(day + span, dt.time.max, tzinfo=dt.UTC))


def _window(session: Session, profile: ArticleProfile, now: dt.datetime) -> dict[str, list[ArticleProfile]]:
    """Stories with an article in the new article's time window, with those articles' profiles.

    Dated articles are in the window by their anchor day. Undated ones (no anchor) can be compared
    with anything, so they are bounded by when they were ingested: near the new article's day or
    near now. An undated new article meets the window around now and everything ingested lately.

    Inside the window only articles sharing a blocking key (a surname, organisation or country)
    are scored, the `MAX_CANDIDATES` sharing most first: the cost of an ingest is bounded
    however many articles a busy month holds.
    """
    span = dt.timedelta(days=WINDOW_DAYS)
    today = now.date()
    recent = _ingested_near(today)
    day = profile.anchor or today
    keys = sorted(blocking_keys(profile))
    if not keys:
        undated = ArticleRow.anchor.is_(None) & or_(recent, _ingested_near(day))
        near = or_(ArticleRow.anchor.between(day - span, day + span),
                   undated if profile.anchor is not None else recent)
        candidates = and_(ArticleRow.story_id.is_not(None), ArticleRow.id != profile.id, near)
        ids = list(session.scalars(select(ArticleRow.id).where(candidates)
                                   .order_by(ArticleRow.anchor.desc(), ArticleRow.id).limit(MAX_CANDIDATES)))
    else:
        # Two disjoint parts, each bounded by time: keys whose article's anchor is in the window (one
        # range of ix_article_keys_key_anchor per key), and the rest of what counts as near: undated
        # articles ingested near the day or now (or, for an undated new article, anything ingested
        # lately). A key row per shared key, so the count per article is the number of shared keys.
        by_key = ArticleKeyRow.key.in_(keys)
        in_window = ArticleKeyRow.anchor.between(day - span, day + span)
        if profile.anchor is not None:
            rest = ArticleKeyRow.anchor.is_(None) & or_(recent, _ingested_near(day))
        else:
            rest = recent & or_(ArticleKeyRow.anchor.is_(None), ~in_window)
        hits = union_all(
            select(ArticleKeyRow.article_id).where(by_key, in_window),
            select(ArticleKeyRow.article_id).join(ArticleRow, ArticleRow.id == ArticleKeyRow.article_id)
            .where(by_key, rest)).subquery()
        ids = list(session.scalars(
            select(hits.c.article_id).join(ArticleRow, ArticleRow.id == hits.c.article_id)
            .where(ArticleRow.story_id.is_not(None), ArticleRow.id != profile.id)
            .group_by(hits.c.article_id).order_by(func.count().desc(), hits.c.article_id)
            .limit(MAX_CANDIDATES)))
    rows = session.execute(select(ArticleRow.id, ArticleRow.story_id, ArticleRow.profile)
                           .where(ArticleRow.id.in_(ids)).order_by(ArticleRow.id))
    stories: dict[str, list[ArticleProfile]] = {}
    for article_id, story_id, stored in rows:
        stories.setdefault(story_id, []).append(_stored_profile(session, article_id, stored))
    return stories


def _new_story(session: Session, article_id: str, now: dt.datetime) -> str:
    """A new, empty story row (filled by `_rebuild`) so articles can point at it."""
    candidate, salt = short_id("s", article_id), 0
    while session.get(StoryRow, candidate) is not None:
        salt += 1
        candidate = short_id("s", article_id, str(salt))
    session.add(StoryRow(id=candidate, headline=None, first_published=None, last_published=None,
                         article_count=0, created_at=now, updated_at=now, data="{}", search_text=""))
    session.flush()
    return candidate


def _carry_ids(story: Story, previous: Story | None, session: Session) -> None:
    """Keep fact ids stable across re-merges (a fact keeps the id of the old fact it shares sources with)
    and unique across stories."""
    old: dict[tuple[str, str, int], str] = {}
    if previous is not None:
        before: list[StoryMeeting | StoryDeal | StoryEvent] = [*previous.meetings, *previous.deals,
                                                                *previous.events]
        for fact in before:
            for e in fact.sources:
                old[(fact.id[0], e.article_id, e.start)] = fact.id
    facts: list[StoryMeeting | StoryDeal | StoryEvent] = [*story.meetings, *story.deals, *story.events]
    # Strongest claims first: the new fact sharing most sources with an old one inherits its id.
    claims: list[tuple[int, int, str]] = []
    for n, fact in enumerate(facts):
        keys = [(fact.id[0], e.article_id, e.start) for e in fact.sources]
        claims += [(-votes, n, old_id) for old_id, votes in Counter(old[k] for k in keys if k in old).items()]
    claims.sort()
    kept: dict[int, str] = {}
    for _, n, old_id in claims:
        if n not in kept and old_id not in kept.values():
            kept[n] = old_id
    fresh = {f.id for n, f in enumerate(facts) if n not in kept}
    elsewhere: set[str] = set()
    for table in FACT_TABLES:
        others = select(table.id).where(table.id.in_(fresh), table.story_id != story.id)
        elsewhere.update(session.scalars(others))
    taken = set(kept.values()) | elsewhere
    for n, fact in enumerate(facts):
        if n in kept:
            fact.id = kept[n]
            continue
        salt = 0
        while fact.id in taken:  # an id used elsewhere, or inherited by another fact here
            salt += 1
            fact.id = short_id(fact.id[0], fact.id, str(salt))
        taken.add(fact.id)


def _rebuild(session: Session, story_id: str, now: dt.datetime) -> None:
    """Merge one story again from its articles' stored facts (deleting it when none are left)."""
    session.flush()
    rows = list(session.scalars(select(ArticleRow).where(ArticleRow.story_id == story_id)))
    existing = session.get(StoryRow, story_id)
    if not rows:
        if existing is not None:
            delete_story_facts(session, story_id)
            session.delete(existing)
        return
    facts = [ArticleFacts.model_validate_json(r.facts) for r in rows]
    story = merge_story(facts)
    story.id = story_id
    previous = None
    if existing is not None and existing.article_count:
        previous = Story.model_validate_json(existing.data)
    _carry_ids(story, previous, session)
    write_story(session, story, facts, now)


def _detach(session: Session, row: ArticleRow, now: dt.datetime) -> None:
    """Remove an article; what is left of its story is re-clustered (it may split) and re-merged."""
    story_id = row.story_id
    session.delete(row)
    session.flush()
    if story_id is None:
        return
    rest = list(session.scalars(select(ArticleRow).where(ArticleRow.story_id == story_id)
                                .order_by(ArticleRow.id)))
    groups = cluster_profiles([_profile(r) for r in rest]) if rest else []
    groups.sort(key=lambda g: (-len(g), g[0]))
    for number, group in enumerate(groups):
        target = story_id if number == 0 else _new_story(session, rest[group[0]].id, now)
        for index in group:
            rest[index].story_id = target
        if number > 0:
            session.flush()
            _rebuild(session, target, now)
    _rebuild(session, story_id, now)


def _attach(session: Session, facts: ArticleFacts, digest: str, now: dt.datetime,
            ingested_at: dt.datetime) -> None:
    article = facts.article
    profile = profile_article(facts)
    row = ArticleRow(id=article.id, url=article.url, content_hash=digest, title=article.title,
                     outlet=article.outlet, published=article.published, anchor=profile.anchor, story_id=None,
                     facts=facts.model_dump_json(), profile=profile.model_dump_json(),
                     search_text=_article_search_text(facts),
                     ingested_at=ingested_at, updated_at=now)
    session.add(row)
    session.flush()  # no ORM relationships: the article row must exist before the rows pointing at it
    keys = [ArticleKeyRow(article_id=article.id, key=key, anchor=profile.anchor)
            for key in sorted(blocking_keys(profile))]
    bulk_insert(session, [*_person_rows(facts), *keys])
    insert_words(session, word_rows("article", article.id, row.search_text, article.published,
                                    article_id=article.id))
    insert_docs(session, [doc_row("article", article.id, row.search_text, article.published,
                                  article_id=article.id)])
    session.flush()
    story_id = best_story(profile, _window(session, profile, now)) or _new_story(session, article.id, now)
    row.story_id = story_id
    _rebuild(session, story_id, now)


def _ingest_one(session: Session, facts: ArticleFacts, now: dt.datetime) -> Outcome:
    facts = _without_nul(facts)
    article = facts.article
    if not article.id or len(article.id) > ARTICLE_ID_MAX:
        raise InputError(f"article id must be 1 to {ARTICLE_ID_MAX} characters: {article.id[:80]!r}...")
    digest = text_hash(facts)
    row = session.get(ArticleRow, article.id)
    if row is None and article.url:
        row = session.scalars(select(ArticleRow).where(ArticleRow.url == article.url)).first()
    if row is not None and row.content_hash == digest:
        return "unchanged"
    if row is None:
        same_text = select(ArticleRow.id).where(ArticleRow.content_hash == digest)
        if session.scalars(same_text).first() is not None:
            return "unchanged"
    ingested_at = now
    if row is not None:
        ingested_at = row.ingested_at
        _detach(session, row, now)
    _attach(session, facts, digest, now, ingested_at)
    return "replaced" if row is not None else "added"


# Bulk ingest commits several articles per transaction: a commit writes every page it dirtied, and
# the word index's pages are dirtied all over by any few articles, so one commit per article wrote
# ~50x the database size (bench/README.md). A batch holds SQLite's write lock while it runs, so it
# is bounded in time too, well under the 5 s other processes wait for the lock.
BATCH_ARTICLES = 200
BATCH_SECONDS = 2.0
# PostgreSQL has no statistics for tables a bulk load filled until autovacuum gets to them, and plans
# badly meanwhile: an ingest writing at least this many articles runs ANALYZE on what it touched.
ANALYZE_MIN_ARTICLES = 100
INGEST_TABLES = ("articles", "article_keys", "person_mentions", "person_aliases", "stories", "meetings",
                 "deals", "events", "fact_entities", "search_words", "search_docs")

_SKIPPED = (InputError, exc.DataError, exc.IntegrityError, ValueError)


def _skip_message(error: Exception) -> str:
    return str(getattr(error, "orig", None) or error).splitlines()[0][:300]


def _ingest_alone(store: Store, item: ArticleFacts, now: dt.datetime, report: IngestReport) -> None:
    """One article in its own transaction: a bad one is reported and skipped, nothing of it is written."""
    try:
        with store.session() as session:
            outcome = _ingest_one(session, item, now)
    except _SKIPPED as error:
        log.warning("article %s skipped: %s", item.article.id[:64], type(error).__name__)
        report.failed.append((item.article.url or item.article.id, _skip_message(error)))
        return
    getattr(report, outcome).append(item.article.id)


def _ingest_batch(store: Store, items: Sequence[ArticleFacts], now: dt.datetime, report: IngestReport) -> int:
    """As many of `items` as fit the batch bounds in one transaction; returns how many were taken.

    When one of them fails, the whole transaction rolls back and the same articles go again one
    transaction each, so a bad article costs only itself (no savepoints: pysqlite's are unreliable).
    """
    outcomes: list[tuple[str, Outcome]] = []
    started = time.monotonic()
    try:
        with store.session() as session:
            for item in items:
                outcomes.append((item.article.id, _ingest_one(session, item, now)))
                if len(outcomes) >= BATCH_ARTICLES or time.monotonic() - started >= BATCH_SECONDS:
                    break
    except _SKIPPED:
        taken = len(outcomes) + 1  # the ones that went through, and the one that failed
        for item in items[:taken]:
            _ingest_alone(store, item, now, report)
        return taken
    for article_id, outcome in outcomes:
        getattr(report, outcome).append(article_id)
    return len(outcomes)


def ingest(store: Store, facts: Sequence[ArticleFacts], now: dt.datetime, *,
           analyze: bool | None = None) -> IngestReport:
    """Add articles with their facts, several per transaction; a bad one is reported and skipped.

    The same article again (same id or URL and same content hash, or the same text under another
    name) changes nothing; a corrected version replaces the old one and its facts.
    A `StoreError` (the database itself failing) stops the run: the articles of the transaction it
    interrupted are not written (those of earlier transactions are; ingesting again completes it).
    `analyze`: run ANALYZE on PostgreSQL afterwards (default: when at least `ANALYZE_MIN_ARTICLES`
    articles were written).
    """
    report = IngestReport()
    done = 0
    while done < len(facts):
        done += _ingest_batch(store, facts[done:done + BATCH_ARTICLES], now, report)
    written = len(report.added) + len(report.replaced)
    if analyze or (analyze is None and written >= ANALYZE_MIN_ARTICLES):
        analyze_tables(store)
    return report


def analyze_tables(store: Store) -> None:
    """Fresh planner statistics for the tables an ingest writes (PostgreSQL; a no-op elsewhere).

    Straight after a bulk load PostgreSQL has no statistics for the new rows and picks slow plans
    (query p95 53-56 ms until a manual ANALYZE, bench/README.md) until autovacuum runs.
    """
    if store.dialect != "postgresql":
        return
    with store.session() as session:
        session.execute(text(f"ANALYZE {', '.join(INGEST_TABLES)}"))


def remove_article(store: Store, article_id: str, now: dt.datetime) -> None:
    """Remove an article and its contributions; its story re-merges from what is left (or goes)."""
    with store.session() as session:
        row = session.get(ArticleRow, article_id)
        if row is None:
            raise NotFoundError(f"no article with id {article_id!r}")
        _detach(session, row, now)

