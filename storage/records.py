"""How core values become stored records: the rules both stores (SQL and memory) share.

summary_of(incident)                          # -> IncidentSummary for the list row
spec_changes(row, spec)                       # -> {"due_at": …, "ready_at": …} or {}
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Protocol

from bot.incident import Incident
from bot.kinds import ReminderKind
from bot.ports import IncidentSummary
from bot.schedule import ReminderSpec
from bot.timeline import Event

SCHEDULED, CLAIMED, SENT, CANCELLED = "scheduled", "claimed", "sent", "cancelled"
# Reconciling to an incident's wishes may move these; claimed and sent rows belong to the ticker.
RECONCILABLE = (SCHEDULED, CANCELLED)
FINISHED = (SENT, CANCELLED)


def dump_data(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def load_data(text: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def utc(moment: datetime) -> datetime:
    if moment.utcoffset() is None:
        raise ValueError(f"naive datetime {moment!r}: the store takes aware datetimes only")
    return moment.astimezone(UTC)


def maybe_utc(moment: datetime | None) -> datetime | None:
    return None if moment is None else utc(moment)


def version_of(incident: Incident) -> int:
    return incident.last.seq if incident.last else 0


def next_deadline(specs: Sequence[ReminderSpec]) -> tuple[datetime | None, str]:
    """The earliest deadline still pending and its clock: each pending clock with a deadline
    wants an "overdue" reminder at that deadline, so the wanted reminders say it."""
    deadlines = sorted(
        (utc(s.due_at), str(s.data.get("clock", "")))
        for s in specs
        if s.kind == ReminderKind.OVERDUE
    )
    return deadlines[0] if deadlines else (None, "")


def summary_of(incident: Incident, specs: Sequence[ReminderSpec] = ()) -> IncidentSummary:
    room = incident.room
    due, clock = next_deadline(specs)
    return IncidentSummary(
        key=incident.key,
        title=incident.title,
        system=incident.system,
        phase=incident.phase,
        owner=incident.owner,
        aware_at=maybe_utc(incident.aware_at),
        declared_at=maybe_utc(incident.declared_at),
        closed_at=maybe_utc(incident.closed_at),
        room_platform=room.platform if room else "",
        room_id=room.id if room else "",
        next_due_at=due,
        next_clock=clock,
        version=version_of(incident),
        head_hash=incident.last.hash if incident.last else "",
    )


class StoredReminder(Protocol):
    """What reconciling needs to know of a stored reminder row."""

    @property
    def status(self) -> str: ...

    @property
    def due_at(self) -> datetime: ...

    @property
    def data(self) -> str: ...


def spec_changes(row: StoredReminder, spec: ReminderSpec) -> dict[str, Any]:
    """The column changes that bring a scheduled or cancelled row in line with its spec.

    An unchanged deadline keeps `ready_at`, so a retry's back-off survives reconciling."""
    changes: dict[str, Any] = {}
    if row.status == CANCELLED:
        changes["status"] = SCHEDULED
    if row.due_at != spec.due_at:
        changes["due_at"] = changes["ready_at"] = utc(spec.due_at)
    if row.data != dump_data(spec.data):
        changes["data"] = dump_data(spec.data)
    return changes


def finished_at(events: Sequence[Event]) -> datetime:
    """When reminders finished along with `events` (a save's) finish: at the last one."""
    if not events:
        raise ValueError("reminders finish with a save only along with the events they sent")
    return events[-1].at


def late_by_s(due_at: datetime, at: datetime) -> float:
    return max(0.0, (at - due_at).total_seconds())
