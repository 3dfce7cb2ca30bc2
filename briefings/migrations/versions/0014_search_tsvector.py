"""PostgreSQL keeps each search text's `tsvector` (a stored generated column `body_tsv`, GIN-indexed),
so a match is never parsed again when the heap rows are rechecked (SQLite unchanged).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE search_docs ADD COLUMN body_tsv tsvector "
                   "GENERATED ALWAYS AS (to_tsvector('english', body)) STORED")
        op.execute("DROP INDEX IF EXISTS ix_search_docs_tsv")
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (body_tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_search_docs_tsv")
        op.execute("ALTER TABLE search_docs DROP COLUMN body_tsv")
        op.execute("CREATE INDEX ix_search_docs_tsv ON search_docs USING gin (to_tsvector('english', body))")
