"""Where the user waits in the room: the declare form's answer and the classification
questions appearing, each beside `/ai-incident status`'s ack in the same run.

The Slack rig of the tests (signed requests, the fake Slack Web API, a SQLite file) with
the bot's real pacing (about one post a second per channel). Per round: a status ack, the
declare form's submission answered (the form closes), and, from the ack of the click that
records the kill switch (which opens classification), the time until every question's
buttons are in the channel.
Targets: declare ≤ 3× a status ack; questions ≤ 2 s after containment.

Each round starts as the server does (its inbox warmed and swept) and then times, besides its
first declare, a few more declares each right after a status ack, so both meet the same load.
What the declare form's answer still waits for is the one write that keeps the submission
(crash safety: a form that closed is an incident the sweep records, even after a crash);
the incident, its channel and its pages are worked after the form has its answer.

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
DECLARES = 3  # declares a round times beside a status ack, after its first


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


async def declare_answer(rig: Rig, title: str = TITLE) -> float:
    await rig.ws.command(LEE, rig.general, f"declare {title}")
    await rig.work.idle()  # the form takes a person seconds to fill: its opening is over
    answers: dict[str, Any] = {"system": "drafting-assistant", "failure_type": "context_leakage"}
    answers |= {"noticed": "Acme's Q1 report shows Brightside's revenue", "aware_at": T0}
    seconds = await answered(rig, interaction(rig.ws.submission(LEE, rig.ws.opened(LEE), answers)))
    await rig.work.idle()
    return seconds


async def side_by_side(rig: Rig, n: int) -> tuple[float, float]:
    """A status ack, then a declare form's answer at once after it: the pair under the same
    load, so a busy machine slows both alike."""
    status = await answered(rig, command(rig, rig.general, f"status {KEY}"))
    await rig.work.idle()
    return status, await declare_answer(rig, f"{TITLE} ({n})")


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


async def started(rig: Rig) -> None:
    """As the server is once it has started: its inbox warmed and swept (add_inbox_sweeps)."""
    await rig.kept.warm()
    await rig.kept.sweep()


async def one_round(folder: Path) -> list[tuple[float, float, float]]:
    """(status ack, declare answered, questions shown) for each declare of the round; the
    questions are timed once, on the first incident."""
    runbook = load_runbook(ROOT / "runbook.yaml")
    async with (
        workspace_slack() as slack,
        rig_over(slack, runbook, folder, AsyncWebClient(token=TOKEN, base_url=slack.url)) as rig,
    ):
        chat = rig.deps.chat
        assert isinstance(chat, SlackChat)
        chat.pacer = Pacer()  # the bot's real pacing: about a post a second per channel
        await started(rig)
        first = await declare_answer(rig)
        incident = await rig.deps.store.load(KEY)
        assert incident is not None and incident.room is not None
        room = incident.room.id
        status = statistics.median(
            [await answered(rig, command(rig, room, "status")) for _ in range(5)]
        )
        await rig.work.idle()
        await rig.ws.click(SAM, rig.ws.message_with(room, "ack:incident_lead"), "ack:incident_lead")
        questions = await questions_after_containment(rig, room)
        pairs = [await side_by_side(rig, n) for n in range(2, 2 + DECLARES)]
    return [(status, first, questions)] + [(s, d, questions) for s, d in pairs]


def _report(rounds: list[list[tuple[float, float, float]]]) -> None:
    pairs = [pair for r in rounds for pair in r]
    status, declare = (statistics.median(p[i] for p in pairs) for i in range(2))
    ratio = statistics.median(d / s for s, d, _ in pairs)
    questions = statistics.median(r[0][2] for r in rounds)
    print(f"rounds: {len(rounds)}, declares: {len(pairs)} (medians)")
    print(f"status ack        {status * 1000:8.1f} ms")
    print(f"declare answered  {declare * 1000:8.1f} ms   ratio to status {declare / status:5.2f}")
    print(f"  each declare beside the status ack just before it: ratio {ratio:5.2f} (target ≤ 3)")
    print(f"questions shown   {questions * 1000:8.1f} ms   after containment (target ≤ 2000)")


async def run(quick: bool = False) -> None:
    logging.disable(logging.WARNING)
    rounds: list[list[tuple[float, float, float]]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(2 if quick else 5):
            folder = Path(tmp) / f"round-{n}"
            folder.mkdir()
            rounds.append(await one_round(folder))
    _report(rounds)
