"""Engines for the two supported databases; nothing is created until you call `make_engine`.

engine = make_engine("sqlite:///var/ai-incident.db")      # WAL, busy timeout, BEGIN IMMEDIATE
engine = make_engine("postgres://bot@db.internal/incidents")  # -> postgresql+psycopg
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, Table, create_engine, event
from sqlalchemy.dialects.sqlite import Insert as SqliteInsert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.pool import StaticPool

if TYPE_CHECKING:
    from sqlalchemy.dialects.postgresql import Insert as PgInsert

DEFAULT_URL = "sqlite:///var/ai-incident.db"
DEFAULT_FOLDER = Path("var")

# Execution option that makes a SQLite transaction start deferred (a reader that never
# writes need not take the write lock); every other transaction begins IMMEDIATE.
DEFERRED = "ai_incident_deferred"

BUSY_TIMEOUT_MS = 5000
_BARE_POSTGRES = ("postgres", "postgresql")


# The database's work runs on threads of its own, more than the event loop's default few
# (cores + 4): in a burst, each piece of work mostly waits on the database, so more of it in
# flight keeps a replica busy. Fewer than a PostgreSQL pool's connections (5, and 10 more on
# demand), so no thread waits for one.
DATABASE_THREADS = 12
_THREADS: list[ThreadPoolExecutor] = []

_WRITERS: dict[str, threading.Lock] = {}
_WRITERS_GUARD = threading.Lock()


def writer_lock(engine: Engine) -> threading.Lock | None:
    """The one lock every writer to this SQLite database takes first (None on PostgreSQL).

    SQLite has one writer at a time; writers that queue on SQLite's busy handler sleep in
    steps of whole milliseconds, so the store, the inbox and the conversation references
    (each its own engine on the same file) queue here, on one lock per database file."""
    if engine.dialect.name != "sqlite":
        return None
    database = engine.url.database or ""
    where = (
        f"memory:{id(engine)}"
        if _is_memory(engine.url) or database.startswith("file:")
        else str(Path(database).resolve())
    )
    with _WRITERS_GUARD:
        return _WRITERS.setdefault(where, threading.Lock())


async def on_thread[T](work: Callable[..., T], *args: Any) -> T:
    """`work(*args)` on one of the database's threads (as `asyncio.to_thread` does on the
    loop's), in a copy of the caller's context."""
    if not _THREADS:
        _THREADS.append(ThreadPoolExecutor(DATABASE_THREADS, thread_name_prefix="database"))
    call = functools.partial(contextvars.copy_context().run, work, *args)
    return await asyncio.get_running_loop().run_in_executor(_THREADS[0], call)


def dialect_insert(conn: Connection, table: Table) -> PgInsert | SqliteInsert:
    """An INSERT that can take ON CONFLICT, in the connection's dialect; PostgreSQL's is
    imported only when used, so a SQLite deployment (and every command on one) never loads
    it."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    return sqlite_insert(table)


def driver_url(url: str) -> URL:
    """The URL with the psycopg 3 driver named for bare PostgreSQL schemes."""
    parsed = make_url(url)
    if parsed.drivername in _BARE_POSTGRES:
        return parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str) -> Engine:
    parsed = driver_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    return create_engine(parsed, pool_pre_ping=True)


def _is_memory(url: URL) -> bool:
    return url.database in (None, "", ":memory:")


def _sqlite_engine(url: URL) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if _is_memory(url):
        kwargs["poolclass"] = StaticPool
    elif url.database and Path(url.database).parent == DEFAULT_FOLDER:
        # Only the default folder is made: a path into a folder that does not exist is
        # more likely a typo than a second incident history.
        DEFAULT_FOLDER.mkdir(exist_ok=True)
    engine = create_engine(url, **kwargs)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own implicit BEGIN would defeat BEGIN IMMEDIATE; take transactions over.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL survives a killed process (what restarts test); only a power cut can
    # lose the last transactions. FULL would fsync every commit and triple write latency.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    deferred = connection.get_execution_options().get(DEFERRED, False)
    connection.exec_driver_sql("BEGIN" if deferred else "BEGIN IMMEDIATE")


def for_reading(conn: Connection) -> None:
    """A read-only connection: on SQLite a deferred transaction (no write lock taken); on
    PostgreSQL no transaction at all, so each statement sees what is committed when it runs,
    as inside a READ COMMITTED transaction, without the BEGIN and COMMIT round trips."""
    if conn.dialect.name == "postgresql":
        conn.execution_options(isolation_level="AUTOCOMMIT")
    else:
        conn.execution_options(**{DEFERRED: True})


async def in_transaction[T](
    engine: Engine,
    writer: threading.Lock | None,
    work: Callable[[Connection], T],
    read_only: bool = True,
) -> T:
    """`work` in one transaction on a worker thread; a writer queues on the file's writer
    lock (SQLite), a reader takes no write lock at all."""

    def transact() -> T:
        with engine.connect() as conn:
            if read_only:
                for_reading(conn)
            with conn.begin():
                return work(conn)

    def locked() -> T:
        if writer is None or read_only:
            return transact()
        with writer:
            return transact()

    return await on_thread(locked)
