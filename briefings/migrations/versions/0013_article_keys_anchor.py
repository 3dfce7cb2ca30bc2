"""Blocking keys carry their article's anchor day: `article_keys.anchor` and an index on
(key, anchor, article_id), so finding a new article's candidates reads only the keys inside its
time window (the key-only index read every article sharing a key, then filtered by date). The
key-only index goes: the new one starts with the key.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("article_keys", schema=None) as batch_op:
        batch_op.add_column(sa.Column("anchor", sa.Date(), nullable=True))
    # Filled before the index is built: one pass over the rows, no index maintenance per row.
    op.execute("UPDATE article_keys SET anchor = "
               "(SELECT articles.anchor FROM articles WHERE articles.id = article_keys.article_id)")
    with op.batch_alter_table("article_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_article_keys_key")
        batch_op.create_index("ix_article_keys_key_anchor", ["key", "anchor", "article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_article_keys_key_anchor")
        batch_op.create_index("ix_article_keys_key", ["key"], unique=False)
        batch_op.drop_column("anchor")
