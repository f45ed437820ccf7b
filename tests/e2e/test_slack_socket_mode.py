"""Socket Mode: the server connects out to Slack (a fake Socket Mode end on 127.0.0.1, found
through the fake Web API's apps.connections.open), and what arrives over the socket is acked
by its envelope id and worked, as over HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.web.async_client import AsyncWebClient

from bot.runbook import Runbook
from bot.service import Deps
from bot.settings import Settings
from handlers.kept import Kept
from handlers.slack.app import build_slack_app
from handlers.slack.chat import SlackChat
from handlers.slack.routes import add_socket_mode
from handlers.slack.web_api import Pacer
from tests.conftest import SEED_T0
from tests.e2e.slack_driver import Workspace
from tests.e2e.slack_rig import KEY, LEE, TOKEN, Ticks, kept_at, slack, store_at
from tests.fakes.clock import FakeClock
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_socket import SocketModeServer

__all__ = ["slack"]  # fixture
APP_TOKEN = "xapp-1-A0FAKE-1-test"


@dataclass
class Socket:
    server: SocketModeServer
    slack: FakeSlack
    kept: Kept
    deps: Deps
    ws: Workspace  # reads what the bot did; nothing is sent over HTTP here


@pytest.fixture
async def socket(slack: FakeSlack, runbook: Runbook, tmp_path: Path) -> AsyncIterator[Socket]:
    """The server as `ai-incident serve` runs it with only SLACK_APP_TOKEN: no HTTP route."""
    ticks, clock = Ticks(), FakeClock(SEED_T0 + timedelta(minutes=10))
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    store = store_at(tmp_path)
    chat = SlackChat(client, runbook, Pacer(1.0, ticks, ticks.sleep), store)
    deps, kept = Deps(runbook, store, chat, clock), kept_at(tmp_path, clock)
    settings = Settings(slack_bot_token=TOKEN, slack_app_token=APP_TOKEN, slack_api_url=slack.url)
    app = web.Application()
    add_socket_mode(app, build_slack_app(deps, settings, chat, kept=kept), APP_TOKEN)
    async with SocketModeServer() as server:
        slack.allow_socket_mode(APP_TOKEN, server.url)
        async with TestClient(TestServer(app)) as http:
            await server.connected()
            yield Socket(server, slack, kept, deps, Workspace(http, slack, kept.work))
    assert kept.work.failures == []


def slash_command(channel: str, text: str, trigger: str) -> dict[str, str]:
    return {
        "team_id": "T0TEST",
        "channel_id": channel,
        "user_id": LEE,
        "user_name": "lee",
        "command": "/ai-incident",
        "text": text,
        "trigger_id": trigger,
    }


async def test_a_slash_command_over_the_socket_is_acked_and_opens_the_form(
    socket: Socket,
) -> None:
    general = socket.slack.add_channel("general", is_private=False, members=[LEE])
    trigger = socket.slack.new_trigger(LEE)
    acked = await socket.server.deliver(
        "slash_commands", slash_command(general, "declare Leak seen over the socket", trigger)
    )
    assert acked["envelope_id"] == "env-1"
    await socket.kept.work.idle()
    form = socket.ws.opened(LEE)
    title = next(b for b in form.view["blocks"] if b.get("block_id") == "title")
    assert title["element"]["initial_value"] == "Leak seen over the socket"


async def test_a_form_submitted_over_the_socket_declares_the_incident(socket: Socket) -> None:
    general = socket.slack.add_channel("general", is_private=False, members=[LEE])
    trigger = socket.slack.new_trigger(LEE)
    await socket.server.deliver("slash_commands", slash_command(general, "declare Leak", trigger))
    await socket.kept.work.idle()
    answers = {"system": "drafting-assistant", "failure_type": "context_leakage"}
    submission = socket.ws.submission(LEE, socket.ws.opened(LEE), answers | {"noticed": "x"})
    acked = await socket.server.deliver("interactive", submission)
    assert acked["envelope_id"] == "env-2" and not acked.get("payload")  # the form closes
    await socket.kept.work.idle()
    incident = await socket.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    assert socket.slack.channels[incident.room.id].name == "aiinc-20260326-leak"
    assert socket.slack.count("apps.connections.open") == 1
