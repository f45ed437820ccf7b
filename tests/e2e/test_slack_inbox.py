"""Requests kept before their ack: a process that dies between the ack and the work loses
nothing (the next one on the same SQLite file does it, once), and a request Slack sends
again (X-Slack-Retry-Num, a repeated submit) changes nothing twice."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.runbook import Runbook
from bot.service import Deps
from handlers.kept import LEASE, Kept
from handlers.slack.app import build_slack_app
from handlers.slack.chat import SlackChat
from handlers.slack.routes import add_slack_routes
from handlers.slack.web_api import Pacer
from handlers.work import Work
from storage.engine import make_engine
from storage.models import INBOX
from tests.e2e.slack_driver import FORM, SECRET, Workspace, signed
from tests.e2e.slack_rig import (
    KEY,
    SAM,
    TOKEN,
    Rig,
    Ticks,
    declared,
    kept_at,
    rig,
    settings_for,
    slack,
    store_at,
)
from tests.fakes.clock import FakeClock
from tests.fakes.dying import DiesAfterTheAck
from tests.fakes.slack_api import FakeSlack

__all__ = ["rig", "slack"]  # fixtures


@asynccontextmanager
async def process(
    slack: FakeSlack, runbook: Runbook, tmp_path: Path, clock: FakeClock, work: Work
) -> AsyncIterator[tuple[Workspace, Kept]]:
    """Another server process on the rig's SQLite file: its own engines, chat and memory."""
    ticks = Ticks()
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    store = store_at(tmp_path)
    chat = SlackChat(client, runbook, Pacer(1.0, ticks, ticks.sleep), store)
    kept = kept_at(tmp_path, clock, work)
    bolt = build_slack_app(Deps(runbook, store, chat, clock), settings_for(slack), chat, kept=kept)
    app = web.Application()
    add_slack_routes(app, bolt, SECRET)
    async with TestClient(TestServer(app)) as http:
        yield Workspace(http, slack, kept.work), kept


def command_body(channel: str, text: str, trigger: str) -> str:
    fields = {
        "team_id": "T0TEST",
        "channel_id": channel,
        "user_id": SAM,
        "user_name": "sam",
        "command": "/ai-incident",
        "text": text,
        "trigger_id": trigger,
    }
    return urlencode(fields)


async def notes(rig: Rig) -> list[str]:
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    return [str(e.data["text"]) for e in incident.events if e.type == "note"]


async def test_a_note_acked_just_before_a_crash_is_added_once_by_the_next_process(
    rig: Rig, slack: FakeSlack, runbook: Runbook, tmp_path: Path
) -> None:
    await declared(rig)
    clock = FakeClock(rig.deps.clock.now())
    body = command_body(rig.room, "note Vendor confirmed the cache fix", "13345224609.1.abc")
    async with process(slack, runbook, tmp_path, clock, DiesAfterTheAck()) as (dying, _):
        assert (await dying.send(body, FORM)).status == 200
    assert await notes(rig) == []
    clock.advance(LEASE)
    async with process(slack, runbook, tmp_path, clock, Work()) as (ws, kept):
        assert await kept.sweep() == 1
        await ws.work.idle()
        assert await kept.sweep() == 0
        retried = signed(body) | {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "timeout"}
        assert (await ws.send(body, FORM, retried)).status == 200
        assert ws.work.failures == []
    assert await notes(rig) == ["Vendor confirmed the cache fix"]
    assert kept_rows(tmp_path, "command") == [("done", 2)]
    told = [m.text for m in rig.slack.ephemerals if m.user == SAM]
    assert told.count(f"Note added to the timeline of {KEY}.") == 1


async def test_work_still_running_elsewhere_is_not_taken_before_its_lease_ends(
    rig: Rig, slack: FakeSlack, runbook: Runbook, tmp_path: Path
) -> None:
    await declared(rig)
    clock = FakeClock(rig.deps.clock.now())
    body = command_body(rig.room, "note still being worked", "13345224609.2.abc")
    async with process(slack, runbook, tmp_path, clock, DiesAfterTheAck()) as (dying, _):
        await dying.send(body, FORM)
    clock.advance(LEASE - timedelta(seconds=1))
    async with process(slack, runbook, tmp_path, clock, Work()) as (_, kept):
        assert await kept.sweep() == 0
    assert await notes(rig) == []


async def test_a_command_slack_sends_again_is_worked_once(rig: Rig) -> None:
    await declared(rig)
    body = command_body(rig.room, "note Sent twice by Slack", "13345224609.3.abc")
    assert (await rig.ws.send(body, FORM)).status == 200
    retried = signed(body) | {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    assert (await rig.ws.send(body, FORM, retried)).status == 200
    assert await notes(rig) == ["Sent twice by Slack"]


async def test_the_same_note_typed_twice_is_two_notes(rig: Rig) -> None:
    await declared(rig)
    await rig.ws.command(SAM, rig.room, "note Checked again")
    await rig.ws.command(SAM, rig.room, "note Checked again")
    assert await notes(rig) == ["Checked again", "Checked again"]


async def test_a_declare_form_submitted_twice_opens_one_incident_and_one_channel(
    rig: Rig,
) -> None:
    await rig.ws.command(SAM, rig.general, "declare Twice")
    form = rig.ws.opened(SAM)
    answers = {"system": "drafting-assistant", "failure_type": "context_leakage"}
    answers |= {"noticed": "Seen in the Acme report"}
    for _ in range(2):
        assert (await rig.ws.submit(SAM, form, answers)).status == 200
    assert [i.key for i in await rig.deps.store.list_incidents()] == [KEY]
    assert [c.name for c in rig.slack.channels.values() if c.name.startswith("aiinc")] == [
        "aiinc-20260326-twice"
    ]
    declared_ = [m.text for m in rig.slack.ephemerals if m.text.startswith("Declared")]
    assert declared_ == [f"Declared {KEY}: <#C0000002>"]


async def test_a_click_slack_sends_again_changes_nothing_twice(rig: Rig, tmp_path: Path) -> None:
    await declared(rig)
    message = rig.ws.message_with(rig.room, "contain:0:done")
    payload = {
        "type": "block_actions",
        "user": {"id": SAM, "name": "sam"},
        "trigger_id": "13345224609.4.abc",
        "channel": {"id": rig.room},
        "container": {"type": "message", "channel_id": rig.room, "message_ts": message.ts},
        "actions": [{"action_id": "contain:0:done", "value": KEY, "action_ts": "1711467001.1"}],
    }
    body = urlencode({"payload": json.dumps(payload)})
    for _ in range(2):
        assert (await rig.ws.send(body, FORM)).status == 200
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    assert [e.type for e in incident.events].count("containment_step") == 1
    assert kept_rows(tmp_path, "click") == [("done", 1)]  # the second was never worked


def kept_rows(tmp_path: Path, kind: str) -> list[tuple[str, int]]:
    """The inbox as the SQLite file holds it: (status, attempts) of each row of a kind."""
    engine = make_engine(f"sqlite:///{tmp_path / 'incidents.db'}")
    with engine.connect() as conn:
        rows = conn.execute(select(INBOX.c.status, INBOX.c.attempts).where(INBOX.c.kind == kind))
        found = [(status, attempts) for status, attempts in rows]
    engine.dispose()
    return found
