"""Sends in flight and the planner's index: `deliveries.sending_at`, `subscribers.next_due_at`.

`sending_at` is set just before a request for a briefing goes to Telegram and cleared when its
answer is recorded: a claim taken over from a stopped process is a possible duplicate only when it
is set (the request may have been accepted), not for every claim the process held. `next_due_at`
is the earliest instant a subscriber may be due; the planner reads only the rows at or before now
through its index instead of every subscriber each minute. Existing rows start at the epoch:
"look at me at the next tick", which sets the real value.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sending_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_due_at", sa.DateTime(), server_default="1970-01-01 00:00:00",
                                      nullable=False))
        batch_op.create_index("ix_subscribers_active_next_due_at", ["active", "next_due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("subscribers", schema=None) as batch_op:
        batch_op.drop_index("ix_subscribers_active_next_due_at")
        batch_op.drop_column("next_due_at")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_column("sending_at")
