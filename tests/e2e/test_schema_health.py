"""A database that loses its tables under a running server (recreated, restored wrong):
/healthz says what is wrong with a 503, and people are asked to try again, never a 500."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from ai_incident.main import build
from bot.settings import Settings
from tests.conftest import ROOT


def settings(tmp_path: Path) -> Settings:
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'incidents.db'}",
        runbook_path=ROOT / "runbook.yaml",
        records_dir=tmp_path / "records",
    )


def drop_every_table(db: Path) -> None:
    with sqlite3.connect(db) as raw:
        tables = [r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        raw.execute("PRAGMA foreign_keys=OFF")
        for table in tables:
            raw.execute(f'DROP TABLE "{table}"')


async def test_tables_gone_make_healthz_503_with_the_reason_and_pages_say_try_again(
    tmp_path: Path,
) -> None:
    async with TestClient(TestServer(build(settings(tmp_path)))) as http:
        assert (await http.get("/healthz")).status == 200
        drop_every_table(tmp_path / "incidents.db")

        health = await http.get("/healthz")
        assert health.status == 503
        assert "no tables" in (await health.json())["error"]
        page = await http.get("/")
        assert page.status == 200 and "try again" in (await page.text())
        board = await http.get("/board")
        assert board.status < 500 and "try again" in (await board.text())


async def test_a_database_at_another_migration_makes_healthz_503_naming_both(
    tmp_path: Path,
) -> None:
    async with TestClient(TestServer(build(settings(tmp_path)))) as http:
        with sqlite3.connect(tmp_path / "incidents.db") as raw:
            raw.execute("UPDATE alembic_version SET version_num = '0001'")
        health = await http.get("/healthz")
        assert health.status == 503
        assert "at migration 0001" in (await health.json())["error"]
