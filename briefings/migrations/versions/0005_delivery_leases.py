"""Delivery claims with a lease: who holds a claim and until when, attempts, possible duplicates.

A 'claimed' row whose lease ran out belongs to a process that stopped (or hangs): another sender
may take it over. `maybe_duplicate` marks a delivery that was retried after an ambiguous attempt
(a read timeout) or taken over from a stopped process: Telegram may hold it twice.

Revision ID: 0005_deliveries
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_deliveries"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attempts", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("lease_until", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("maybe_duplicate", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index(batch_op.f("ix_deliveries_status_lease_until"), ["status", "lease_until"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliveries_status_lease_until"))
        batch_op.drop_column("maybe_duplicate")
        batch_op.drop_column("lease_until")
        batch_op.drop_column("claimed_by")
        batch_op.drop_column("attempts")
