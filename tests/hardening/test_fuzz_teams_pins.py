"""Teams' message action door under hostile input: any mutation of a real
`composeExtension/fetchTask` or `submitAction` (fields dropped, of the wrong kind, huge
or odd HTML) is answered 200 with what the dialog shows, or 400, never a fault (one no
longer a message action gets that door's answer); and no answer leaks a stack trace."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.runbook import Runbook
from handlers.teams.activity import FETCH_TASK, MESSAGE_ACTIONS, SUBMIT_ACTION
from handlers.teams.routes import PATH
from tests.e2e.teams_rig import SAM, TeamsRig, connector, declared, running, teams_runbook
from tests.e2e.test_teams_pins import message_action
from tests.fakes.teams_connector import FakeConnector
from tests.hardening.conftest import FUZZ
from tests.hardening.fuzzing import HOSTILE, leaks, mutated, set_at, words

__all__ = ["connector"]  # fixtures
BODY = ("value", "messagePayload", "body", "content")


@pytest.fixture
async def teams(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path
) -> AsyncIterator[TeamsRig]:
    async with running(connector, teams_runbook(runbook), tmp_path) as rig:
        await declared(rig)
        yield rig


def hostile_html() -> st.SearchStrategy[str]:
    tags = st.sampled_from(
        ("<p>", "</p>", "<br>", "<pre>", "</pre>", "<script>", "</script>", "<img src=", '"')
    )
    return st.lists(st.one_of(tags, words(), st.sampled_from(HOSTILE)), max_size=8).map("".join)


@FUZZ
@given(data=st.data())
async def test_any_message_action_is_answered_without_a_fault(
    teams: TeamsRig, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from((FETCH_TASK, SUBMIT_ACTION)), label="invoke")
    activity: Any = message_action(teams, SAM, teams.room, name)
    activity = set_at(activity, BODY, data.draw(hostile_html(), label="html"))
    activity = mutated(data, activity)
    async with teams.tenant.http.post(PATH, json=activity) as response:
        status, text = response.status, await response.text()
    await teams.tenant.work.idle()
    ours = isinstance(activity, dict) and activity.get("type") == "invoke"
    ours = ours and activity.get("name") in MESSAGE_ACTIONS  # else another door's answers
    assert status in ((200, 400, 403, 413) if ours else (200, 202, 400, 403, 413, 501)), text
    assert not leaks(text), text
    if status == 200 and ours:
        assert json.loads(text)["task"]["type"] in ("message", "continue")
