"""Is the database's schema the one this version needs? Asked at start and by `/healthz`.

problem = schema_problem(engine)   # None, or "the database has no tables (…)"
earlier_records(Path("var/records"))   # ["AI-2026-0001", …]: incidents closed before

A database that comes back empty (recreated, restored wrong) must not be taken for a fresh
start while the records of earlier incidents say otherwise.
"""

from __future__ import annotations

from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from storage.engine import DEFERRED
from storage.migrate import alembic_config

# The folders a closed incident's files go in (bot.report_close), each named <KEY>.<ext>.
RECORD_FOLDERS = ("reports", "register", "evals")


def head_revision() -> str:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return script.get_current_head() or ""


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {revision.revision for revision in script.walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    """The database's migration, or None where it has none (no tables at all)."""
    with engine.connect() as connection:
        reading = connection.execution_options(**{DEFERRED: True})
        return MigrationContext.configure(reading).get_current_revision()


def schema_problem(engine: Engine) -> str | None:
    current, head = current_revision(engine), head_revision()
    if current is None:
        return "the database has no tables (run `ai-incident migrate`)"
    if current != head:
        return f"the database is at migration {current}; this version needs {head}"
    return None


def earlier_records(records_dir: Path) -> list[str]:
    """The keys of incidents whose records are kept on disk, sorted."""
    keys = {
        file.name.split(".", 1)[0]
        for folder in RECORD_FOLDERS
        if (records_dir / folder).is_dir()
        for file in (records_dir / folder).iterdir()
        if file.is_file() and not file.name.startswith(".")
    }
    return sorted(keys)
