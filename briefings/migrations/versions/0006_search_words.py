"""Search word index: search looks words up by prefix instead of scanning every text with LIKE.

The index is filled from the search texts already stored, so search keeps finding old rows.

Revision ID: 0006
Revises: 0005_deliveries
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005_deliveries"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FACTS = (("meetings", "meeting"), ("deals", "deal"), ("events", "event"))


def _words(text: str) -> list[str]:
    # The stored search texts are already folded (lowercase words and digits, single spaces).
    from briefings.store.search_words import index_words

    return sorted(index_words(text))


def upgrade() -> None:
    op.create_table(
        "search_words",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("word", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("ref_id", sa.String(length=200), nullable=False),
        sa.Column("sort_date", sa.Date(), nullable=True),
        sa.Column("story_id", sa.String(length=16), nullable=True),
        sa.Column("article_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_search_words_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["story_id"], ["stories.id"], name=op.f("fk_search_words_story_id_stories"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_words")),
    )
    with op.batch_alter_table("search_words", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_words_word"), ["word"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_words_story_id"), ["story_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_words_article_id"), ["article_id"], unique=False)
    bind = op.get_bind()
    words = sa.table(
        "search_words",
        sa.column("word"),
        sa.column("kind"),
        sa.column("ref_id"),
        sa.column("sort_date"),
        sa.column("story_id"),
        sa.column("article_id"),
    )
    for table, kind in _FACTS:
        rows = bind.execute(sa.text(f"select id, story_id, date_start, search_text from {table}")).all()
        values = [
            {"word": w, "kind": kind, "ref_id": i, "sort_date": d, "story_id": s, "article_id": None}
            for i, s, d, text in rows
            for w in _words(text)
        ]
        if values:
            bind.execute(words.insert(), values)
    rows = bind.execute(sa.text("select id, published, search_text from articles")).all()
    values = [
        {"word": w, "kind": "article", "ref_id": i, "sort_date": d, "story_id": None, "article_id": i}
        for i, d, text in rows
        for w in _words(text)
    ]
    if values:
        bind.execute(words.insert(), values)


def downgrade() -> None:
    with op.batch_alter_table("search_words", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_words_article_id"))
        batch_op.drop_index(batch_op.f("ix_search_words_story_id"))
        batch_op.drop_index(batch_op.f("ix_search_words_word"))
    op.drop_table("search_words")
