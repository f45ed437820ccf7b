"""doctor names what a kill-switch action or the alerts would lack on the day."""

from __future__ import annotations

from bot.doctor_connectors import connector_findings
from bot.runbook import Runbook
from bot.settings import load_settings
from tests.fakes.kill_switch_receiver import runbook_with_action


def lines(env: dict[str, str], runbook: Runbook) -> str:
    return "\n".join(f.line() for f in connector_findings(load_settings(env), runbook))


def test_a_live_action_without_its_secrets_is_a_problem() -> None:
    said = lines({}, runbook_with_action("https://flags.example.com/x"))
    assert "✗ kill switch: KILL_SWITCH_SECRET, FLAGS_TOKEN not set" in said


def test_with_its_secrets_set_the_action_is_ready() -> None:
    env = {"KILL_SWITCH_SECRET": "s", "FLAGS_TOKEN": "t"}
    assert "✓ kill switch: 1 action(s), 1 live" in lines(
        env, runbook_with_action("https://f.example/x")
    )


def test_alerts_name_their_triage_room(runbook: Runbook) -> None:
    assert "✓ alerts: POST /alerts, cards in #triage" in lines({"ALERTS_TOKEN": "t"}, runbook)
    assert "alerts" not in lines({}, runbook)


def test_a_web_chat_triage_room_with_slack_configured_is_a_problem(runbook: Runbook) -> None:
    env = {"ALERTS_TOKEN": "t", "SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
    assert "✗ alerts: rooms.triage is #triage, a web chat room" in lines(env, runbook)
