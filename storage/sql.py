"""`IncidentStore` over SQLAlchemy (SQLite or PostgreSQL): one short transaction per call,
run in a worker thread so the event loop never blocks on the database.

    store = SqlStore(make_engine("sqlite:///var/ai-incident.db"))
    key = await store.next_key(2026)                  # -> "AI-2026-0001"
    await store.save(incident, new_events, desired_reminders(incident, runbook))
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, Table, and_, insert, select
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot import snapshot
from bot.incident import Incident, replay
from bot.ports import Conflict, IncidentSummary, Slot
from bot.schedule import Reminder, ReminderSpec
from bot.timeline import Actor, Event
from storage import inbox, slots, sql_reminders
from storage.engine import dialect_insert, for_reading, on_thread, writer_lock
from storage.models import EVENTS, INCIDENTS, KEY_COUNTERS, MESSAGES, AnyRow
from storage.records import dump_data, finished_at, summary_of, utc, version_of
from storage.serial import incident_locks

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert

T = TypeVar("T")


def _insert(conn: Connection, table: Table, values: Mapping[str, Any]) -> PgInsert | SqliteInsert:
    """An INSERT that can take ON CONFLICT, in the connection's dialect."""
    return dialect_insert(conn, table).values(values)


def _next_key(conn: Connection, year: int) -> str:
    stmt = _insert(conn, KEY_COUNTERS, {"year": year, "last": 1})
    bumped = stmt.on_conflict_do_update(
        index_elements=[KEY_COUNTERS.c.year], set_={"last": KEY_COUNTERS.c.last + 1}
    )
    number = conn.execute(bumped.returning(KEY_COUNTERS.c.last)).scalar_one()
    return f"AI-{year}-{number:04d}"


def _event_row(key: str, event: Event) -> dict[str, Any]:
    return {
        "incident_key": key,
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor_id": event.actor.id,
        "actor_name": event.actor.name,
        "actor_person_id": event.actor.person_id,
        "type": event.type,
        "data": dump_data(event.data),
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def _append(conn: Connection, key: str, events: Sequence[Event]) -> None:
    if not events:
        return
    try:
        conn.execute(insert(EVENTS), [_event_row(key, event) for event in events])
    except IntegrityError as error:
        raise Conflict(f"{key}: another writer appended first") from error


def _upsert_incident(conn: Connection, incident: Incident, specs: Sequence[ReminderSpec]) -> None:
    """Write the list row; an older version of the incident never overwrites a newer one."""
    values = asdict(summary_of(incident, specs)) | {
        "failure_type": incident.failure_type,
        "version": version_of(incident),
        "snapshot": snapshot.dump(incident),
    }
    key = (conn.dialect.name, tuple(values))
    if key not in _UPSERTS:  # built once: building it cost more than running it
        _UPSERTS[key] = _upsert(conn, key[1])
    conn.execute(_UPSERTS[key], values)


_UPSERTS: dict[tuple[str, tuple[str, ...]], PgInsert | SqliteInsert] = {}


def _upsert(conn: Connection, names: tuple[str, ...]) -> PgInsert | SqliteInsert:
    """The list row's upsert of the columns `names`, run with their values as parameters."""
    stmt = dialect_insert(conn, INCIDENTS)
    changed = {name: stmt.excluded[name] for name in names if name != "key"}
    newer = INCIDENTS.c.version <= stmt.excluded.version
    return stmt.on_conflict_do_update(index_elements=["key"], set_=changed, where=newer)


def _save(
    conn: Connection,
    incident: Incident,
    events: Sequence[Event],
    specs: Sequence[ReminderSpec],
    request: int | None = None,
    finished: Sequence[tuple[int, str, str]] = (),
) -> None:
    _append(conn, incident.key, events)
    _upsert_incident(conn, incident, specs)
    claimed = sql_reminders.reconcile(conn, incident.key, specs)
    if request is not None and events:
        inbox.done_with(conn, request, events[-1].at)
    if finished:
        sql_reminders.finish_many(conn, finished, finished_at(events), claimed)


def _events(conn: Connection, key: str, start: int = 0) -> list[Event]:
    """The incident's events from seq `start` on; rows are read as plain tuples and each
    person is one Actor, since reading a long timeline is mostly this decoding."""
    c = EVENTS.c
    columns = (c.seq, c.at, c.actor_id, c.actor_name, c.actor_person_id, c.type, c.data)
    stmt = select(*columns, c.prev_hash, c.hash).where(c.incident_key == key)
    rows = conn.execute(stmt.where(c.seq >= start).order_by(c.seq)).all()
    datas = json.loads("[" + ",".join(row.data for row in rows) + "]")  # one parse, not one a row
    actors: dict[tuple[str, str, str | None], Actor] = {}
    events = []
    for (seq, at, *who, type_, _, prev_hash, digest), data in zip(rows, datas, strict=True):
        actor = actors.get(tuple(who)) or actors.setdefault(tuple(who), Actor(*who))
        events.append(Event(seq, datetime.fromisoformat(at), actor, type_, data, prev_hash, digest))
    return events


def _load(conn: Connection, key: str, whole: bool) -> Incident | None:
    """The incident from its snapshot and the events after it; or, `whole` (or where the
    snapshot does not fit), from its whole timeline."""
    row = select(INCIDENTS.c.snapshot).where(INCIDENTS.c.key == key)
    kept: str = "" if whole else conn.execute(row).scalar() or ""
    start = snapshot.start_of(kept)
    if start and (resumed := snapshot.resume(key, kept, _events(conn, key, start))):
        return resumed
    events = _events(conn, key)
    return replay(key, events) if events else None


def _summary(row: AnyRow) -> IncidentSummary:
    fields = IncidentSummary.__dataclass_fields__
    return IncidentSummary(**{name: row._mapping[name] for name in fields})


def _page(
    conn: Connection, view: str, now: datetime, offset: int, limit: int
) -> list[IncidentSummary]:
    c = INCIDENTS.c
    columns = [c[name] for name in IncidentSummary.__dataclass_fields__]
    stmt = select(*columns).offset(offset).limit(limit)
    if view == "closed":
        stmt = stmt.where(c.closed_at.is_not(None)).order_by(c.closed_at.desc(), c.key.desc())
    elif view == "overdue":
        late = and_(c.closed_at.is_(None), c.next_due_at.is_not(None), c.next_due_at < now)
        stmt = stmt.where(late).order_by(c.next_due_at, c.key)
    else:
        stmt = stmt.where(c.closed_at.is_(None))
        stmt = stmt.order_by(c.declared_at.desc().nulls_last(), c.key.desc())
    return [_summary(row) for row in conn.execute(stmt)]


def _list(conn: Connection, include_closed: bool) -> list[IncidentSummary]:
    c = INCIDENTS.c
    stmt = select(*[c[name] for name in IncidentSummary.__dataclass_fields__]).order_by(
        c.closed_at.is_not(None), c.declared_at.desc().nulls_last(), c.key.desc()
    )
    if not include_closed:
        stmt = stmt.where(c.closed_at.is_(None))
    return [_summary(row) for row in conn.execute(stmt)]


def _find_by_room(conn: Connection, platform: str, room_id: str) -> str | None:
    c = INCIDENTS.c
    stmt = select(c.key).where(c.room_platform == platform, c.room_id == room_id)
    found: str | None = conn.execute(stmt.order_by(c.key).limit(1)).scalar()
    return found


def _message_id(conn: Connection, key: str, slot: str) -> str | None:
    c = MESSAGES.c
    stmt = select(c.message_id).where(c.incident_key == key, c.slot == slot)
    found: str | None = conn.execute(stmt).scalar()
    return found or None  # "": claimed, not posted yet


def _remember_message(conn: Connection, key: str, slot: str, message_id: str) -> None:
    stmt = _insert(conn, MESSAGES, {"incident_key": key, "slot": slot, "message_id": message_id})
    keys = ["incident_key", "slot"]
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_={"message_id": message_id}))


class SqlStore:
    """The production `IncidentStore`; several processes may share one database."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # SQLite has one writer: writers queue here rather than in SQLite's busy handler,
        # whose sleeps would add whole milliseconds of lateness to every contended write.
        self._writer = writer_lock(engine)
        self.serial = incident_locks(engine).hold

    async def next_key(self, year: int) -> str:
        return await self._write(lambda conn: _next_key(conn, year))

    async def load(self, key: str, whole: bool = True) -> Incident | None:
        return await self._read(lambda conn: _load(conn, key, whole))

    async def save(
        self,
        incident: Incident,
        new_events: Sequence[Event],
        reminders: Sequence[ReminderSpec],
        request: int | None = None,
        finished: Sequence[tuple[int, str, str]] = (),
    ) -> None:
        await self._write(
            lambda conn: _save(conn, incident, new_events, reminders, request, finished)
        )

    async def list_incidents(self, include_closed: bool = True) -> list[IncidentSummary]:
        return await self._read(lambda conn: _list(conn, include_closed))

    async def list_page(
        self, view: str, now: datetime, offset: int, limit: int
    ) -> list[IncidentSummary]:
        return await self._read(lambda conn: _page(conn, view, utc(now), offset, limit))

    async def find_by_room(self, platform: str, room_id: str) -> str | None:
        return await self._read(lambda conn: _find_by_room(conn, platform, room_id))

    async def message_id(self, key: str, slot: str) -> str | None:
        return await self._read(lambda conn: _message_id(conn, key, slot))

    async def remember_message(self, key: str, slot: str, message_id: str) -> None:
        await self._write(lambda conn: _remember_message(conn, key, slot, message_id))

    async def claim_message(self, key: str, slot: str, now: datetime, lease: timedelta) -> bool:
        return await self._write(lambda conn: slots.claim(conn, key, slot, now, lease))

    async def message_slot(self, key: str, slot: str) -> Slot | None:
        return await self._read(lambda conn: slots.read(conn, key, slot))

    async def release_message(self, key: str, slot: str) -> None:
        await self._write(lambda conn: slots.release(conn, key, slot))

    async def applied_message(self, key: str, slot: str, version: int) -> None:
        await self._write(lambda conn: slots.applied(conn, key, slot, version))

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[Reminder]:
        return await self._write(lambda conn: sql_reminders.claim(conn, now, lease, limit))

    async def finish_reminder(
        self, reminder_id: int, status: str, at: datetime, message_id: str = "", error: str = ""
    ) -> None:
        await self._write(
            lambda conn: sql_reminders.finish(conn, reminder_id, status, at, message_id, error)
        )

    async def finish_reminders(
        self, finished: Sequence[tuple[int, str, str]], at: datetime
    ) -> None:
        if finished:
            await self._write(lambda conn: sql_reminders.finish_many(conn, finished, at))

    async def retry_reminder(self, reminder_id: int, retry_at: datetime, error: str) -> None:
        await self._write(lambda conn: sql_reminders.retry(conn, reminder_id, retry_at, error))

    async def reminders(self, key: str) -> list[Reminder]:
        return await self._read(lambda conn: sql_reminders.for_incident(conn, key))

    async def next_due(self) -> datetime | None:
        return await self._read(sql_reminders.next_due)

    async def _write(self, work: Callable[[Connection], T]) -> T:
        return await on_thread(self._transact, work, False)

    async def _read(self, work: Callable[[Connection], T]) -> T:
        return await on_thread(self._transact, work, True)

    def _transact(self, work: Callable[[Connection], T], read_only: bool) -> T:
        if self._writer is None or read_only:
            return self._run(work, read_only)
        with self._writer:
            return self._run(work, read_only)

    def _run(self, work: Callable[[Connection], T], read_only: bool) -> T:
        with self._engine.connect() as conn:
            if read_only:
                for_reading(conn)
            with conn.begin():
                return work(conn)
