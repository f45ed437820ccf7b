"""Alerts from the firm's monitoring and their suspected-incident cards.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=False)


def _long(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.Text(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        *(_text(name) for name in ("group_key", "source", "system")),
        _long("summary"),
        _text("severity"),
        _long("link"),
        _when("occurred_at"),
        _when("received_at", nullable=False),
        _when("updated_at", nullable=False),
        _text("status"),
        sa.Column("firing", sa.Integer(), nullable=False),
        sa.Column("deliveries", sa.Integer(), nullable=False),
        _text("state"),
        _text("settled_by"),
        _when("settled_at"),
        _long("reason"),
        *(_text(name) for name in ("incident_key", "room_platform", "room_id", "message_id")),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_alerts_group", "alerts", ["group_key", "updated_at"])


def downgrade() -> None:
    op.drop_index("ix_alerts_group", table_name="alerts")
    op.drop_table("alerts")
