"""teams/manifest.json is a valid Teams app manifest listing exactly the bot's commands (and
its one message action), and `ai-incident teams-package` writes the zip Teams installs."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from PIL import Image

from ai_incident.cli import main
from bot.commands import NAMES
from handlers.teams.package import TEMPLATE, NotAnAppId, manifest
from handlers.teams.timeline import COMMAND
from tests.contract.adaptive_cards import shared_schemas

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = shared_schemas()  # the official schemas, MIT (licences beside)
APP_ID = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"


def schema() -> dict[str, Any]:
    path = SCHEMAS / "teams-manifest.schema.json"
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def problems(found: dict[str, Any]) -> list[str]:
    # The schema says draft-04 but uses `const` (draft-06); check it both ways.
    validators = (jsonschema.Draft4Validator(schema()), jsonschema.Draft7Validator(schema()))
    return [f"{list(e.path)}: {e.message}" for v in validators for e in v.iter_errors(found)]


def test_the_template_is_a_valid_manifest() -> None:
    assert problems(json.loads((TEMPLATE / "manifest.json").read_text())) == []


def test_the_manifest_lists_every_command_the_bot_understands() -> None:
    (bot,) = manifest(APP_ID)["bots"]
    listed = [c["title"] for lst in bot["commandLists"] for c in lst["commands"]]
    assert listed == list(NAMES)


def test_the_message_action_runs_on_the_bot_on_a_message_with_its_own_dialog() -> None:
    (extension,) = manifest(APP_ID)["composeExtensions"]
    (command,) = extension["commands"]
    assert extension["botId"] == APP_ID
    assert (command["id"], command["type"], command["context"]) == (COMMAND, "action", ["message"])
    assert command["title"] == "Add to incident timeline" and command["fetchTask"] is True


def test_the_icons_are_the_sizes_teams_requires() -> None:
    with Image.open(TEMPLATE / "color.png") as color, Image.open(TEMPLATE / "outline.png") as line:
        assert color.size == (192, 192) and line.size == (32, 32) and line.mode == "RGBA"


def test_teams_package_writes_the_zip_with_the_app_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "app.zip"
    assert main(["teams-package", "--out", str(out), "--app-id", APP_ID]) == 0
    with zipfile.ZipFile(out) as package:
        assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
        packed = json.loads(package.read("manifest.json"))
    assert packed["id"] == APP_ID and packed["bots"][0]["botId"] == APP_ID
    assert problems(packed) == []
    assert "wrote" in capsys.readouterr().out


def test_an_app_id_that_is_no_guid_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(NotAnAppId):
        manifest("my-bot")
    assert main(["teams-package", "--app-id", "my-bot"]) == 1
    assert "TEAMS_APP_ID must be the bot's GUID" in capsys.readouterr().err


def test_a_thread_per_incident_asks_for_no_graph_permission() -> None:
    found = manifest(APP_ID)
    assert "authorization" not in found and "webApplicationInfo" not in found


def test_a_channel_per_incident_asks_only_for_channel_create_in_the_team(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    group = "8c1b1f52-95f1-4a59-9d6b-3f4a3c2f7d10"
    teams = 'teams: {team_id: "", channel_id: ""}'
    book = (REPO / "runbook.yaml").read_text()
    assert teams in book
    runbook = tmp_path / "runbook.yaml"
    runbook.write_text(
        book.replace(teams, f'teams: {{group_id: "{group}", dedicated_channels: true}}')
    )
    monkeypatch.setenv("RUNBOOK_PATH", str(runbook))
    out = tmp_path / "app.zip"

    assert main(["teams-package", "--out", str(out), "--app-id", APP_ID]) == 0

    with zipfile.ZipFile(out) as package:
        packed = json.loads(package.read("manifest.json"))
    assert packed["authorization"] == {
        "permissions": {
            "resourceSpecific": [{"name": "Channel.Create.Group", "type": "Application"}]
        }
    }
    assert packed["webApplicationInfo"]["id"] == APP_ID
    assert problems(packed) == []
    assert "grants the app 'Channel.Create.Group'" in capsys.readouterr().out
