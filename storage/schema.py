"""Whether a database's schema is the newest, asked without importing Alembic (a command
that only reads the store should not pay for it): the revisions recorded in the database's
`alembic_version` against the heads of the migration files.

    schema_is_current(make_engine("sqlite:///var/ai-incident.db"))   # -> True once migrated
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import Engine, inspect, text

from storage.engine import DEFERRED

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
REVISION = re.compile(r'^revision(?:: [^=]+)? = "([^"]+)"', re.MULTILINE)
DOWN_REVISION = re.compile(r'^down_revision(?:: [^=]+)? = "([^"]+)"', re.MULTILINE)


def head_revisions(folder: Path = VERSIONS) -> set[str]:
    """The revisions no other migration builds on."""
    revisions, built_on = set(), set()
    for script in folder.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        revisions.update(REVISION.findall(source))
        built_on.update(DOWN_REVISION.findall(source))
    return revisions - built_on


def schema_is_current(engine: Engine) -> bool:
    with engine.connect() as conn:
        conn.execution_options(**{DEFERRED: True})  # SQLite: a reader takes no write lock
        if not inspect(conn).has_table("alembic_version"):
            return False
        applied = {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    return applied == head_revisions()
