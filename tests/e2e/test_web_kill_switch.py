"""The kill switch from the local web chat: the Run button opens a confirmation with the
exact request (secrets masked), and sending it reaches a real receiver on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator
from html import unescape

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.ports import IncidentStore
from bot.service import Deps
from handlers.kill_switch import HttpKillSwitch
from handlers.web.chat import OffsetClock, WebChat
from handlers.web.routes import add_web_chat
from tests.e2e.test_web_chat import ROOM, Browser
from tests.fakes.clock import FakeClock
from tests.fakes.kill_switch_receiver import SECRET, Receiver, environment, runbook_with_action


async def no_pause(_seconds: float) -> None:
    return None


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    async with Receiver("500-then-200") as found:
        yield found


@pytest.fixture
async def browser(
    receiver: Receiver, store: IncidentStore, clock: FakeClock
) -> AsyncIterator[Browser]:
    runbook = runbook_with_action(receiver.url)
    chat, offset = WebChat(runbook), OffsetClock(clock)
    sender = HttpKillSwitch(SECRET, environment(), pause=no_pause)
    app = web.Application()
    add_web_chat(app, Deps(runbook, store, chat, offset, kill_switch=sender), chat, offset)
    async with TestClient(TestServer(app)) as client:
        yield Browser(client, chat, store, offset)


async def test_run_shows_the_request_then_sends_it_once(
    browser: Browser, receiver: Receiver
) -> None:
    page = unescape(await browser.declare())
    assert "1: Run" in page and "This request will be sent:" in page
    assert f"POST {receiver.url}" in page and "Bearer •••• ($FLAGS_TOKEN)" in page
    assert "flags-token" not in page and receiver.seen == []
    page = unescape(await browser.press("Send the request"))
    assert len(receiver.seen) == 2  # the receiver's 500, then its 200
    assert "Kill switch for step 1 ran: HTTP 200 (" in page and "2 attempt(s)" in page
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and incident.steps[0].status == "done"
    containment = [
        m for m in browser.chat.rooms[ROOM].messages if m.notice and m.notice.kind == "containment"
    ]
    assert "1: Run" not in [b.label for b in containment[0].view.buttons]
