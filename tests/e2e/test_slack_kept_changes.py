"""Every change a command makes is kept before its ack and worked exactly once: many
requests for one incident at once are all recorded (none answered "busy" after its ack),
and a handover Slack sends again is worked once."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.commands import TYPED
from handlers.slack.app import CHANGES
from tests.e2e.slack_driver import FORM, signed
from tests.e2e.slack_rig import KEY, SAM, Rig, declared, rig, slack
from tests.e2e.test_slack_inbox import command_body, kept_rows, notes

__all__ = ["rig", "slack"]  # fixtures


def test_every_command_that_changes_an_incident_is_kept_before_its_ack() -> None:
    assert set(CHANGES) == set(TYPED)


async def test_eighty_quick_notes_from_one_person_are_all_recorded(
    rig: Rig, tmp_path: Path
) -> None:
    await declared(rig)
    bodies = [command_body(rig.room, f"note {n}", f"13345224609.{n}.n") for n in range(80)]
    answers = await asyncio.gather(*(rig.ws.send(body, FORM) for body in bodies))
    await rig.work.idle()
    assert {a.status for a in answers} == {200}
    assert sorted(await notes(rig), key=lambda t: int(t)) == [str(n) for n in range(80)]
    told = [m.text for m in rig.slack.ephemerals if m.user == SAM]
    assert not [t for t in told if "busy" in t]
    assert kept_rows(tmp_path, "command") == [("done", 1)] * 80


async def test_a_handover_slack_sends_again_is_worked_once(rig: Rig, tmp_path: Path) -> None:
    await declared(rig)
    await rig.ws.command(SAM, rig.room, "ack")
    body = command_body(rig.room, "handover @Priya Shah off shift", "13345224609.9.h")
    assert (await rig.ws.send(body, FORM)).status == 200
    retried = signed(body) | {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert (await rig.ws.send(body, FORM, retried)).status == 200
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.owner == "priya"
    assert [e.type for e in incident.events].count("handed_over") == 1
    assert kept_rows(tmp_path, "command") == [("done", 1), ("done", 1)]  # ack, handover
    assert len([m for m in rig.ws.messages(rig.room) if "now leads" in m.text]) == 1
