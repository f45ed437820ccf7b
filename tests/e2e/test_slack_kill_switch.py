"""The kill switch from a Slack incident channel: Run opens a confirmation showing the exact
request (secrets masked); Send runs it against a real receiver on 127.0.0.1; a redelivered
submission and a second click send nothing more."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from handlers.kill_switch import HttpKillSwitch
from tests.e2e.slack_driver import text_of
from tests.e2e.slack_rig import ALEX, LEE, SAM, TOKEN, Rig, declared, rig_over, slack
from tests.fakes.kill_switch_receiver import SECRET, Receiver, environment, runbook_with_action
from tests.fakes.slack_api import FakeSlack

RUN = "killswitch:0"
__all__ = ["slack"]  # fixtures


async def no_pause(_seconds: float) -> None:
    return None


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with Receiver() as found:
        yield found


@pytest.fixture
async def kill_rig(slack: FakeSlack, receiver: Receiver, tmp_path: Path) -> AsyncIterator[Rig]:
    runbook = runbook_with_action(receiver.url)
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    sender = HttpKillSwitch(SECRET, environment(), pause=no_pause)
    async with rig_over(slack, runbook, tmp_path, client, sender) as made:
        yield made
    assert made.kept.work.failures == []


def shown(rig: Rig, user: str) -> str:
    return json.dumps(rig.ws.opened(user).view["blocks"], ensure_ascii=False)


async def test_run_confirms_the_request_then_sends_it_and_the_room_sees_the_result(
    kill_rig: Rig, receiver: Receiver
) -> None:
    rig = kill_rig
    await declared(rig)
    await rig.ws.click(LEE, rig.ws.message_with(rig.room, RUN), RUN)
    confirm = shown(rig, LEE)
    assert f"POST {receiver.url}" in confirm and "Idempotency-Key: AI-2026-0001:1" in confirm
    assert "Bearer •••• ($FLAGS_TOKEN)" in confirm and "flags-token" not in confirm
    assert receiver.seen == []  # nothing leaves before Send
    answer = await rig.ws.submit(LEE, rig.ws.opened(LEE), {})
    assert answer.status == 200
    assert len(receiver.seen) == 1 and receiver.seen[0].signed
    assert "Kill switch for step 1 ran: HTTP 200" in rig.ws.said(rig.room)
    containment = text_of(rig.ws.message_with(rig.room, "contain:1:done"))
    assert "Turn off AI drafts for all users — done (Lee Chen," in containment  # who ran it


async def test_a_redelivered_submission_and_a_second_click_send_nothing_more(
    kill_rig: Rig, receiver: Receiver
) -> None:
    rig = kill_rig
    await declared(rig)
    message = rig.ws.message_with(rig.room, RUN)
    await rig.ws.click(LEE, message, RUN)
    await rig.ws.click(SAM, message, RUN)  # a second person presses the same button
    lee_form, sam_form = rig.ws.opened(LEE), rig.ws.opened(SAM)
    submission = rig.ws.submission(LEE, lee_form, {})
    await rig.ws.interact(submission)
    await rig.ws.interact(submission)  # Slack delivers the same submission again
    await rig.ws.submit(SAM, sam_form, {})
    assert len(receiver.seen) == 1
    assert "already recorded as done" in rig.ws.told(SAM)


async def test_someone_outside_the_kill_switch_chain_is_refused(
    kill_rig: Rig, receiver: Receiver
) -> None:
    rig = kill_rig
    await declared(rig)
    await rig.ws.click(ALEX, rig.ws.message_with(rig.room, RUN), RUN)
    answer = await rig.ws.submit(ALEX, rig.ws.opened(ALEX), {})
    assert "Only the kill-switch chain" in answer.body + rig.ws.told(ALEX)
    assert receiver.seen == []
