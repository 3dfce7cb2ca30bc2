"""Initial tables: articles, stories and their merged facts, people, subscribers, deliveries, feeds.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("claimed_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("message_ids", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint("chat_id", "local_date", name=op.f("uq_deliveries_chat_id_local_date")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deliveries_claimed_at"), ["claimed_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_deliveries_local_date"), ["local_date"], unique=False)

    op.create_table(
        "feeds",
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("added_by", sa.BigInteger(), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_feeds")),
    )
    op.create_table(
        "stories",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("headline", sa.Text(), nullable=True),
        sa.Column("first_published", sa.Date(), nullable=True),
        sa.Column("last_published", sa.Date(), nullable=True),
        sa.Column("article_count", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stories")),
    )
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_stories_last_published"), ["last_published"], unique=False)
        batch_op.create_index(batch_op.f("ix_stories_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "subscribers",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=True),
        sa.Column("chat_type", sa.String(length=32), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("delivery_time", sa.Time(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("inactive_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_briefing_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_subscribers")),
    )
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_subscribers_active"), ["active"], unique=False)

    op.create_table(
        "articles",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("outlet", sa.String(length=200), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("anchor", sa.Date(), nullable=True),
        sa.Column("story_id", sa.String(length=16), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("ingested_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_articles_story_id_stories"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_anchor"), ["anchor"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_content_hash"), ["content_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_story_id"), ["story_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_articles_url"), ["url"], unique=False)

    op.create_table(
        "deals",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("story_id", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("currency", sa.String(length=8), nullable=True),
        sa.Column("amount", sa.Float(), nullable=True),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_deals_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deals")),
    )
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deals_amount"), ["amount"], unique=False)
        batch_op.create_index(batch_op.f("ix_deals_currency"), ["currency"], unique=False)
        batch_op.create_index(batch_op.f("ix_deals_date_start"), ["date_start"], unique=False)
        batch_op.create_index(batch_op.f("ix_deals_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_deals_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_deals_story_id"), ["story_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("story_id", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_events_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_date_start"), ["date_start"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_story_id"), ["story_id"], unique=False)

    op.create_table(
        "fact_entities",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("story_id", sa.String(length=16), nullable=False),
        sa.Column("fact_id", sa.String(length=16), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_fact_entities_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_fact_entities")),
    )
    with op.batch_alter_table("fact_entities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_fact_entities_fact_id"), ["fact_id"], unique=False)
        batch_op.create_index("ix_fact_entities_role_key", ["role", "key"], unique=False)
        batch_op.create_index(batch_op.f("ix_fact_entities_story_id"), ["story_id"], unique=False)

    op.create_table(
        "meetings",
        sa.Column("id", sa.String(length=16), nullable=False),
        sa.Column("story_id", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=True),
        sa.Column("date_end", sa.Date(), nullable=True),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_meetings_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meetings")),
    )
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meetings_date_start"), ["date_start"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_meetings_story_id"), ["story_id"], unique=False)

    op.create_table(
        "person_aliases",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("alias_key", sa.String(length=200), nullable=False),
        sa.Column("person_key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_person_aliases_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_aliases")),
    )
    with op.batch_alter_table("person_aliases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_aliases_alias_key"), ["alias_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_aliases_article_id"), ["article_id"], unique=False)

    op.create_table(
        "person_mentions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("titles", sa.Text(), nullable=False),
        sa.Column("aliases", sa.Text(), nullable=False),
        sa.Column("country", sa.String(length=100), nullable=True),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_person_mentions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person_mentions")),
    )
    with op.batch_alter_table("person_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_mentions_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_person_mentions_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_mentions_key"))
        batch_op.drop_index(batch_op.f("ix_person_mentions_article_id"))

    op.drop_table("person_mentions")
    with op.batch_alter_table("person_aliases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_aliases_article_id"))
        batch_op.drop_index(batch_op.f("ix_person_aliases_alias_key"))

    op.drop_table("person_aliases")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meetings_story_id"))
        batch_op.drop_index(batch_op.f("ix_meetings_kind"))
        batch_op.drop_index(batch_op.f("ix_meetings_date_start"))

    op.drop_table("meetings")
    with op.batch_alter_table("fact_entities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_fact_entities_story_id"))
        batch_op.drop_index("ix_fact_entities_role_key")
        batch_op.drop_index(batch_op.f("ix_fact_entities_fact_id"))

    op.drop_table("fact_entities")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_story_id"))
        batch_op.drop_index(batch_op.f("ix_events_date_start"))

    op.drop_table("events")
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deals_story_id"))
        batch_op.drop_index(batch_op.f("ix_deals_status"))
        batch_op.drop_index(batch_op.f("ix_deals_kind"))
        batch_op.drop_index(batch_op.f("ix_deals_date_start"))
        batch_op.drop_index(batch_op.f("ix_deals_currency"))
        batch_op.drop_index(batch_op.f("ix_deals_amount"))

    op.drop_table("deals")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_url"))
        batch_op.drop_index(batch_op.f("ix_articles_story_id"))
        batch_op.drop_index(batch_op.f("ix_articles_content_hash"))
        batch_op.drop_index(batch_op.f("ix_articles_anchor"))

    op.drop_table("articles")
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_subscribers_active"))

    op.drop_table("subscribers")
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stories_updated_at"))
        batch_op.drop_index(batch_op.f("ix_stories_last_published"))

    op.drop_table("stories")
    op.drop_table("feeds")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliveries_local_date"))
        batch_op.drop_index(batch_op.f("ix_deliveries_claimed_at"))

    op.drop_table("deliveries")
