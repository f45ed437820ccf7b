"""Is the database's schema the one this version needs? Asked at start, by `/healthz` and
before migrating — without importing Alembic (a command that only reads the store should
not pay for it): the revision recorded in the database's `alembic_version` against the
revisions of the migration files.

    schema_is_current(make_engine("sqlite:///var/ai-incident.db"))   # -> True once migrated
    problem = schema_problem(engine)   # None, or "the database has no tables (…)"
    earlier_records(Path("var/records"))   # ["AI-2026-0001", …]: incidents closed before

A database that comes back empty (recreated, restored wrong) must not be taken for a fresh
start while the records of earlier incidents say otherwise.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from storage.engine import DEFERRED

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
REVISION = re.compile(r'^revision(?:: [^=]+)? = "([^"]+)"', re.MULTILINE)
DOWN_REVISION = re.compile(r'^down_revision(?:: [^=]+)? = "([^"]+)"', re.MULTILINE)
# The folders a closed incident's files go in (bot.papers.close_files), each named <KEY>.<ext>.
RECORD_FOLDERS = ("reports", "register", "evals")


def _revisions(folder: Path) -> tuple[set[str], set[str]]:
    """(every revision, the revisions another migration builds on)."""
    revisions: set[str] = set()
    built_on: set[str] = set()
    for script in folder.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revisions.update(REVISION.findall(source))
        built_on.update(DOWN_REVISION.findall(source))
    return revisions, built_on


def head_revisions(folder: Path = VERSIONS) -> set[str]:
    """The revisions no other migration builds on."""
    revisions, built_on = _revisions(folder)
    return revisions - built_on


def head_revision() -> str:
    return min(head_revisions(), default="")


def known_revisions() -> set[str]:
    return _revisions(VERSIONS)[0]


def _applied(engine: Engine) -> set[str] | None:
    with engine.connect() as conn:
        conn.execution_options(**{DEFERRED: True})  # SQLite: a reader takes no write lock
        if not inspect(conn).has_table("alembic_version"):
            return None
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}


def current_revision(engine: Engine) -> str | None:
    """The database's migration, or None where it has none (no tables at all)."""
    applied = _applied(engine)
    return min(applied) if applied else None


def schema_is_current(engine: Engine) -> bool:
    return _applied(engine) == head_revisions()


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
