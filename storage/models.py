"""The database tables, as SQLModel classes; Alembic's migrations create exactly these.

from storage.models import INCIDENTS, REMINDERS
select(INCIDENTS.c.title).where(INCIDENTS.c.room_id == "C0123")
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Index, Row, Table, Text, UniqueConstraint
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import Field, SQLModel

# A result row of any width, as the Core queries over these tables return them.
AnyRow = Row[*tuple[Any, ...]]


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out.

    PostgreSQL keeps them as timestamptz; SQLite has no zone, so they are stored as naive
    UTC (fixed-width text, so comparisons in SQL still order correctly)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        zoned = dialect.name == "postgresql"
        return dialect.type_descriptor(DateTime(timezone=zoned))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: the store takes aware datetimes only")
        utc = value.astimezone(UTC)
        return utc if dialect.name == "postgresql" else utc.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class IncidentRow(SQLModel, table=True):
    """The list row of an incident; `version` is the seq of its last event."""

    __tablename__ = "incidents"
    __table_args__ = (
        Index("ix_incidents_room", "room_platform", "room_id"),
        Index("ix_incidents_listed", "closed_at", "declared_at"),
        Index("ix_incidents_next_due_at", "next_due_at"),
    )

    key: str = Field(primary_key=True)
    title: str
    system: str
    failure_type: str
    phase: str
    owner: str | None = None
    aware_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    declared_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    room_platform: str = ""
    room_id: str = ""
    version: int
    # The earliest pending deadline and its clock, written with every change, so the board
    # lists and filters (overdue) without loading an incident.
    next_due_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    next_clock: str = ""
    head_hash: str = Field(default="", sa_column_kwargs={"server_default": ""})
    # The incident's folded state at an event of its timeline (bot.snapshot), written with
    # every change: a load reads it and the events after it. "": replay the timeline.
    snapshot: str = Field(default="", sa_type=Text, sa_column_kwargs={"server_default": ""})


class TimelineEventRow(SQLModel, table=True):
    """One timeline event. `at` is the ISO text the hash was computed over, so it
    round-trips exactly; `data` is JSON with sorted keys."""

    __tablename__ = "timeline_events"
    __table_args__ = (UniqueConstraint("incident_key", "seq", name="uq_timeline_events_seq"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_key: str
    seq: int
    at: str = Field(sa_type=Text)
    actor_id: str
    actor_name: str
    actor_person_id: str | None = None
    type: str
    data: str = Field(sa_type=Text)
    prev_hash: str
    hash: str


class ReminderRow(SQLModel, table=True):
    """A reminder: scheduled → claimed → sent / cancelled. `due_at` is the deadline it
    serves; `ready_at` is when it may next be claimed (later than due_at after a retry)."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("dedupe_key", name="uq_reminders_dedupe_key"),
        Index("ix_reminders_incident_key", "incident_key"),
        Index("ix_reminders_status_ready_at", "status", "ready_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str
    incident_key: str
    kind: str
    due_at: datetime = Field(sa_type=UtcDateTime)
    ready_at: datetime = Field(sa_type=UtcDateTime)
    data: str = Field(sa_type=Text)
    status: str
    attempts: int = 0
    claimed_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    message_id: str = ""
    late_by_s: float = 0.0
    last_error: str = ""


class KeyCounterRow(SQLModel, table=True):
    """The last incident number handed out in a year."""

    __tablename__ = "key_counters"

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    last: int


class MessageRow(SQLModel, table=True):
    """The platform message id posted for an incident's named slot (e.g. the card)."""

    __tablename__ = "messages"

    incident_key: str = Field(primary_key=True)
    slot: str = Field(primary_key=True)
    message_id: str  # "" while claimed and not yet posted
    # The incident's version (last seq) the message last showed: an older render is dropped.
    version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    claimed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class InboxRow(SQLModel, table=True):
    """A platform request kept before it is acknowledged, so acked work survives a crash:
    pending → done / failed. `delivery_key` is unique, so a redelivery is recognised."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("delivery_key", name="uq_inbox_delivery_key"),
        Index("ix_inbox_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    platform: str
    delivery_key: str
    kind: str
    payload: str = Field(sa_type=Text)
    received_at: datetime = Field(sa_type=UtcDateTime)
    status: str
    attempts: int = 0
    handled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_error: str = ""


class ConversationRow(SQLModel, table=True):
    """Where a platform conversation can be reached proactively (Teams: the conversation
    reference and its service URL, refreshed on every inbound activity). `blocked_at` is
    set when the platform says the bot was removed; nothing more is sent there."""

    __tablename__ = "conversations"

    platform: str = Field(primary_key=True)
    conversation_id: str = Field(primary_key=True)
    service_url: str
    tenant_id: str = ""
    reference: str = Field(sa_type=Text)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    blocked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class AlertRow(SQLModel, table=True):
    """An alert from the firm's monitoring and its suspected-incident card: open →
    dismissed (with a reason) or declared (with the incident's key). Repeats of one
    `group_key` update the row and its card."""

    __tablename__ = "alerts"
    __table_args__ = (Index("ix_alerts_group", "group_key", "updated_at"),)

    id: int | None = Field(default=None, primary_key=True)
    group_key: str
    source: str
    system: str
    summary: str = Field(sa_type=Text)
    severity: str = ""
    link: str = Field(default="", sa_type=Text)
    occurred_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    received_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)
    status: str
    firing: int = 1  # alerts in the group, as last told
    deliveries: int = 1
    state: str = "open"
    settled_by: str = ""
    settled_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    reason: str = Field(default="", sa_type=Text)
    incident_key: str = ""
    room_platform: str = ""
    room_id: str = ""
    message_id: str = ""


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


INCIDENTS = _table("incidents")
EVENTS = _table("timeline_events")
REMINDERS = _table("reminders")
KEY_COUNTERS = _table("key_counters")
MESSAGES = _table("messages")
INBOX = _table("inbox")
CONVERSATIONS = _table("conversations")
ALERTS = _table("alerts")
