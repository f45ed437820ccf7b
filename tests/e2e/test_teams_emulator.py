"""Emulator mode from outside: `ai-incident serve` with TEAMS_EMULATOR=1 in its own process
(an ephemeral port), driven through POST /api/messages as the Bot Framework Emulator drives
it — unauthenticated activities on channel "emulator" naming a loopback serviceUrl, here
the fake connector, and buttons as Action.Submit (the Emulator renders no Action.Execute)
— from declare to close. On a non-loopback HOST it refuses to start."""

from __future__ import annotations

import inspect
import subprocess
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest

from bot.incident import Incident
from bot.permissions import REGULATOR
from bot.runbook_parse import load_runbook
from handlers.teams.routes import PATH
from storage.engine import make_engine
from storage.sql import SqlStore
from tests.conftest import ROOT
from tests.e2e.slack_rig import ANSWERS, KEY, TITLE
from tests.e2e.teams_driver import CHANNEL, TEAM, Tenant, actions, text_of
from tests.e2e.teams_rig import ALEX, JORDAN, LEE, POST, PRIYA, SAM, _asks
from tests.fakes.teams_connector import FakeConnector
from tests.faults.servers import SERVE, ServerProcess, until

LONDON = ZoneInfo("Europe/London")
CLOCKS = ("ico_art33", "cyber_insurer", "client_contract_acme", "pi_insurer")


class Emulator(Tenant):
    """The Emulator's side: the same activities, sent over HTTP to another process, on
    channel "emulator" with no tenant and no token. Each send returns the status; what
    it started is waited for by what it changes (`Run.after`)."""

    def __init__(self, url: str, connector: FakeConnector, http: aiohttp.ClientSession) -> None:
        super().__init__(None, connector, None)  # type: ignore[arg-type]
        self.url, self.session = url, http

    async def send(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        activity = activity | {"channelId": "emulator"}
        activity["conversation"].pop("tenantId", None)
        activity.get("channelData", {}).pop("tenant", None)
        self.activities.append(activity)
        async with self.session.post(self.url + PATH, json=activity) as response:
            return response.status


class Run:
    def __init__(self, emulator: Emulator, store: SqlStore, runbook: Path, log: Path) -> None:
        self.emulator, self.store, self.runbook, self.log = emulator, store, runbook, log
        self.room = ""

    async def incident(self) -> Incident | None:
        return await self.store.load(KEY)

    async def events(self) -> int:
        found = await self.incident()
        return len(found.events) if found else 0

    async def after(self, what: str, check: Callable[[], Any]) -> None:
        async def holds() -> bool:
            found = check()
            return bool(await found if inspect.isawaitable(found) else found)

        await until(holds, what, limit_s=60.0)

    async def click(self, user: Any, action: str, text: str = "") -> None:
        """Press a button in the room; done when the record changed or the bot asked for
        words first (then give them)."""
        await self.after(f"a {action} button", lambda: self.offered(action))
        before, sent = await self.events(), len(self.emulator.messages(self.room))
        card = self.emulator.with_action(self.room, action)
        assert await self.emulator.click(user, card, action, text) == 202

        async def moved() -> bool:
            news = self.emulator.messages(self.room)[sent:]
            return await self.events() > before or any(_asks(m, action) for m in news)

        await self.after(f"{action} to be worked", moved)
        asking = [m for m in self.emulator.messages(self.room)[sent:] if _asks(m, action)]
        if asking and await self.events() == before:
            assert await self.emulator.click(user, asking[0], action, f"{action}: ruled out") == 202
            await self.after(f"{action} with its reason", lambda: self._more(before))

    def offered(self, action: str) -> bool:
        pressable = (a for m in self.emulator.messages(self.room) for a in actions(m.cards))
        return any(a.get("data", {}).get("action") == action for a in pressable)

    async def _more(self, before: int) -> bool:
        return await self.events() > before


def emulator_runbook(tmp_path: Path) -> Path:
    text = (ROOT / "runbook.yaml").read_text()
    teams = f'  teams: {{team_id: "{TEAM}", channel_id: "{CHANNEL}"}}'
    lines = [teams if line.startswith("  teams:") else line for line in text.splitlines()]
    path = tmp_path / "runbook.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
async def emulator(tmp_path: Path) -> AsyncIterator[Run]:
    url, runbook = f"sqlite:///{tmp_path / 'emulator.db'}", emulator_runbook(tmp_path)
    env = {
        "TEAMS_EMULATOR": "1",
        "DATABASE_URL": url,
        "RUNBOOK_PATH": str(runbook),
        "RECORDS_DIR": str(tmp_path / "records"),
    }
    server = ServerProcess(env, tmp_path / "serve.log")
    try:
        async with FakeConnector() as connector, aiohttp.ClientSession() as http:
            for user in (LEE, SAM, ALEX, PRIYA, JORDAN):
                connector.add_member(user.id, user.name, user.email, user.aad)
            await server.ready()
            store = SqlStore(make_engine(url))
            yield Run(Emulator(server.url, connector, http), store, runbook, server.log)
    finally:
        server.kill()


def aware_now() -> dict[str, str]:
    """T0 a few minutes ago (the server runs on the real clock)."""
    at = datetime.now(LONDON) - timedelta(minutes=5)
    return {"aware_date": f"{at:%Y-%m-%d}", "aware_time": f"{at:%H:%M}"}


async def test_the_emulator_drives_declare_to_close_through_api_messages(emulator: Run) -> None:
    run, tenant = emulator, emulator.emulator
    assert "TEAMS AUTH IS OFF (TEAMS_EMULATOR=1)" in run.log.read_text()  # said loudly at start
    assert await tenant.say(LEE, POST, f"declare {TITLE}") == 202
    await run.after("the declare form", lambda: tenant.messages(POST))
    declared = {"system": "drafting-assistant", "failure_type": "context_leakage"}
    declared |= {"noticed": "Acme's Q1 report shows Brightside's revenue"} | aware_now()
    assert await tenant.fill(LEE, tenant.last(POST), declared) == 202

    async def paged() -> bool:
        found = await run.incident()
        run.room = found.room.id if found and found.room else ""
        return bool(run.room) and run.offered("ack:incident_lead")

    await run.after("the room and the page", paged)
    await run.click(SAM, "ack:incident_lead")
    for step in range(3):
        await run.click(SAM, f"contain:{step}:done")
    await run.click(SAM, "contain:3:not_possible", "The vendor holds the key")
    for question, value in ANSWERS:  # each by its decider: the DPO, or compliance
        await run.click(JORDAN if question in REGULATOR else ALEX, f"classify:{question}:{value}")
    for clock in CLOCKS:
        await run.click(ALEX, f"obligation:{clock}:done", f"{clock} told, ref 77")

    sent = len(tenant.messages(run.room))
    assert await tenant.say(SAM, run.room, "close") == 202
    await run.after("the close form", lambda: len(tenant.messages(run.room)) > sent)
    criteria = load_runbook(run.runbook).reenable_criteria
    every = ",".join(str(i) for i in range(len(criteria)))
    answers = {"root_cause": "Cache keyed without client id", "failure_type": "context_leakage"}
    answers |= {"lessons": "Key caches by client", "must_contain": "Acme", "reenable": every}
    form = tenant.last(run.room)
    assert await tenant.fill(PRIYA, form, answers) == 202  # her sign-off is hers to give
    await run.after("the close form to be answered", lambda: form.updates)
    found = await run.incident()
    assert found is not None and found.closed_at is not None, text_of(form)
    assert found.owner == "sam" and {q for q, _ in ANSWERS} <= set(found.answers)
    await run.after("the summary", lambda: f"{KEY} closed: {TITLE}" in tenant.said(run.room))
    assert all(c.authorization == "" for c in tenant.connector.calls)  # no token, ever
    kinds = {a["type"] for m in tenant.connector.sent.values() for s in m for a in actions(s.cards)}
    assert "Action.Submit" in kinds and "Action.Execute" not in kinds  # what the Emulator renders
    assert text_of(tenant.messages(POST)[0]).startswith(f"Declared {KEY}")


def test_emulator_mode_refuses_to_start_beyond_loopback(tmp_path: Path) -> None:
    env = {"TEAMS_EMULATOR": "1", "HOST": "0.0.0.0", "PATH": "/usr/bin:/bin"}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    done = subprocess.run(
        SERVE,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "TEAMS_EMULATOR=1 turns Teams authentication off" in done.stderr + done.stdout
