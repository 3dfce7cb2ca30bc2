"""Article blocking keys: a new article is compared only with window articles sharing an entity.

Existing articles get their keys when they are next re-profiled (an article without keys is still
found through the window fallback).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_article_keys_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article_keys")),
    )
    with op.batch_alter_table("article_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_keys_article_id"), ["article_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_article_keys_key"), ["key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_keys_key"))
        batch_op.drop_index(batch_op.f("ix_article_keys_article_id"))
    op.drop_table("article_keys")
