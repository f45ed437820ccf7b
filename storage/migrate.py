"""Bring a database's schema to the newest revision; no alembic.ini needed.

upgrade("sqlite:///var/ai-incident.db")   # creates the file and tables, or does nothing
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    # The config is a ConfigParser: a literal % (URL escapes like %3D) must be doubled.
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str) -> None:
    command.upgrade(alembic_config(url), "head")
