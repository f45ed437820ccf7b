"""Real databases for the store contract: an in-memory store, a SQLite file and PostgreSQL.

PostgreSQL is found at TEST_DATABASE_URL, else 127.0.0.1:5432/test as `postgres` or `root`
(trust auth). Each test gets its own schema. Unreachable → skip, or fail when
REQUIRE_POSTGRES=1.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from bot.ports import IncidentStore
from storage.engine import driver_url, make_engine
from storage.memory import MemoryStore
from storage.migrate import upgrade
from storage.sql import SqlStore

LOCAL_POSTGRES = "postgresql+psycopg://{user}@127.0.0.1:5432/test"


def _candidates() -> list[str]:
    configured = os.environ.get("TEST_DATABASE_URL")
    if configured:
        return [configured]
    return [LOCAL_POSTGRES.format(user=user) for user in ("postgres", "root")]


def _libpq(url: str) -> str:
    """The same database as a plain libpq URL, for psycopg."""
    return driver_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _first_reachable(urls: list[str]) -> tuple[str | None, list[str]]:
    problems = []
    for url in urls:
        try:
            with psycopg.connect(_libpq(url), connect_timeout=3):
                return url, []
        except psycopg.Error as error:
            problems.append(f"{driver_url(url)!r}: {str(error).strip()}")
    return None, problems


@pytest.fixture(scope="session")
def postgres_server() -> str:
    url, problems = _first_reachable(_candidates())
    if url is not None:
        return url
    reason = "PostgreSQL unreachable; " + "; ".join(problems)
    print(reason, file=sys.stderr)
    if os.environ.get("REQUIRE_POSTGRES") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A fresh, migrated schema of its own; dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex}"
    with psycopg.connect(_libpq(postgres_server), autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    parsed = driver_url(postgres_server)
    scoped = parsed.update_query_dict({"options": f"-csearch_path={schema}"})
    url = scoped.render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with psycopg.connect(_libpq(postgres_server), autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite file in a folder of its own."""
    (tmp_path / "db").mkdir()
    url = f"sqlite:///{tmp_path / 'db' / 'incidents.db'}"
    upgrade(url)
    return url


@dataclass
class Backend:
    """One database; `open()` gives another store over it, as a second process would."""

    name: str
    open: Callable[[], IncidentStore]
    engines: list[Engine] = field(default_factory=list)


def _sql_backend(name: str, url: str) -> Backend:
    engines: list[Engine] = []

    def open_store() -> IncidentStore:
        engines.append(make_engine(url))
        return SqlStore(engines[-1])

    return Backend(name, open_store, engines)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    if request.param == "memory":
        shared = MemoryStore()
        yield Backend("memory", lambda: shared)
        return
    backend = _sql_backend(request.param, request.getfixturevalue(f"{request.param}_url"))
    yield backend
    for engine in backend.engines:
        engine.dispose()


@pytest.fixture
def store(backend: Backend) -> IncidentStore:
    return backend.open()
