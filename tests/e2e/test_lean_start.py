"""Starting pays only for what is used: a command that reads the store imports no platform
SDK and no Alembic, a server imports only the platforms it is configured for, and a server
that migrates its database does it in a child process, holding no Alembic itself."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("slack_sdk", "slack_bolt", "microsoft_agents", "alembic", "aiohttp", "apscheduler")
PLATFORM_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAMS_APP_ID")

SHOW_IMPORTED = """
import json, sys
{work}
heavy = {heavy!r}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & set(heavy))))
"""


def imported_after(work: str, env: dict[str, str]) -> list[str]:
    script = SHOW_IMPORTED.format(work=work, heavy=HEAVY)
    base = {k: v for k, v in os.environ.items() if k not in PLATFORM_VARS}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=base | env | {"RUNBOOK_PATH": str(ROOT / "runbook.yaml")},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found: list[str] = json.loads(done.stdout.splitlines()[-1])
    return found


def test_listing_incidents_imports_no_platform_sdk_and_no_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    work = "from ai_incident.cli import main; main(['list', '--json'])"
    assert imported_after(work, {"DATABASE_URL": url}) == []


def test_a_fresh_database_is_still_migrated_by_the_first_command(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    work = "from ai_incident.cli import main; main(['list', '--json'])"
    assert imported_after(work, {"DATABASE_URL": url}) == ["alembic"]
    assert imported_after(work, {"DATABASE_URL": url}) == []


def test_a_server_with_only_slack_configured_imports_no_teams_sdk(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    slack = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": url}
    work = "import os; from ai_incident.main import build; from bot.settings import load_settings\n"
    work += "build(load_settings(os.environ))"
    found = imported_after(work, slack | {"SLACK_API_URL": "http://127.0.0.1:9/api/"})
    assert "microsoft_agents" not in found and "alembic" not in found
    assert "slack_bolt" in found


def test_a_server_migrates_a_fresh_database_without_holding_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    slack = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s", "DATABASE_URL": url}
    work = "import os; from ai_incident.main import build; from bot.settings import load_settings\n"
    work += "build(load_settings(os.environ))"
    found = imported_after(work, slack | {"SLACK_API_URL": "http://127.0.0.1:9/api/"})
    assert "alembic" not in found and "slack_bolt" in found
    listing = "from ai_incident.cli import main; main(['list', '--json'])"
    assert imported_after(listing, {"DATABASE_URL": url}) == []  # it was migrated
