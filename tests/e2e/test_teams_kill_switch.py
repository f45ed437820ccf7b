"""The kill switch and a suspected incident in Teams: Run shows the exact request in an
inline card before Send runs it; Declare on a triage card shows the declare form filled in."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot import triage
from bot.alerts import from_generic
from handlers.kill_switch import HttpKillSwitch
from tests.e2e.teams_driver import CHANNEL, _inputs, actions, text_of
from tests.e2e.teams_rig import (
    LEE,
    POST,
    SAM,
    TeamsRig,
    connector,
    declared,
    running,
    teams_runbook,
)
from tests.fakes.kill_switch_receiver import SECRET, Receiver, environment, runbook_with_action
from tests.fakes.teams_connector import FakeConnector

__all__ = ["connector"]  # fixtures
RUN = "killswitch:0"


async def no_pause(_seconds: float) -> None:
    return None


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with Receiver() as found:
        yield found


@pytest.fixture
async def rig(
    connector: FakeConnector, receiver: Receiver, tmp_path: Path
) -> AsyncIterator[TeamsRig]:
    book = teams_runbook(runbook_with_action(receiver.url))
    book = replace(book, rooms=replace(book.rooms, triage=CHANNEL))
    sender = HttpKillSwitch(SECRET, environment(), pause=no_pause)
    async with running(connector, book, tmp_path, kill_switch=sender) as made:
        yield made


async def test_run_shows_the_request_and_send_runs_it_once(
    rig: TeamsRig, receiver: Receiver
) -> None:
    room = await declared(rig)
    message = rig.tenant.with_action(room, RUN)
    [shown] = [a for a in actions(message.cards) if a.get("title") == "1: Run"]
    request = "\n".join(b["text"] for b in shown["card"]["body"])
    assert f"POST {receiver.url}" in request and "Bearer •••• ($FLAGS_TOKEN)" in request
    assert receiver.seen == []
    send = dict(shown["card"]["actions"][0]["data"])
    assert await rig.tenant.click(LEE, message, RUN) == 200
    await rig.tenant.submit(SAM, message, send, {})  # Send pressed again on a stale card
    assert len(receiver.seen) == 1 and receiver.seen[0].signed
    assert "Kill switch for step 1 ran: HTTP 200" in rig.tenant.said(room)


async def test_declare_on_a_triage_card_shows_the_declare_form_filled_in(rig: TeamsRig) -> None:
    assert await rig.tenant.say(LEE, POST, "help") == 202  # Teams has spoken to the bot here
    alert = from_generic({"system": "email-assistant", "summary": "Replies sent to wrong client"})
    assert rig.deps.alerts is not None
    await triage.receive(rig.deps, rig.deps.alerts, alert)
    card = rig.tenant.with_action(CHANNEL, "alert:declare:1")
    assert "Suspected incident: Replies sent to wrong client" in text_of(card)
    assert await rig.tenant.click(SAM, card, "alert:declare:1") == 200
    form = rig.tenant.last(card.conversation)
    values = {i["id"]: i.get("value") for c in form.cards for i in _inputs(c)}
    assert values["title"] == "Replies sent to wrong client"
    assert values["system"] == "email-assistant"
    assert "Noticed by monitoring at" in str(values["noticed"])
    assert await rig.tenant.fill(SAM, form, {"failure_type": "wrong_recipient"}) == 200
    assert "Declared by Sam Okafor as AI-2026-0001" in text_of(card)  # the card, updated
