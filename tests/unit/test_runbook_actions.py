"""A containment step may be plain text or {text, action}; the action is validated when the
runbook is read, so a firm finds a wrong address or a secret in the file before an incident."""

from __future__ import annotations

import pytest

from bot.runbook import RunbookError
from bot.runbook_parse import parse_runbook
from tests.conftest import ROOT
from tests.fakes.kill_switch_receiver import runbook_text_with_action, runbook_with_action


def problems(text: str) -> str:
    with pytest.raises(RunbookError) as error:
        parse_runbook(text, "runbook.yaml")
    return "\n".join(error.value.errors)


def test_a_step_with_an_action_keeps_its_text_and_the_action() -> None:
    runbook = runbook_with_action("https://flags.example.com/ai", dry_run=True)
    system = runbook.systems[0]
    assert system.containment[0] == "Turn off AI drafts for all users"
    action = system.action(0)
    assert action is not None and action.dry_run and action.url == "https://flags.example.com/ai"
    assert action.headers == (("Authorization", "Bearer ${FLAGS_TOKEN}"),)
    assert system.action(1) is None  # the other steps are plain text, as before


@pytest.mark.parametrize(
    "url",
    ["http://flags.example.com/ai", "ftp://127.0.0.1/x", "flags.example.com/ai"],
)
def test_an_action_address_must_be_https_except_on_loopback(url: str) -> None:
    said = problems(runbook_text_with_action(url))
    assert "containment[0].action.url" in said and "must be an https:// address" in said


def test_plain_http_to_loopback_is_allowed() -> None:
    assert runbook_with_action("http://127.0.0.1:8080/x").systems[0].action(0) is not None


def test_a_secret_written_into_a_header_is_refused() -> None:
    text = runbook_text_with_action(
        "https://flags.example.com/ai", headers={"Authorization": "Bearer abc123"}
    )
    said = problems(text)
    assert "action.headers.Authorization" in said and "${ENV_NAME}" in said


def test_an_unknown_method_and_a_silly_timeout_are_named() -> None:
    text = runbook_text_with_action("https://flags.example.com/ai", method="FETCH", timeout_s=0)
    said = problems(text)
    assert "unknown method 'FETCH'" in said and "action.timeout_s: must be more than 0" in said


def test_the_triage_room_is_read_from_rooms() -> None:
    runbook = parse_runbook((ROOT / "runbook.yaml").read_text(encoding="utf-8"), "runbook.yaml")
    assert runbook.rooms.triage == "#triage"
