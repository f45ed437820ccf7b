"""The database as the commands and the server open it: migrated first when it is not the
newest, refused when it is empty but earlier incidents' records are kept, and its troubles
said in one line.

store = open_store(settings)   # a SqlStore, migrated only when it needs to be
"""

from __future__ import annotations

import logging

from sqlalchemy.engine import make_url

from bot.settings import Settings, SettingsError
from storage.engine import make_engine
from storage.schema import (
    current_revision,
    earlier_records,
    head_revision,
    known_revisions,
    schema_is_current,
)
from storage.sql import SqlStore

log = logging.getLogger("ai_incident")


def database_trouble(error: BaseException, settings: Settings) -> str | None:
    """For the CLI: a one-line message if `error` is the database being away, else None."""
    from handlers.database import unreachable

    return unreachable(error, settings.database_url)


def database_check(settings: Settings) -> tuple[str, str, str]:
    """For `doctor`: (level, "database", what was found), migrating it as `serve` would."""
    try:
        migrate(settings)
    except SettingsError as error:
        return ("✗", "database", str(error))
    except Exception as error:  # doctor reports what it found; it never stops on it
        said = database_trouble(error, settings) or first_line(error)
        return ("✗", "database", said)
    kind = settings.database_url.split(":", 1)[0]
    return ("✓", "database", f"{kind} reachable, migrations applied")


def first_line(error: BaseException) -> str:
    """An error's type and the first line of what it says, for a one-line report."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def migrate(settings: Settings, new_history: bool = False, apart: bool = False) -> None:
    """Bring the schema up to date; an empty database is refused while RECORDS_DIR holds
    earlier incidents' records, unless `new_history` says starting again is meant.
    `apart`: Alembic runs in a child process (see `_upgrade_apart`)."""
    engine = make_engine(settings.database_url)
    try:
        before = current_revision(engine)
    finally:
        engine.dispose()
    if before is None and not new_history:
        _keep_history(settings)
    if before is not None and before not in known_revisions():
        raise SettingsError(
            f"DATABASE_URL: the database is at migration {before}, which this version does not "
            "know (a newer version migrated it): run that version, or check DATABASE_URL."
        )
    if apart and not _in_memory(settings.database_url):
        _upgrade_apart(settings.database_url)
    else:
        _upgrade(settings.database_url)
    if before != head_revision():
        log.info("database migrated from %s to %s", before or "empty", head_revision())


def _upgrade(url: str) -> None:
    from storage.migrate import upgrade

    upgrade(url)


def _upgrade_apart(url: str) -> None:
    """Migrate in a child process, so the server, which runs for months, never holds
    Alembic and what it brings (Mako, Pygments, every dialect's DDL: about 11 MB). The URL
    goes to the child on its standard input, never on a command line others can list; the
    child's errors go to this process's standard error."""
    import subprocess
    import sys

    child = "import sys; from ai_incident.database import _upgrade; _upgrade(sys.stdin.read())"
    done = subprocess.run([sys.executable, "-c", child], input=url, text=True, check=False)
    if done.returncode:
        raise RuntimeError(f"migrating the database failed (exit {done.returncode}), as said above")


def _in_memory(url: str) -> bool:
    """An in-memory SQLite database, which only this process can reach."""
    database = make_url(url).database
    return url.startswith("sqlite") and database in (None, "", ":memory:")


def _keep_history(settings: Settings) -> None:
    """Refuse an empty database while RECORDS_DIR says incidents were recorded before."""
    keys = earlier_records(settings.records_dir)
    if not keys:
        return
    shown = ", ".join(keys[:3]) + (f" and {len(keys) - 3} more" if len(keys) > 3 else "")
    raise SettingsError(
        f"DATABASE_URL: the database is empty, but RECORDS_DIR={settings.records_dir} holds "
        f"the records of earlier incidents ({shown}). Check DATABASE_URL; to start a new "
        "incident history on purpose, run `ai-incident migrate --new`."
    )


def open_store(settings: Settings, apart: bool = False) -> SqlStore:
    """The store, its schema migrated first only when it is not the newest (a fresh file, or
    an upgrade not yet applied): opening a current database needs no Alembic. `apart`
    (the server): a migration runs in a child process."""
    engine = make_engine(settings.database_url)
    if not schema_is_current(engine):
        migrate(settings, apart=apart)
    return SqlStore(engine)
