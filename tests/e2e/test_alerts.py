"""Alerts in: Alertmanager's real webhook payloads (firing, grouped, resolved) and the
generic form, posted to the running server, become one suspected-incident card in the web
chat's #triage room, with Declare and Dismiss."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from ai_incident.cli import main
from bot import triage
from bot.runbook import Runbook
from bot.service import Deps
from bot.timeline import Actor
from handlers.alerts import add_alerts
from handlers.web.chat import OffsetClock, WebChat, WebMessage
from handlers.web.routes import add_web_chat
from storage.alerts import SqlAlerts
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.e2e.test_web_chat import Browser
from tests.fakes.clock import FakeClock

PAYLOADS = Path(__file__).parent / "alertmanager"
TOKEN, SECRET = "alerts-token", "alerts-secret"
SUMMARY = "Drafting assistant eval pass rate below 90% for 15 minutes"


def payload(name: str) -> str:
    return (PAYLOADS / f"{name}.json").read_text(encoding="utf-8")


@dataclass
class Server:
    http: TestClient[web.Request, web.Application]
    chat: WebChat
    deps: Deps
    clock: FakeClock

    async def post(self, path: str, body: str, headers: dict[str, str] | None = None) -> Any:
        sent = {"Authorization": f"Bearer {TOKEN}"} if headers is None else headers
        return await self.http.post(path, data=body.encode(), headers=sent)

    def cards(self) -> list[WebMessage]:
        room = self.chat.rooms.get("#triage")
        return [m for m in room.messages if m.notice and m.notice.kind == "alert"] if room else []

    def card_text(self) -> str:
        [card] = self.cards()
        return "\n".join((card.view.title, *card.view.lines, *map(str, card.view.fields)))


def app_for(runbook: Runbook, clock: FakeClock, tmp_path: Path, token: str) -> tuple[Any, ...]:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    engine = make_engine(url)
    chat, offset = WebChat(runbook), OffsetClock(clock)
    deps = Deps(runbook, SqlStore(engine), chat, offset, alerts=SqlAlerts(engine))
    app = web.Application()
    add_web_chat(app, deps, chat, offset)
    add_alerts(app, deps, token, SECRET if token else "")
    return app, chat, deps


@pytest.fixture
async def server(runbook: Runbook, clock: FakeClock, tmp_path: Path) -> AsyncIterator[Server]:
    app, chat, deps = app_for(runbook, clock, tmp_path, TOKEN)
    async with TestClient(TestServer(app)) as http:
        yield Server(http, chat, deps, clock)


def signed(body: str, at: int, secret: str = SECRET) -> dict[str, str]:
    mac = hmac.new(secret.encode(), f"v1:{at}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Alert-Timestamp": str(at), "X-Alert-Signature": f"v1={mac}"}


async def test_a_firing_alert_posts_a_suspected_incident_card_in_triage(server: Server) -> None:
    answer = await server.post("/alerts", payload("firing"))
    assert answer.status == 200 and (await answer.json())["state"] == "open"
    text = server.card_text()
    assert f"Suspected incident: {SUMMARY}" in text and "AI report drafting tool" in text
    assert "http://prometheus.example:9090/graph" in text and "critical" in text
    [card] = server.cards()
    assert [b.label for b in card.view.buttons] == ["Declare", "Dismiss"]


async def test_repeats_of_a_group_update_the_one_card_and_resolved_says_so(
    server: Server,
) -> None:
    for name in ("firing", "grouped", "firing", "resolved"):
        assert (await server.post("/alerts", payload(name))).status == 200
    [card] = server.cards()
    assert card.updates == 3
    assert "Resolved" in server.card_text() and "4 deliveries" in server.card_text()


async def test_a_generic_alert_signed_with_the_secret_is_accepted_even_for_an_unknown_system(
    server: Server,
) -> None:
    body = json.dumps(
        {"system": "pricing-bot", "summary": "Quotes 10x too low", "severity": "high"}
    )
    at = int(server.clock.now().timestamp())
    answer = await server.post("/alerts/generic", body, signed(body, at))
    assert answer.status == 200
    assert "unknown system 'pricing-bot'" in server.card_text()
    again = await server.post("/alerts/generic", body, signed(body, at + 60))
    assert again.status == 200 and len(server.cards()) == 1  # same system + summary: one card


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("{not json", "The body is not JSON"),
        ('{"summary": "x"}', "'system' is missing."),
        ('{"system": "a", "summary": "b", "colour": "red"}', "Unknown field 'colour'"),
        ('{"system": "a", "summary": "b", "occurred_at": "yesterday"}', "ISO 8601"),
    ],
)
async def test_a_bad_generic_payload_is_a_400_with_a_one_line_reason(
    server: Server, body: str, reason: str
) -> None:
    answer = await server.post("/alerts/generic", body)
    said = await answer.text()
    assert answer.status == 400 and reason in said and said.count("\n") == 1
    assert server.cards() == []


async def test_an_alertmanager_body_without_alerts_is_a_400(server: Server) -> None:
    answer = await server.post("/alerts", '{"status": "firing", "groupKey": "x", "alerts": []}')
    assert answer.status == 400 and "'alerts' must be a non-empty list" in await answer.text()


async def test_missing_or_wrong_auth_is_a_401(server: Server) -> None:
    body = payload("firing")
    late = int(server.clock.now().timestamp()) - 600  # outside the five-minute window
    for headers in (
        {},
        {"Authorization": "Bearer nope"},
        signed(body, late),
        signed(body, late + 600, "x"),
    ):
        assert (await server.post("/alerts", body, headers)).status == 401
    assert server.cards() == []


async def test_an_over_size_body_is_a_413(server: Server) -> None:
    answer = await server.post("/alerts/generic", "x" * (300 * 1024))
    assert answer.status == 413


async def test_without_alert_settings_the_endpoints_are_404(
    runbook: Runbook, clock: FakeClock, tmp_path: Path
) -> None:
    app, _chat, _deps = app_for(runbook, clock, tmp_path, "")
    async with TestClient(TestServer(app)) as http:
        for path in ("/alerts", "/alerts/generic"):
            assert (await http.post(path, data=b"{}")).status == 404


async def test_dismiss_needs_a_reason_and_the_card_says_who_dismissed_it(server: Server) -> None:
    await server.post("/alerts", payload("firing"))
    browser = Browser(server.http, server.chat, server.deps.store, server.deps.clock)  # type: ignore[arg-type]
    await browser.open("#triage")
    page = unescape(await browser.press("Dismiss", text="Known eval flake after a model update"))
    assert "Dismissed by Sam Okafor: Known eval flake after a model update" in page
    [card] = server.cards()
    assert card.view.buttons == ()


async def test_declare_opens_the_form_filled_in_and_the_card_names_the_incident(
    server: Server,
) -> None:
    await server.post("/alerts", payload("firing"))
    browser = Browser(server.http, server.chat, server.deps.store, server.deps.clock)  # type: ignore[arg-type]
    await browser.open("#triage")
    page = unescape(await browser.press("Declare"))
    assert f'value="{SUMMARY}"' in page
    assert "Noticed by monitoring at 26 Mar 2026 15:20 GMT" in page
    assert '<option value="drafting-assistant" selected>' in page
    # The browser sends the filled-in fields back as they stand (the parser reads hidden ones).
    filled = {"title": SUMMARY, "system": "drafting-assistant", "noticed": "from the alert"}
    refused = unescape(await browser.press("Declare", failure_type="nonsense", **filled))
    assert "Unknown failure type" in refused and 'name="alert" value="1"' in refused  # kept
    await browser.press("Declare", failure_type="fabrication", aware_at="", **filled)
    incident = await server.deps.store.load("AI-2026-0001")
    assert incident is not None and incident.system == "drafting-assistant"
    assert incident.aware_at == server.clock.now()  # T0: the press, not the alert
    assert "Declared by Sam Okafor as AI-2026-0001" in server.card_text()


async def test_the_command_line_lists_dismissed_and_declared_alerts(
    server: Server,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    await server.post("/alerts", payload("firing"))
    body = json.dumps({"system": "email-assistant", "summary": "Replies to the wrong thread"})
    await server.post("/alerts/generic", body)
    assert server.deps.alerts is not None
    sam = Actor("test:sam", "Sam Okafor", "sam")
    await triage.dismiss(server.deps, server.deps.alerts, 2, sam, "Test mailbox only")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'incidents.db'}")
    assert await asyncio.to_thread(main, ["alerts", "--json"]) == 0
    [listed] = json.loads(capsys.readouterr().out)
    assert (listed["state"], listed["by"], listed["reason"]) == (
        "dismissed",
        "Sam Okafor",
        "Test mailbox only",
    )
    assert await asyncio.to_thread(main, ["alerts", "--all"]) == 0
    out = capsys.readouterr().out
    assert "open" in out and "dismissed by Sam Okafor: Test mailbox only" in out
