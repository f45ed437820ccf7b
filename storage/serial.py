"""One piece of work at a time per incident: an asyncio lock per incident key within the
process and, on PostgreSQL, an advisory lock on the key across every replica sharing the
database. Two requests for one incident then never decide from the same version of it, so
neither is refused for having lost a race.

    locks = IncidentLocks(engine)
    async with locks.hold("AI-2026-0007"):
        ...  # load, decide, save, publish
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection

# Connections a process may hold for advisory locks at once: each stays checked out while
# its work runs, and that work needs pool connections of its own.
HOLDERS = 4
POLL_S = 0.02  # a try-lock polled, so a lock held elsewhere never blocks a worker thread


def advisory_key(key: str) -> int:
    """A stable signed 64-bit number for the incident key (pg_advisory_lock's argument)."""
    return int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big", signed=True)


_SHARED: dict[str, IncidentLocks] = {}


def incident_locks(engine: Engine) -> IncidentLocks:
    """The locks of every store over this SQLite file in this process (two stores over one
    file, as tools and tests make, still take turns); PostgreSQL's are per store."""
    if engine.dialect.name != "sqlite":  # replicas take turns by the advisory lock
        return IncidentLocks(engine)
    database = engine.url.database or ""
    memory = database in ("", ":memory:") or database.startswith("file:")
    where = f"memory:{id(engine)}" if memory else str(Path(database).resolve())
    return _SHARED.setdefault(where, IncidentLocks(engine))


class IncidentLocks:
    def __init__(self, engine: Engine | None = None) -> None:
        postgres = engine is not None and engine.dialect.name == "postgresql"
        self._engine = engine if postgres else None
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}
        self._holders: asyncio.Semaphore | None = None

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                if self._engine is None:
                    yield
                else:
                    async with self._advisory(key):
                        yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:  # nobody waits: forget it, so the table stays small
                del self._users[key], self._locks[key]

    @asynccontextmanager
    async def _advisory(self, key: str) -> AsyncIterator[None]:
        if self._holders is None:
            self._holders = asyncio.Semaphore(HOLDERS)
        async with self._holders:
            conn = await asyncio.to_thread(self._connect)
            try:
                while not await asyncio.to_thread(_try_lock, conn, advisory_key(key)):
                    await asyncio.sleep(POLL_S)
                yield
            finally:
                await asyncio.to_thread(_unlock, conn, advisory_key(key))

    def _connect(self) -> Connection:
        assert self._engine is not None
        return self._engine.connect()


def _try_lock(conn: Connection, number: int) -> bool:
    got = conn.execute(text("SELECT pg_try_advisory_lock(:n)"), {"n": number}).scalar()
    conn.commit()  # a session lock outlives the transaction; no transaction stays open
    return bool(got)


def _unlock(conn: Connection, number: int) -> None:
    try:
        conn.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": number})
        conn.commit()
    except Exception:
        conn.invalidate()  # a session lock lives as long as its session: end it instead
        raise
    finally:
        conn.close()
