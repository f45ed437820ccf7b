"""The corrected rules in the local web chat: the questions answered with the page's own
buttons, and the obligations the room then shows are exactly those the path calls for."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.permissions import REGULATOR
from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.service import Deps
from handlers.web.chat import OffsetClock, WebChat
from handlers.web.routes import add_web_chat
from tests.e2e.rule_paths import PATHS, RulePath, firm_for
from tests.e2e.test_web_chat import ROOM, Browser, Forms
from tests.fakes.clock import FakeClock


@pytest.fixture(params=PATHS, ids=[p.name for p in PATHS])
async def path_browser(
    request: pytest.FixtureRequest, runbook: Runbook, store: IncidentStore, clock: FakeClock
) -> AsyncIterator[tuple[Browser, RulePath]]:
    path: RulePath = request.param
    firm = firm_for(runbook, path)
    chat, offset = WebChat(firm), OffsetClock(clock)
    app = web.Application()
    add_web_chat(app, Deps(firm, store, chat, offset), chat, offset)
    async with TestClient(TestServer(app)) as client:
        yield Browser(client, chat, store, offset), path


async def _act(browser: Browser, action: str) -> None:
    for form in Forms(browser.page).forms:
        if form.fields.get("action") == action:
            typed = {"text": "FR, IE"} if action.startswith("classify:Q6:") else {}
            # Each question by its decider: the compliance role for the regulator ones.
            typed["as"] = "jordan" if action.split(":")[1] in REGULATOR else "alex"
            response = await browser.client.post("/action", data={**form.fields, **typed})
            assert response.status == 200
            browser.page = await response.text()
            if _asks_why(browser, action):  # a "no" that rules a notification out: say why
                await browser.press("Give the reason", text=f"{action}: ruled out")
            return
    raise AssertionError(f"no {action} button on the page")


def _asks_why(browser: Browser, action: str) -> bool:
    return any(
        f.fields.get("action") == action and any(b[0] == "Give the reason" for b in f.buttons)
        for f in Forms(browser.page).forms
    )


def _actions(browser: Browser) -> set[str]:
    return {f.fields.get("action", "") for f in Forms(browser.page).forms}


async def test_each_path_shows_exactly_its_obligations(
    path_browser: tuple[Browser, RulePath],
) -> None:
    browser, path = path_browser
    await browser.declare()
    await browser.press("1: Done")  # the kill switch: the questions open at once
    for question, value in path.answers:
        await _act(browser, f"classify:{question}:{value}")
    await browser.open(ROOM)
    shown = {a.split(":")[1] for a in _actions(browser) if a.startswith("obligation:")}
    assert shown == path.expected
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and set(incident.obligations) == path.expected
    assert [q for q, _ in path.answers if q not in incident.answers] == []
    # The ICO draft is offered exactly when the ICO clock runs (never to a processor).
    assert ("draft:ico_art33" in _actions(browser)) == ("ico_art33" in path.expected)
