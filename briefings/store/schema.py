"""Typed SQLAlchemy tables of the store. Rows stay inside `briefings/store/`.

Merged facts are stored denormalised per story: each meeting, deal and event row carries its whole
pydantic model as JSON (`data`) next to the columns the queries filter and sort on, so a query is
one indexed select plus `model_validate_json`, never a join over evidence rows.
`fact_entities` indexes who and what a fact or story is about (participants, parties, countries,
people) by a normalised key, for the party, person, country and entity filters.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.expression import false
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


ARTICLE_ID_MAX = 200  # ids are file stems, URL slugs or feed entry ids (migration 0003 widened them)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone; we store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware UTC datetime")
        return value.astimezone(dt.UTC).replace(tzinfo=None)

    def process_result_value(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        return None if value is None else value.replace(tzinfo=dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[str] = mapped_column(String(ARTICLE_ID_MAX), primary_key=True)
    url: Mapped[str | None] = mapped_column(String(2048), index=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    outlet: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[dt.date | None] = mapped_column(Date)
    # The day clustering places the article at (published, else its latest dated fact).
    anchor: Mapped[dt.date | None] = mapped_column(Date, index=True)
    story_id: Mapped[str | None] = mapped_column(
        ForeignKey("stories.id", ondelete="SET NULL"), index=True)
    facts: Mapped[str] = mapped_column(Text)  # ArticleFacts JSON: re-merging never re-extracts
    # ArticleProfile JSON (migration 0002): re-clustering never re-tokenises; "{}" until computed.
    profile: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    search_text: Mapped[str] = mapped_column(Text)
    ingested_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class StoryRow(Base):
    __tablename__ = "stories"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    headline: Mapped[str | None] = mapped_column(Text)
    first_published: Mapped[dt.date | None] = mapped_column(Date)
    last_published: Mapped[dt.date | None] = mapped_column(Date, index=True)
    article_count: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    data: Mapped[str] = mapped_column(Text)  # Story JSON
    search_text: Mapped[str] = mapped_column(Text)


class MeetingRow(Base):
    __tablename__ = "meetings"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    label: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)  # StoryMeeting JSON
    search_text: Mapped[str] = mapped_column(Text)


class DealRow(Base):
    __tablename__ = "deals"

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(24), index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    currency: Mapped[str | None] = mapped_column(String(8), index=True)
    amount: Mapped[float | None] = mapped_column(Float, index=True)
    date_start: Mapped[dt.date | None] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date | None] = mapped_column(Date)
    label: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)  # StoryDeal JSON
    search_text: Mapped[str] = mapped_column(Text)


class EventRow(Base):
    __tablename__ = "events"
    # Date-range overlaps read the index alone (migration 0007).
    __table_args__ = (Index("ix_events_date_span", "date_start", "date_end"),)

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    date_start: Mapped[dt.date] = mapped_column(Date, index=True)
    date_end: Mapped[dt.date] = mapped_column(Date)
    label: Mapped[str] = mapped_column(Text)
    data: Mapped[str] = mapped_column(Text)  # StoryEvent JSON
    search_text: Mapped[str] = mapped_column(Text)


class FactEntityRow(Base):
    """`role`: participant (meeting), party (deal), country (deal or story), person (story)."""

    __tablename__ = "fact_entities"
    __table_args__ = (Index("ix_fact_entities_role_key", "role", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    story_id: Mapped[str] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    fact_id: Mapped[str] = mapped_column(String(16), index=True)
    role: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))


class ArticleKeyRow(Base):
    """Blocking keys of an article (surname, organisation and country keys of its profile, migration
    0004): a new article is scored only against window articles sharing one, most shared first.

    `anchor` repeats the article's anchor day (migration 0013), so the candidate lookup is one
    index range per key inside the time window instead of every article sharing the key."""

    __tablename__ = "article_keys"
    __table_args__ = (Index("ix_article_keys_key_anchor", "key", "anchor", "article_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        String(ARTICLE_ID_MAX), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    anchor: Mapped[dt.date | None] = mapped_column(Date)


class PersonMentionRow(Base):
    """One person as one article names them; a profile aggregates the rows sharing a key."""

    __tablename__ = "person_mentions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        String(ARTICLE_ID_MAX), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(String(300))
    titles: Mapped[str] = mapped_column(Text)  # JSON list
    aliases: Mapped[str] = mapped_column(Text)  # JSON list
    country: Mapped[str | None] = mapped_column(String(100))
    mentions: Mapped[int] = mapped_column(Integer)


class PersonAliasRow(Base):
    __tablename__ = "person_aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    article_id: Mapped[str] = mapped_column(
        String(ARTICLE_ID_MAX), ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    alias_key: Mapped[str] = mapped_column(String(200), index=True)
    person_key: Mapped[str] = mapped_column(String(200))


class SearchWordRow(Base):
    """The word index of full-text search (migration 0006): one row per distinct folded word of a
    fact's or an article's search text. Fact rows go with their story, article rows with the article."""

    __tablename__ = "search_words"
    # Covering: a word lookup reads the index alone (migration 0007).
    __table_args__ = (Index("ix_search_words_lookup", "word", "kind", "ref_id", "sort_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    word: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(8))  # meeting | deal | event | article
    ref_id: Mapped[str] = mapped_column(String(ARTICLE_ID_MAX))
    sort_date: Mapped[dt.date | None] = mapped_column(Date)
    story_id: Mapped[str | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[str | None] = mapped_column(
        String(ARTICLE_ID_MAX), ForeignKey("articles.id", ondelete="CASCADE"), index=True)


class SearchDocRow(Base):
    """One searchable text per fact or article (migration 0011), indexed by the database's own
    full-text search: SQLite FTS5 (`search_fts`, porter stemming, kept in step by triggers) or a
    PostgreSQL GIN index on `to_tsvector('english', body)`. Fact rows go with their story, article
    rows with the article."""

    __tablename__ = "search_docs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))  # meeting | deal | event | article
    ref_id: Mapped[str] = mapped_column(String(ARTICLE_ID_MAX))
    sort_date: Mapped[dt.date | None] = mapped_column(Date)
    body: Mapped[str] = mapped_column(Text)
    story_id: Mapped[str | None] = mapped_column(ForeignKey("stories.id", ondelete="CASCADE"), index=True)
    article_id: Mapped[str | None] = mapped_column(
        String(ARTICLE_ID_MAX), ForeignKey("articles.id", ondelete="CASCADE"), index=True)


# What migrations 0011-0014 make for the database's own full-text search (SQLite's FTS5 table and
# its shadow tables; PostgreSQL's stored tsvector column and its index): not models, so comparing
# migrations with the models leaves them out.
FULL_TEXT_OBJECTS = ("search_fts", "search_fts_data", "search_fts_idx", "search_fts_docsize",
                     "search_fts_config", "search_fts_content", "ix_search_docs_tsv", "body_tsv")


# `next_due_at` of a subscriber the planner has not looked at yet (new, or settings changed).
EVALUATE_NOW = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


class SubscriberRow(Base):
    __tablename__ = "subscribers"
    # The planner reads only the subscribers due now through this index (migration 0010).
    __table_args__ = (Index("ix_subscribers_active_next_due_at", "active", "next_due_at"),)

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_type: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str] = mapped_column(String(64))
    delivery_time: Mapped[dt.time] = mapped_column(Time)
    language: Mapped[str] = mapped_column(String(16), default="en")
    active: Mapped[bool] = mapped_column(Boolean, index=True)
    inactive_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    last_briefing_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The earliest instant a briefing may be due (never later than the real one): the planner's key.
    next_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=EVALUATE_NOW,
                                                     server_default="1970-01-01 00:00:00")


class DeliveryRow(Base):
    """One briefing per chat and local day: claimed (with a lease), then sent, failed, ambiguous or
    skipped (migration 0005 added the lease, the attempts and the possible-duplicate flag)."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("chat_id", "local_date"),
                      Index("ix_deliveries_status_lease_until", "status", "lease_until"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    local_date: Mapped[dt.date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16))
    late: Mapped[bool] = mapped_column(Boolean)
    claimed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    message_ids: Mapped[str] = mapped_column(Text)  # JSON list of ints
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    maybe_duplicate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Set while a request for it may be with Telegram (migration 0010): only then is a taken-over
    # claim a possible duplicate.
    sending_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class FeedRow(Base):
    __tablename__ = "feeds"

    url: Mapped[str] = mapped_column(String(2048), primary_key=True)
    added_by: Mapped[int | None] = mapped_column(BigInteger)
    added_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    polled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class FollowRow(Base):
    """One thing a chat follows (migration 0009): a person, organisation, country or topic word.

    `key` is what stories are matched on (a folded name, an ISO country code, a folded word);
    `keys` (JSON list) holds other keys of the same entity (an acronym, an alias)."""

    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("chat_id", "kind", "key"), Index("ix_follows_kind_key", "kind", "key"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    keys: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(300))
    detail: Mapped[str | None] = mapped_column(String(300))
    alert: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ReaderPrefsRow(Base):
    """How a chat wants its briefing shaped (migration 0009); no row means the defaults."""

    __tablename__ = "reader_prefs"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    only_follows: Mapped[bool] = mapped_column(Boolean, default=False)
    chart: Mapped[bool] = mapped_column(Boolean, default=False)
    frequency: Mapped[str] = mapped_column(String(16), default="daily")
    weekday: Mapped[int] = mapped_column(Integer, default=0)


class AlertDeliveryRow(Base):
    """The alert side of the delivery ledger (migration 0009): one row per chat and fact, so a fact
    alerts a reader once. `pending` -> `claimed` (with a lease) -> `sent` (one message may confirm
    several rows: alerts are coalesced) or `failed`, `ambiguous`, `skipped`."""

    __tablename__ = "alert_deliveries"
    __table_args__ = (UniqueConstraint("chat_id", "fact_key"),
                      Index("ix_alert_deliveries_status_chat_id", "status", "chat_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    fact_key: Mapped[str] = mapped_column(String(64))
    fact_id: Mapped[str] = mapped_column(String(16))
    story_id: Mapped[str | None] = mapped_column(String(16))
    payload: Mapped[str] = mapped_column(Text)  # the Alert JSON: what the message says
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    lease_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    maybe_duplicate: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class AlertScanRow(Base):
    """Articles already looked at for alerts (migration 0009): each is scanned once, by any process."""

    __tablename__ = "alert_scans"

    article_id: Mapped[str] = mapped_column(String(ARTICLE_ID_MAX), primary_key=True)
    scanned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
