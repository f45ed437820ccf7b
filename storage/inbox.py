"""The inbox: platform requests kept before they are acknowledged, so work already acked
survives a crash, and a redelivered request is recognised and not worked twice.

    inbox = SqlInbox(make_engine("sqlite:///var/ai-incident.db"))
    kept = await inbox.put(Delivery("slack", "slack:view:V1:h1:ab12", "view:declare", "{…}"), now)
    # -> a row id, or None: that key was kept before (a retry, a double submit)
    await inbox.settle(kept, DONE, now)               # worked: never again
    again = await inbox.claim(now, timedelta(minutes=2), limit=20)   # rows a crash left pending

A row is pending → done / failed. The process that keeps a row works it at once, so `put`
records it as taken (attempts 1, handled_at now); `claim` hands out pending rows whose last
taking is older than the lease. While a row is pending, `handled_at` is when it was last
taken; once settled, when that happened.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

from sqlalchemy import Engine, and_, delete, select, update
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from bot.ports import AlreadyDone
from storage.engine import writer_lock
from storage.models import INBOX as I
from storage.models import AnyRow
from storage.records import utc

PENDING, DONE, FAILED = "pending", "done", "failed"
MAX_ERROR = 500  # characters of an error kept on the row
if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert

T = TypeVar("T")


@dataclass(frozen=True)
class Delivery:
    """A request as kept: who sent it, the key a redelivery repeats, what it is, its body."""

    platform: str
    key: str
    kind: str
    payload: str
    id: int = 0
    attempts: int = 0


class Inbox(Protocol):
    # True where the incident store can mark a row done in its own transaction (the same
    # database): then a request's first change to an incident settles it (bot.requests).
    settled_by_store: bool

    async def put(self, delivery: Delivery, now: datetime) -> int | None:
        """Keep a request (taken at once by the caller); its id, None if kept before."""
        ...

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
        """Pending rows last taken before now - lease, oldest first, taken again now."""
        ...

    async def settle(self, row_id: int, status: str, now: datetime, error: str = "") -> None:
        """DONE or FAILED for good; PENDING to leave it for a later claim (error noted)."""
        ...

    async def forget(self, key: str) -> None:
        """Drop a kept request that changed nothing, so the same request may come again."""
        ...


# --- one transaction each, on SQLite or PostgreSQL -------------------------------------


def put(conn: Connection, delivery: Delivery, now: datetime) -> int | None:
    values = {
        "platform": delivery.platform,
        "delivery_key": delivery.key,
        "kind": delivery.kind,
        "payload": delivery.payload,
        "received_at": utc(now),
        "status": PENDING,
        "attempts": 1,
        "handled_at": utc(now),
        "last_error": "",
    }
    stmt: PgInsert | SqliteInsert
    if conn.dialect.name == "postgresql":  # imported here: SQLite never needs it
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt = pg_insert(I).values(values)
    else:
        stmt = sqlite_insert(I).values(values)
    once = stmt.on_conflict_do_nothing(index_elements=["delivery_key"])
    kept: int | None = conn.execute(once.returning(I.c.id)).scalar()
    return kept


def _delivery(row: AnyRow) -> Delivery:
    m = row._mapping
    return Delivery(
        m["platform"], m["delivery_key"], m["kind"], m["payload"], m["id"], m["attempts"]
    )


def claim(conn: Connection, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
    """PostgreSQL skips rows another claimer holds; SQLite has one writer (BEGIN IMMEDIATE).
    The UPDATE re-checks each row, so a row is only ever handed to one claimer per lease."""
    stale = and_(I.c.status == PENDING, I.c.handled_at <= utc(now - lease))
    oldest = select(I.c.id).where(stale).order_by(I.c.received_at, I.c.id).limit(limit)
    ids = list(conn.execute(oldest.with_for_update(skip_locked=True)).scalars())
    if not ids:
        return []
    taken = update(I).where(I.c.id.in_(ids), stale)
    taken = taken.values(attempts=I.c.attempts + 1, handled_at=utc(now))
    rows = conn.execute(taken.returning(*I.c)).all()
    return sorted(map(_delivery, rows), key=lambda d: d.id)


def settle(conn: Connection, row_id: int, status: str, now: datetime, error: str) -> None:
    if status not in (PENDING, DONE, FAILED):
        raise ValueError(f"an inbox row is {PENDING}, {DONE} or {FAILED}, not {status!r}")
    values: dict[str, object] = {"status": status, "last_error": error[:MAX_ERROR]}
    if status != PENDING:  # a pending row keeps the time it was taken, so its lease runs
        values["handled_at"] = utc(now)
    conn.execute(update(I).where(I.c.id == row_id, I.c.status == PENDING).values(**values))


def done_with(conn: Connection, row_id: int, now: datetime) -> None:
    """Inside the transaction that records a request's first change: the request is done;
    AlreadyDone (the transaction rolls back) if an earlier working of it got there first."""
    taken = update(I).where(I.c.id == row_id, I.c.status == PENDING)
    if conn.execute(taken.values(status=DONE, handled_at=utc(now))).rowcount == 0:
        raise AlreadyDone(f"inbox row {row_id} was done already")


def forget(conn: Connection, key: str) -> None:
    conn.execute(delete(I).where(I.c.delivery_key == key))


class SqlInbox:
    """The inbox in the incident database; several processes may share it."""

    settled_by_store = True

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer_lock(engine)  # shared with the store on the same SQLite file

    async def put(self, delivery: Delivery, now: datetime) -> int | None:
        return await self._write(lambda conn: put(conn, delivery, now))

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
        return await self._write(lambda conn: claim(conn, now, lease, limit))

    async def settle(self, row_id: int, status: str, now: datetime, error: str = "") -> None:
        await self._write(lambda conn: settle(conn, row_id, status, now, error))

    async def forget(self, key: str) -> None:
        await self._write(lambda conn: forget(conn, key))

    async def _write(self, work: Callable[[Connection], T]) -> T:
        return await asyncio.to_thread(self._locked, work)

    def _locked(self, work: Callable[[Connection], T]) -> T:
        if self._writer is None:
            return self._run(work)
        with self._writer:
            return self._run(work)

    def _run(self, work: Callable[[Connection], T]) -> T:
        with self._engine.connect() as conn, conn.begin():
            return work(conn)


@dataclass
class _Kept:
    delivery: Delivery
    status: str
    handled_at: datetime


class MemoryInbox:
    """The inbox in this process only: redeliveries are recognised, a crash loses it all."""

    settled_by_store = False

    def __init__(self) -> None:
        self._rows: dict[str, _Kept] = {}
        self._count = 0

    async def put(self, delivery: Delivery, now: datetime) -> int | None:
        if delivery.key in self._rows:
            return None
        self._count += 1
        kept = replace(delivery, id=self._count, attempts=1)
        self._rows[delivery.key] = _Kept(kept, PENDING, now)
        return self._count

    async def claim(self, now: datetime, lease: timedelta, limit: int) -> list[Delivery]:
        stale = [
            k for k in self._rows.values() if k.status == PENDING and k.handled_at <= now - lease
        ]
        for kept in stale[:limit]:
            kept.delivery = replace(kept.delivery, attempts=kept.delivery.attempts + 1)
            kept.handled_at = now
        return [k.delivery for k in stale[:limit]]

    async def settle(self, row_id: int, status: str, now: datetime, error: str = "") -> None:
        for kept in self._rows.values():
            if kept.delivery.id == row_id and kept.status == PENDING:
                kept.status = status
                kept.handled_at = now if status != PENDING else kept.handled_at

    async def forget(self, key: str) -> None:
        self._rows.pop(key, None)
