"""The same answers given in Slack and in Teams make the same record: `ai-incident export KEY
--format json` differs only in platform ids (who, which room) and the hashes over them."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import pytest

from ai_incident.cli import main
from tests.e2e import slack_rig as on_slack
from tests.e2e import teams_rig as on_teams
from tests.e2e.slack_rig import KEY, Rig, rig, slack
from tests.e2e.teams_rig import TeamsRig, connector, teams_rig

__all__ = ["connector", "rig", "slack", "teams_rig"]  # fixtures
PLATFORM_ID = re.compile(r"^(slack|teams):")
ROOM_FIELDS = {"platform", "id", "name", "url"}


def neutral(value: Any) -> Any:
    """The export with platform ids, room details and hashes set aside."""
    if isinstance(value, dict):
        is_room = set(value) >= ROOM_FIELDS
        return {
            k: "<platform>" if is_room or k in ("hash", "prev_hash", "head_hash") else neutral(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [neutral(v) for v in value]
    if isinstance(value, str) and PLATFORM_ID.match(value):
        return "<platform id>"
    return value


async def exported(
    db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, Any]:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["export", KEY, "--format", "json"]) == 0
    loaded: dict[str, Any] = json.loads(capsys.readouterr().out)
    return loaded


async def test_slack_and_teams_answers_export_the_same_record(
    rig: Rig,
    teams_rig: TeamsRig,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for step in ("declared", "acknowledged", "contained", "classified"):
        await getattr(on_slack, step)(rig)
        await getattr(on_teams, step)(teams_rig)
    from_slack = await exported(tmp_path / "incidents.db", monkeypatch, capsys)
    from_teams = await exported(tmp_path / "teams.db", monkeypatch, capsys)
    assert from_slack["timeline"][0]["actor"] != from_teams["timeline"][0]["actor"]
    assert len(from_slack["timeline"]) == len(from_teams["timeline"]) > 20
    assert neutral(from_slack) == neutral(from_teams)
