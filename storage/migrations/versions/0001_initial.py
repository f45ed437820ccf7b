"""Initial schema: incidents, timeline events, reminders, key counters, message slots.

Revision ID: 0001
Revises:
Create Date: 2026-01-01
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _text(name: str, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=nullable)


def _incidents() -> None:
    op.create_table(
        "incidents",
        _text("key"),
        *(_text(name) for name in ("title", "system", "failure_type", "phase")),
        _text("owner", nullable=True),
        *(_when(name) for name in ("aware_at", "declared_at", "closed_at")),
        _text("room_platform"),
        _text("room_id"),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_index("ix_incidents_room", "incidents", ["room_platform", "room_id"])


def _timeline_events() -> None:
    op.create_table(
        "timeline_events",
        sa.Column("id", sa.Integer(), nullable=False),
        _text("incident_key"),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        _text("actor_id"),
        _text("actor_name"),
        _text("actor_person_id", nullable=True),
        _text("type"),
        sa.Column("data", sa.Text(), nullable=False),
        _text("prev_hash"),
        _text("hash"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_key", "seq", name="uq_timeline_events_seq"),
    )


def _reminders() -> None:
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        *(_text(name) for name in ("dedupe_key", "incident_key", "kind")),
        _when("due_at", nullable=False),
        _when("ready_at", nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        _text("status"),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("claimed_until"),
        _when("sent_at"),
        _text("message_id"),
        sa.Column("late_by_s", sa.Float(), nullable=False),
        _text("last_error"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dedupe_key", name="uq_reminders_dedupe_key"),
    )
    op.create_index("ix_reminders_incident_key", "reminders", ["incident_key"])
    op.create_index("ix_reminders_status_ready_at", "reminders", ["status", "ready_at"])


def _small_tables() -> None:
    op.create_table(
        "key_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "messages",
        _text("incident_key"),
        _text("slot"),
        _text("message_id"),
        sa.PrimaryKeyConstraint("incident_key", "slot"),
    )


def upgrade() -> None:
    _incidents()
    _timeline_events()
    _reminders()
    _small_tables()


def downgrade() -> None:
    for index, table in (
        ("ix_reminders_status_ready_at", "reminders"),
        ("ix_reminders_incident_key", "reminders"),
        ("ix_incidents_room", "incidents"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("messages", "key_counters", "reminders", "timeline_events", "incidents"):
        op.drop_table(table)
