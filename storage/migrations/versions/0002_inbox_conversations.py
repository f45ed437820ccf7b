"""The inbox (platform requests kept before their ack) and conversation references.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Integer(), nullable=False),
        *(_text(name) for name in ("platform", "delivery_key", "kind")),
        sa.Column("payload", sa.Text(), nullable=False),
        _when("received_at", nullable=False),
        _text("status"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("handled_at"),
        _text("last_error"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("delivery_key", name="uq_inbox_delivery_key"),
    )
    op.create_index("ix_inbox_status", "inbox", ["status"])
    op.create_table(
        "conversations",
        *(_text(name) for name in ("platform", "conversation_id", "service_url", "tenant_id")),
        sa.Column("reference", sa.Text(), nullable=False),
        _when("updated_at", nullable=False),
        _when("blocked_at"),
        sa.PrimaryKeyConstraint("platform", "conversation_id"),
    )


def downgrade() -> None:
    op.drop_table("conversations")
    op.drop_index("ix_inbox_status", table_name="inbox")
    op.drop_table("inbox")
