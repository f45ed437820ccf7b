"""Alembic environment: the schema is `storage.models`; the URL comes from the config.

Run through `storage.migrate.upgrade(url)`, which sets `sqlalchemy.url` in code.
"""

from __future__ import annotations

from typing import Any, Literal

from alembic import context
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

from storage.engine import make_engine
from storage.models import UtcDateTime

TARGET = SQLModel.metadata


def render_type(type_: str, obj: Any, _autogen: Any) -> str | Literal[False]:
    """Write project column types as plain SQLAlchemy ones, so revisions stay frozen."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, AutoString):
        return "sa.String()"
    return False


def run_offline(url: str) -> None:
    context.configure(url=url, target_metadata=TARGET, literal_binds=True, render_item=render_type)
    with context.begin_transaction():
        context.run_migrations()


def run_online(url: str) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(
                connection=connection,
                target_metadata=TARGET,
                render_as_batch=connection.dialect.name == "sqlite",
                render_item=render_type,
            )
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


def run() -> None:
    url = context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set sqlalchemy.url on the Alembic config (storage.migrate does)")
    if context.is_offline_mode():
        run_offline(url)
    else:
        run_online(url)


run()
