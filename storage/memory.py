"""`IncidentStore` kept in dicts, for fast tests; it passes the same contract suite as
`SqlStore`. Each method runs without awaiting, so on one event loop it is atomic.

    store = MemoryStore()
    await store.save(incident, incident.events, specs)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from bot import snapshot
from bot.incident import Incident, replay
from bot.ports import Conflict, IncidentSummary, Slot
from bot.schedule import Reminder, ReminderSpec
from bot.timeline import Event
from storage.records import (
    CANCELLED,
    CLAIMED,
    FINISHED,
    RECONCILABLE,
    SCHEDULED,
    SENT,
    dump_data,
    finished_at,
    late_by_s,
    load_data,
    spec_changes,
    summary_of,
    utc,
    version_of,
)
from storage.serial import IncidentLocks


@dataclass
class _Row:
    """A reminders-table row; `data` is the same JSON text the SQL store keeps."""

    id: int
    dedupe_key: str
    incident_key: str
    kind: str
    due_at: datetime
    ready_at: datetime
    data: str
    status: str = SCHEDULED
    attempts: int = 0
    claimed_until: datetime | None = None
    sent_at: datetime | None = None
    message_id: str = ""
    late_by_s: float = 0.0
    last_error: str = ""

    def reminder(self) -> Reminder:
        return Reminder(
            self.id,
            self.dedupe_key,
            self.incident_key,
            self.kind,
            self.due_at,
            load_data(self.data),
            self.status,
            self.attempts,
            self.sent_at,
            self.message_id,
            self.late_by_s,
            self.last_error,
        )

    def claimable(self, now: datetime) -> bool:
        if self.status == SCHEDULED:
            return self.ready_at <= now
        expires = self.claimed_until
        return self.status == CLAIMED and expires is not None and expires <= now

    def reconcile(self, spec: ReminderSpec | None) -> None:
        if self.status not in RECONCILABLE:
            return
        if spec is None:
            self.status = CANCELLED if self.status == SCHEDULED else self.status
            return
        for name, value in spec_changes(self, spec).items():
            setattr(self, name, value)


def _copied(event: Event) -> Event:
    return replace(event, data=load_data(dump_data(event.data)))


def _listing_order(summary: IncidentSummary) -> tuple[bool, bool, float]:
    declared = summary.declared_at
    newest_first = -declared.timestamp() if declared else 0.0
    return (summary.closed_at is not None, declared is None, newest_first)


class MemoryStore:
    def __init__(self) -> None:
        self._events: dict[str, list[Event]] = {}
        self._summaries: dict[str, tuple[int, IncidentSummary]] = {}
        self._snapshots: dict[str, str] = {}  # the same JSON text the SQL store keeps
        self._counters: dict[int, int] = {}
        self._messages: dict[tuple[str, str], str] = {}
        self._claims: dict[tuple[str, str], datetime] = {}
        self._versions: dict[tuple[str, str], int] = {}
        self.serial = IncidentLocks().hold
        self._reminders: dict[int, _Row] = {}
        self._ids = itertools.count(1)

    async def next_key(self, year: int) -> str:
        self._counters[year] = self._counters.get(year, 0) + 1
        return f"AI-{year}-{self._counters[year]:04d}"

    async def load(self, key: str, whole: bool = True) -> Incident | None:
        events = sorted(self._events.get(key, ()), key=lambda e: e.seq)
        kept = "" if whole else self._snapshots.get(key, "")
        if start := snapshot.start_of(kept):
            resumed = snapshot.resume(key, kept, [e for e in events if e.seq >= start])
            if resumed is not None:
                return resumed
        return replay(key, events) if events else None

    async def save(
        self,
        incident: Incident,
        new_events: Sequence[Event],
        reminders: Sequence[ReminderSpec],
        request: int | None = None,  # no inbox in memory: requests are settled by the inbox
        finished: Sequence[tuple[int, str, str]] = (),
    ) -> None:
        self._check_free(incident.key, new_events)
        self._check_dedupe_keys(incident.key, reminders)
        at = finished_at(new_events) if finished else None  # refused before any change
        self._events.setdefault(incident.key, []).extend(map(_copied, new_events))
        version = version_of(incident)
        stored = self._summaries.get(incident.key)
        if stored is None or stored[0] <= version:
            self._summaries[incident.key] = (version, summary_of(incident, reminders))
            self._snapshots[incident.key] = snapshot.dump(incident)
        self._reconcile(incident.key, reminders)
        if at is not None:
            self._finish_all(finished, at)

    async def list_incidents(self, include_closed: bool = True) -> list[IncidentSummary]:
        summaries = [summary for _, summary in self._summaries.values()]
        if not include_closed:
            summaries = [s for s in summaries if s.closed_at is None]
        by_key = sorted(summaries, key=lambda s: s.key, reverse=True)
        return sorted(by_key, key=_listing_order)

    async def list_page(
        self, view: str, now: datetime, offset: int, limit: int
    ) -> list[IncidentSummary]:
        rows = await self.list_incidents(include_closed=True)
        if view == "closed":
            closed = [s for s in rows if s.closed_at is not None]
            chosen = sorted(closed, key=lambda s: (s.closed_at, s.key), reverse=True)
        elif view == "overdue":
            late = [
                s for s in rows if s.closed_at is None and s.next_due_at and s.next_due_at < now
            ]
            chosen = sorted(late, key=lambda s: (s.next_due_at, s.key))
        else:
            chosen = [s for s in rows if s.closed_at is None]
        return chosen[offset : offset + limit]

    async def find_by_room(self, platform: str, room_id: str) -> str | None:
        summaries = (summary for _, summary in self._summaries.values())
        keys = [s.key for s in summaries if (s.room_platform, s.room_id) == (platform, room_id)]
        return min(keys, default=None)

    async def message_id(self, key: str, slot: str) -> str | None:
        return self._messages.get((key, slot))

    async def remember_message(self, key: str, slot: str, message_id: str) -> None:
        self._messages[(key, slot)] = message_id

    async def claim_message(self, key: str, slot: str, now: datetime, lease: timedelta) -> bool:
        claimed = self._claims.get((key, slot))
        if self._messages.get((key, slot)) or (claimed is not None and claimed >= now - lease):
            return False
        self._claims[(key, slot)] = now
        return True

    async def message_slot(self, key: str, slot: str) -> Slot | None:
        if (key, slot) not in self._messages and (key, slot) not in self._claims:
            return None
        return Slot(self._messages.get((key, slot), ""), self._versions.get((key, slot), 0))

    async def release_message(self, key: str, slot: str) -> None:
        self._claims.pop((key, slot), None)

    async def applied_message(self, key: str, slot: str, version: int) -> None:
        self._versions[(key, slot)] = max(version, self._versions.get((key, slot), 0))

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[Reminder]:
        due = sorted(
            (row for row in self._reminders.values() if row.claimable(now)),
            key=lambda row: (row.due_at, row.id),
        )[:limit]
        for row in due:
            row.status, row.claimed_until = CLAIMED, utc(now + lease)
        return [row.reminder() for row in due]

    async def finish_reminder(
        self, reminder_id: int, status: str, at: datetime, message_id: str = "", error: str = ""
    ) -> None:
        self._finish(reminder_id, status, at, message_id, error)

    async def finish_reminders(
        self, finished: Sequence[tuple[int, str, str]], at: datetime
    ) -> None:
        self._finish_all(finished, at)

    def _finish_all(self, finished: Sequence[tuple[int, str, str]], at: datetime) -> None:
        for reminder_id, status, message_id in finished:
            self._finish(reminder_id, status, at, message_id)

    def _finish(
        self, reminder_id: int, status: str, at: datetime, message_id: str, error: str = ""
    ) -> None:
        if status not in FINISHED:
            raise ValueError(f"a reminder finishes as one of {FINISHED}, not {status!r}")
        row = self._row(reminder_id)
        if row.status in FINISHED:
            return
        row.status, row.claimed_until, row.message_id = status, None, message_id
        row.last_error = error or row.last_error
        if status == SENT:
            row.sent_at, row.late_by_s = utc(at), late_by_s(row.due_at, at)
            row.attempts += 1

    async def retry_reminder(self, reminder_id: int, retry_at: datetime, error: str) -> None:
        row = self._row(reminder_id)
        if row.status in FINISHED:
            return
        row.status, row.ready_at, row.claimed_until = SCHEDULED, utc(retry_at), None
        row.attempts += 1
        row.last_error = error

    async def reminders(self, key: str) -> list[Reminder]:
        rows = (row for row in self._reminders.values() if row.incident_key == key)
        return [row.reminder() for row in sorted(rows, key=lambda row: (row.due_at, row.id))]

    async def next_due(self) -> datetime | None:
        rows = self._reminders.values()
        ready = [row.ready_at for row in rows if row.status == SCHEDULED]
        expiring = [row.claimed_until for row in rows if row.status == CLAIMED]
        return min([*ready, *(at for at in expiring if at is not None)], default=None)

    def _check_free(self, key: str, events: Sequence[Event]) -> None:
        taken = {event.seq for event in self._events.get(key, ())}
        seqs = [event.seq for event in events]
        if taken.intersection(seqs) or len(set(seqs)) != len(seqs):
            raise Conflict(f"{key}: another writer appended first")

    def _row(self, reminder_id: int) -> _Row:
        if reminder_id not in self._reminders:
            raise KeyError(f"no reminder {reminder_id}")
        return self._reminders[reminder_id]

    def _reconcile(self, key: str, specs: Sequence[ReminderSpec]) -> None:
        wanted = {spec.dedupe_key: spec for spec in specs}
        rows = [row for row in self._reminders.values() if row.incident_key == key]
        for row in rows:
            row.reconcile(wanted.get(row.dedupe_key))
        stored = {row.dedupe_key for row in rows}
        for spec in (spec for dedupe, spec in wanted.items() if dedupe not in stored):
            self._insert(key, spec)

    def _check_dedupe_keys(self, key: str, specs: Sequence[ReminderSpec]) -> None:
        others = {row.dedupe_key for row in self._reminders.values() if row.incident_key != key}
        for spec in specs:
            if spec.dedupe_key in others:
                raise ValueError(f"reminder {spec.dedupe_key!r} belongs to another incident")

    def _insert(self, key: str, spec: ReminderSpec) -> None:
        row_id = next(self._ids)
        due = utc(spec.due_at)
        data = dump_data(spec.data)
        self._reminders[row_id] = _Row(row_id, spec.dedupe_key, key, spec.kind, due, due, data)
