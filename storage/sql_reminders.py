"""The reminders table: reconcile, claim, finish, retry. Each function runs inside the
caller's transaction on a `Connection`.

    reconcile(conn, "AI-2026-0001", specs)
    claim(conn, now, timedelta(minutes=2), limit=20)   # -> [Reminder, …] oldest due first
    finish_many(conn, [(7, "sent", "m-1"), (8, "cancelled", "")], now)

What runs once per incident or per reminder is built once, with bound parameters: a
statement's cache key is then worked out once, not on every run.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, insert, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from bot.schedule import Reminder, ReminderSpec
from storage.models import REMINDERS as R
from storage.models import AnyRow
from storage.records import (
    CANCELLED,
    CLAIMED,
    FINISHED,
    RECONCILABLE,
    SCHEDULED,
    SENT,
    dump_data,
    late_by_s,
    load_data,
    spec_changes,
    utc,
)


def to_reminder(row: AnyRow) -> Reminder:
    m = row._mapping
    return Reminder(
        id=m["id"],
        dedupe_key=m["dedupe_key"],
        incident_key=m["incident_key"],
        kind=m["kind"],
        due_at=m["due_at"],
        data=load_data(m["data"]),
        status=m["status"],
        attempts=m["attempts"],
        sent_at=m["sent_at"],
        message_id=m["message_id"],
        late_by_s=m["late_by_s"],
        last_error=m["last_error"],
    )


def _new_row(incident_key: str, spec: ReminderSpec) -> dict[str, Any]:
    due = utc(spec.due_at)
    return {
        "dedupe_key": spec.dedupe_key,
        "incident_key": incident_key,
        "kind": spec.kind,
        "due_at": due,
        "ready_at": due,
        "data": dump_data(spec.data),
        "status": SCHEDULED,
        "attempts": 0,
        "message_id": "",
        "late_by_s": 0.0,
        "last_error": "",
    }


def _set(conn: Connection, reminder_id: int, values: Mapping[str, Any]) -> None:
    conn.execute(update(R).where(R.c.id == reminder_id).values(**values))


def _reconcile_row(conn: Connection, row: AnyRow, spec: ReminderSpec | None) -> None:
    if row.status not in RECONCILABLE:
        return
    if spec is None:
        if row.status == SCHEDULED:
            _set(conn, row.id, {"status": CANCELLED})
        return
    changes = spec_changes(row, spec)
    if changes:
        _set(conn, row.id, changes)


_OF_INCIDENT = select(R.c.id, R.c.dedupe_key, R.c.status, R.c.due_at, R.c.data).where(
    R.c.incident_key == bindparam("key")
)


def reconcile(
    conn: Connection, incident_key: str, specs: Sequence[ReminderSpec]
) -> dict[int, datetime]:
    """Make the incident's scheduled reminders match `specs`; see `storage.records`.
    Returns the due times of its claimed rows, which `finish_many` needs and need not
    read again."""
    wanted = {spec.dedupe_key: spec for spec in specs}
    rows = conn.execute(_OF_INCIDENT, {"key": incident_key}).all()
    for row in rows:
        _reconcile_row(conn, row, wanted.get(row.dedupe_key))
    stored = {row.dedupe_key for row in rows}
    fresh = [_new_row(incident_key, spec) for key, spec in wanted.items() if key not in stored]
    if fresh:
        try:
            conn.execute(insert(R), fresh)
        except IntegrityError as error:
            raise ValueError(f"{incident_key}: a reminder's dedupe key is another's") from error
    return {row.id: row.due_at for row in rows if row.status == CLAIMED}


def _claimable(now: datetime) -> ColumnElement[bool]:
    return or_(
        and_(R.c.status == SCHEDULED, R.c.ready_at <= now),
        and_(R.c.status == CLAIMED, R.c.claimed_until <= now),
    )


def claim(conn: Connection, now: datetime, lease: timedelta, limit: int) -> list[Reminder]:
    """PostgreSQL locks the chosen rows and skips rows another claimer holds; SQLite has
    one writer at a time (BEGIN IMMEDIATE). On both, the UPDATE re-checks that each row is
    still claimable, and only the rows it changed are returned."""
    due = _claimable(now)
    oldest = select(R.c.id).where(due).order_by(R.c.due_at, R.c.id).limit(limit)
    chosen = oldest.with_for_update(skip_locked=True)
    ids = list(conn.execute(chosen).scalars())
    if not ids:
        return []
    claimed = update(R).where(R.c.id.in_(ids), due)
    held = claimed.values(status=CLAIMED, claimed_until=now + lease).returning(*R.c)
    rows = conn.execute(held).all()
    return sorted(map(to_reminder, rows), key=lambda r: (r.due_at, r.id))


def _status_and_due(conn: Connection, reminder_id: int) -> AnyRow:
    row = conn.execute(select(R.c.status, R.c.due_at).where(R.c.id == reminder_id)).first()
    if row is None:
        raise KeyError(f"no reminder {reminder_id}")
    return row


def finish(
    conn: Connection, reminder_id: int, status: str, at: datetime, message_id: str, error: str
) -> None:
    """Record a reminder sent or cancelled; a reminder already finished stays as it was."""
    if status not in FINISHED:
        raise ValueError(f"a reminder finishes as one of {FINISHED}, not {status!r}")
    row = _status_and_due(conn, reminder_id)
    if row.status in FINISHED:
        return
    values: dict[str, Any] = {"status": status, "claimed_until": None, "message_id": message_id}
    if error:
        values["last_error"] = error
    if status == SENT:
        values |= {"sent_at": utc(at), "late_by_s": late_by_s(row.due_at, at)}
        values["attempts"] = R.c.attempts + 1
    _set(conn, reminder_id, values)


_UNFINISHED = and_(*(R.c.status != status for status in FINISHED))  # no expanding IN: run many
_DUE_AT = select(R.c.id, R.c.due_at).where(
    R.c.id.in_(bindparam("ids", expanding=True)), _UNFINISHED
)
_FINISH = {
    SENT: update(R)
    .where(R.c.id == bindparam("row"), _UNFINISHED)
    .values(
        status=SENT,
        claimed_until=None,
        message_id=bindparam("message"),
        sent_at=bindparam("at", type_=R.c.sent_at.type),
        late_by_s=bindparam("late"),
        attempts=R.c.attempts + 1,
    ),
    CANCELLED: update(R)
    .where(R.c.id == bindparam("row"), _UNFINISHED)
    .values(status=CANCELLED, claimed_until=None, message_id=bindparam("message")),
}


def finish_many(
    conn: Connection,
    finished: Sequence[tuple[int, str, str]],
    at: datetime,
    claimed: Mapping[int, datetime] | None = None,
) -> None:
    """`finish` for each (id, status, message id), in at most three statements however many
    there are: the rows' due times (unless `claimed`, as `reconcile` returned them in this
    transaction, has them all), then one update for the sent and one for the cancelled."""
    for _, status, _ in finished:
        if status not in FINISHED:
            raise ValueError(f"a reminder finishes as one of {FINISHED}, not {status!r}")
    ids = [reminder_id for reminder_id, _, _ in finished]
    due = claimed if claimed is not None and all(i in claimed for i in ids) else None
    if due is None:
        unfinished = conn.execute(_DUE_AT, {"ids": ids}).all() if ids else []
        due = {row.id: row.due_at for row in unfinished}
    for status, statement in _FINISH.items():
        changes = [
            {"row": i, "message": message, "at": utc(at), "late": late_by_s(due[i], at)}
            for i, then, message in finished
            if then == status and i in due
        ]
        if changes:
            conn.execute(statement, changes)


def retry(conn: Connection, reminder_id: int, retry_at: datetime, error: str) -> None:
    """Put a reminder back as scheduled, ready at `retry_at`; its due_at stays."""
    if _status_and_due(conn, reminder_id).status in FINISHED:
        return
    values = {"status": SCHEDULED, "ready_at": utc(retry_at), "claimed_until": None}
    _set(conn, reminder_id, values | {"attempts": R.c.attempts + 1, "last_error": error})


def for_incident(conn: Connection, incident_key: str) -> list[Reminder]:
    stmt = select(R).where(R.c.incident_key == incident_key).order_by(R.c.due_at, R.c.id)
    return [to_reminder(row) for row in conn.execute(stmt)]


def next_due(conn: Connection) -> datetime | None:
    """When `claim` will next find something: the earliest ready scheduled row or the
    earliest claim to expire."""
    ready = select(func.min(R.c.ready_at)).where(R.c.status == SCHEDULED)
    expiring = select(func.min(R.c.claimed_until)).where(R.c.status == CLAIMED)
    moments = [conn.execute(stmt).scalar() for stmt in (ready, expiring)]
    present = [moment for moment in moments if moment is not None]
    return min(present, default=None)
