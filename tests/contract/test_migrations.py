"""The migrations build exactly the schema `storage.models` declares."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlmodel import SQLModel

import storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from storage.engine import make_engine
from storage.migrate import alembic_config, upgrade

TABLES = {"incidents", "timeline_events", "reminders", "key_counters", "messages"}


@pytest.fixture(params=["sqlite", "postgres"])
def migrated_url(request: pytest.FixtureRequest) -> str:
    url: str = request.getfixturevalue(f"{request.param}_url")
    return url


def test_migrated_schema_matches_the_models(migrated_url: str) -> None:
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), SQLModel.metadata) == []
    finally:
        engine.dispose()


def test_upgrading_twice_is_harmless(migrated_url: str) -> None:
    upgrade(migrated_url)
    head = ScriptDirectory.from_config(alembic_config(migrated_url)).get_current_head()
    engine = make_engine(migrated_url)
    try:
        with engine.connect() as conn:
            assert MigrationContext.configure(conn).get_current_revision() == head
            assert set(inspect(conn).get_table_names()) >= TABLES
    finally:
        engine.dispose()
