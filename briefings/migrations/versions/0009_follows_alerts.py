"""Follows, reader preferences, and the alert ledger (one row per chat and fact) with its scan marks.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("keys", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=True),
        sa.Column("alert", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("chat_id", "kind", "key", name=op.f("uq_follows_chat_id_kind_key")),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_follows_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index("ix_follows_kind_key", ["kind", "key"], unique=False)
    op.create_table(
        "reader_prefs",
        sa.Column("chat_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("only_follows", sa.Boolean(), nullable=False),
        sa.Column("chart", sa.Boolean(), nullable=False),
        sa.Column("frequency", sa.String(length=16), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("chat_id", name=op.f("pk_reader_prefs")),
    )
    op.create_table(
        "alert_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("fact_key", sa.String(length=64), nullable=False),
        sa.Column("fact_id", sa.String(length=16), nullable=False),
        sa.Column("story_id", sa.String(length=16), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_by", sa.String(length=80), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("message_id", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("maybe_duplicate", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_deliveries")),
        sa.UniqueConstraint("chat_id", "fact_key", name=op.f("uq_alert_deliveries_chat_id_fact_key")),
    )
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_deliveries_sent_at"), ["sent_at"], unique=False)
        batch_op.create_index("ix_alert_deliveries_status_chat_id", ["status", "chat_id"], unique=False)
    op.create_table(
        "alert_scans",
        sa.Column("article_id", sa.String(length=200), nullable=False),
        sa.Column("scanned_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_alert_scans")),
    )


def downgrade() -> None:
    op.drop_table("alert_scans")
    with op.batch_alter_table("alert_deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_alert_deliveries_status_chat_id")
        batch_op.drop_index(batch_op.f("ix_alert_deliveries_sent_at"))
    op.drop_table("alert_deliveries")
    op.drop_table("reader_prefs")
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index("ix_follows_kind_key")
        batch_op.drop_index(batch_op.f("ix_follows_chat_id"))
    op.drop_table("follows")
