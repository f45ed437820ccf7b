"""A pressed button as Teams sends it: an Action.Execute arrives as an `adaptiveCard/action`
invoke and is read as the same submission an Action.Submit message is; the Emulator, which
has no Action.Execute, is sent Action.Submit with the same data."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from handlers.teams.activity import Malformed, read_turn
from handlers.teams.emulator import submits_only
from tests.e2e.teams_driver import fixture

DATA = {"action": "ack:incident_lead", "key": "AI-2026-0001"}


def invoke(action: Any) -> dict[str, Any]:
    found = copy.deepcopy(fixture("card_submit"))
    found |= {"type": "invoke", "name": "adaptiveCard/action"}
    found["value"] = {"action": action, "trigger": "manual"}
    return found


def test_an_action_execute_invoke_reads_as_the_submission_of_its_data() -> None:
    execute = {"type": "Action.Execute", "verb": "ack:incident_lead", "data": DATA | {"text": "x"}}
    turn = read_turn(invoke(execute))
    assert (turn.kind, turn.invoked, turn.source) == ("submit", True, "msteams")
    assert turn.value == DATA | {"text": "x"} and turn.reply_to == "1774539605001"
    submitted = copy.deepcopy(fixture("card_submit")) | {"value": DATA}
    old = read_turn(submitted)
    assert (old.kind, old.invoked, old.value) == ("submit", False, DATA)


@pytest.mark.parametrize(
    "action",
    [
        {"type": "Action.Submit", "data": DATA},
        {"type": "Action.Execute", "verb": "ack", "data": "ack"},
        "ack",
    ],
)
def test_a_card_action_no_card_of_ours_sends_is_malformed(action: Any) -> None:
    with pytest.raises(Malformed):
        read_turn(invoke(action))


def test_another_invoke_is_not_a_submission() -> None:
    other = invoke({}) | {"name": "composeExtension/query"}
    assert read_turn(other).kind == "invoke"


def test_the_emulator_gets_action_submit_with_the_same_data() -> None:
    execute = {"type": "Action.Execute", "title": "Ack", "verb": "ack:x", "data": DATA}
    card = {"type": "AdaptiveCard", "body": [{"type": "ActionSet", "actions": [execute]}]}
    (action,) = submits_only(card)["body"][0]["actions"]
    assert action == {"type": "Action.Submit", "title": "Ack", "data": DATA}
    assert execute["type"] == "Action.Execute"  # the card itself is left as it was
