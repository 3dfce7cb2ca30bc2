"""Full-text search by the database itself: `search_docs` (one text per fact or article), indexed
by SQLite FTS5 with porter stemming (`search_fts`, external content, kept in step by triggers) or
by a PostgreSQL GIN index on `to_tsvector('english', body)`. Filled from the stored search texts.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SOURCES = (
    ("meeting", "select id, story_id, null, date_start, search_text from meetings"),
    ("deal", "select id, story_id, null, date_start, search_text from deals"),
    ("event", "select id, story_id, null, date_start, search_text from events"),
    ("article", "select id, null, id, published, search_text from articles"),
)

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_docs', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER search_docs_au AFTER UPDATE ON search_docs BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
]
POSTGRES_INDEX = "CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (to_tsvector('english', body))"


def upgrade() -> None:
    op.create_table(
        "search_docs",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("ref_id", sa.String(length=200), nullable=False),
        sa.Column("sort_date", sa.Date(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("story_id", sa.String(length=16), nullable=True),
        sa.Column("article_id", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"],
                                name=op.f("fk_search_docs_article_id_articles"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["story_id"], ["stories.id"], name=op.f("fk_search_docs_story_id_stories"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_docs")),
    )
    with op.batch_alter_table("search_docs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_docs_story_id"), ["story_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_search_docs_article_id"), ["article_id"], unique=False)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        op.execute(POSTGRES_INDEX)
    docs = sa.table("search_docs", sa.column("kind"), sa.column("ref_id"), sa.column("story_id"),
                    sa.column("article_id"), sa.column("sort_date"), sa.column("body"))
    for kind, query in _SOURCES:
        rows = bind.execute(sa.text(query)).all()
        values = [{"kind": kind, "ref_id": i, "story_id": s, "article_id": a, "sort_date": d, "body": t}
                  for i, s, a, d, t in rows]
        if values:
            bind.execute(docs.insert(), values)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for name in ("search_docs_ai", "search_docs_ad", "search_docs_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    elif bind.dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_docs_tsv")
    with op.batch_alter_table("search_docs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_docs_article_id"))
        batch_op.drop_index(batch_op.f("ix_search_docs_story_id"))
    op.drop_table("search_docs")
