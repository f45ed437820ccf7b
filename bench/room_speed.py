"""Where the user waits in the room: the declare form's answer and the classification
questions appearing, each beside `/ai-incident status`'s ack in the same run.

The Slack rig of the tests (signed requests, the fake Slack Web API, a SQLite file) with
the bot's real pacing (about one post a second per channel). Per round: a status ack, the
declare form's submission answered (the form closes), and, from the ack of the click that
records the kill switch (which opens classification), the time until every question's
buttons are in the channel.
Targets: declare ≤ 3× a status ack; questions ≤ 2 s after containment.

    python -m bench room_speed [--quick]
"""

from __future__ import annotations

import asyncio
import json
import logging
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from slack_sdk.web.async_client import AsyncWebClient

from bot.runbook_parse import load_runbook
from handlers.slack.chat import SlackChat
from handlers.slack.routes import PATH
from handlers.slack.web_api import Pacer
from tests.e2e.slack_driver import FORM, buttons, signed
from tests.e2e.slack_rig import KEY, LEE, SAM, T0, TITLE, TOKEN, Rig, rig_over, workspace_slack

ROOT = Path(__file__).resolve().parents[1]
POLL_S = 0.01


async def answered(rig: Rig, body: str) -> float:
    """Seconds from sending a signed request to its answer (the ack)."""
    headers = {"Content-Type": FORM, **signed(body)}
    began = time.perf_counter()
    async with rig.ws.http.post(PATH, data=body.encode(), headers=headers) as response:
        await response.read()
    return time.perf_counter() - began


def command(rig: Rig, channel: str, text: str) -> str:
    fields = {"team_id": "T0TEST", "channel_id": channel, "user_id": SAM, "user_name": "sam"}
    fields |= {"command": "/ai-incident", "text": text, "trigger_id": rig.slack.new_trigger(SAM)}
    return urlencode(fields)


def interaction(payload: dict[str, Any]) -> str:
    return urlencode({"payload": json.dumps(payload)})


async def declare_answer(rig: Rig) -> float:
    await rig.ws.command(LEE, rig.general, f"declare {TITLE}")
    answers: dict[str, Any] = {"system": "drafting-assistant", "failure_type": "context_leakage"}
    answers |= {"noticed": "Acme's Q1 report shows Brightside's revenue", "aware_at": T0}
    seconds = await answered(rig, interaction(rig.ws.submission(LEE, rig.ws.opened(LEE), answers)))
    await rig.work.idle()
    return seconds


async def until(done: Callable[[], bool]) -> None:
    while not done():
        await asyncio.sleep(POLL_S)


def questions_shown(rig: Rig, room: str) -> bool:
    actions = {b["action_id"] for m in rig.ws.messages(room) for b in buttons(m)}
    return {"classify:Q1:yes", "classify:Q14:yes"} <= actions


async def questions_after_containment(rig: Rig, room: str) -> float:
    """From the ack of the click that records the kill switch (step 1), which opens the
    questions, until every question's buttons are in the channel."""
    action = "contain:0:done"
    message = rig.ws.message_with(room, action)
    payload = rig.ws._base("block_actions", SAM) | {
        "container": {"type": "message", "message_ts": message.ts, "channel_id": room},
        "channel": {"id": room},
        "actions": [
            {"action_id": action, "value": KEY, "block_id": "b", "action_ts": str(time.time())}
        ],
    }
    await answered(rig, interaction(payload))
    began = time.perf_counter()
    await until(lambda: questions_shown(rig, room))
    seconds = time.perf_counter() - began
    await rig.work.idle()
    return seconds


async def one_round(folder: Path) -> tuple[float, float, float]:
    runbook = load_runbook(ROOT / "runbook.yaml")
    async with (
        workspace_slack() as slack,
        rig_over(slack, runbook, folder, AsyncWebClient(token=TOKEN, base_url=slack.url)) as rig,
    ):
        chat = rig.deps.chat
        assert isinstance(chat, SlackChat)
        chat.pacer = Pacer()  # the bot's real pacing: about a post a second per channel
        declare = await declare_answer(rig)
        incident = await rig.deps.store.load(KEY)
        assert incident is not None and incident.room is not None
        room = incident.room.id
        status = statistics.median(
            [await answered(rig, command(rig, room, "status")) for _ in range(5)]
        )
        await rig.work.idle()
        await rig.ws.click(SAM, rig.ws.message_with(room, "ack:incident_lead"), "ack:incident_lead")
        questions = await questions_after_containment(rig, room)
    return declare, status, questions


def _report(rounds: list[tuple[float, float, float]]) -> None:
    declare, status, questions = (statistics.median(r[i] for r in rounds) for i in range(3))
    print(f"rounds: {len(rounds)} (medians)")
    print(f"status ack        {status * 1000:8.1f} ms")
    print(f"declare answered  {declare * 1000:8.1f} ms   ratio to status {declare / status:5.2f}")
    print(f"questions shown   {questions * 1000:8.1f} ms   after containment (target ≤ 2000)")


async def run(quick: bool = False) -> None:
    logging.disable(logging.WARNING)
    rounds: list[tuple[float, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(2 if quick else 5):
            folder = Path(tmp) / f"round-{n}"
            folder.mkdir()
            rounds.append(await one_round(folder))
    _report(rounds)
