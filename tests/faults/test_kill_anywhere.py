"""SIGKILL at random points of a scripted incident: nothing lost, nothing twice.

A real server process (the local web chat over a SQLite file) runs the script: declare,
acknowledge, four containment steps, six answers, two evidence items, a note. The ICO clock's
+24 h reminder (and the other clocks' first ones) fall due while the script runs. Each trial
kills the server with SIGKILL once, at a random step, either just after its answer or with
the request sent and its answer not yet read; then starts it again and carries on. A person
whose request got no answer looks at the record and does the step again only if it is not
there.

Afterwards, for every trial's incident: each answer, evidence item and note once, each
obligation opened once, each reminder announced once and none due left unsent, and
`ai-incident verify` finds the hash chain intact.

    KILL_TRIALS=100 make soak      # `make test` runs KILL_TRIALS (default 8) trials
"""

from __future__ import annotations

import asyncio
import json
import os
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from ai_incident.cli import main as cli
from bot.incident import Incident
from bot.runbook import Runbook
from bot.tick import LEASE
from handlers.web.chat import room_id
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.faults.servers import ServerProcess, until
from tests.service.test_seed_case import ANSWERS

TRIALS = int(os.environ.get("KILL_TRIALS", "8"))
SEED = int(os.environ.get("KILL_SEED", "20260326"))
EVIDENCE = ("gateway log 14:02-14:40", "cache dump sha from the vendor")
NOTE = "note the vendor is on the call"


@dataclass(frozen=True)
class Step:
    name: str
    path: str
    fields: dict[str, str]
    done: Callable[[Incident], bool]


def script(key: str, runbook: Runbook) -> list[Step]:
    """Every step after the declaration, each with how the record shows it done."""
    room = room_id(key)
    system = runbook.system("drafting-assistant")
    assert system is not None
    steps = [Step("ack", "/command", {"text": "ack"}, lambda i: "incident_lead" in i.acks)]
    for n in range(len(system.containment)):
        fields = {"key": key, "action": f"contain:{n}:done"}
        steps.append(Step(f"contain {n}", "/action", fields, lambda i, n=n: n in i.steps))
    for question, value in ANSWERS:
        fields = {"key": key, "action": f"classify:{question}:{value}", "as": "alex"}
        steps.append(Step(question, "/action", fields, lambda i, q=question: q in i.answers))
    for text in EVIDENCE:
        said = {"text": f"evidence {text}", "as": "alex"}
        steps.append(
            Step(text, "/command", said, lambda i, t=text: any(e.text == t for e in i.evidence))
        )
    steps.append(Step("note", "/command", {"text": NOTE}, lambda i: _noted(i)))
    return [Step(s.name, s.path, {"room": room, "as": "sam"} | s.fields, s.done) for s in steps]


def _noted(incident: Incident) -> bool:
    return any(e.type == "note" for e in incident.events)


def declaration(title: str, runbook: Runbook) -> dict[str, str]:
    """Aware 24 h ago less a few seconds: the clocks' first reminders fall due mid-script."""
    aware = datetime.now(UTC) - timedelta(hours=24) + timedelta(seconds=5)
    local = aware.astimezone(runbook.firm.timezone).replace(tzinfo=None)
    return {
        "title": title,
        "system": "drafting-assistant",
        "failure_type": "context_leakage",
        "noticed": "",
        "aware_at": local.isoformat(timespec="seconds"),
        "as": "sam",
    }


class Trials:
    """One SQLite file; a server that is killed and started again; the record read directly."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.url = f"sqlite:///{folder / 'incidents.db'}"
        upgrade(self.url)
        self.engine = make_engine(self.url)
        self.store = SqlStore(self.engine)
        self.starts = 0
        self.server = self._start()

    def _start(self, ahead_s: float = 0) -> ServerProcess:
        self.starts += 1
        env = {"DATABASE_URL": self.url, "CLOCK_OFFSET_SECONDS": str(ahead_s)}
        return ServerProcess(env, self.folder / "server.log")

    async def restart(self, ahead_s: float = 0) -> None:
        self.server.kill()
        self.server = await self._start(ahead_s).ready()

    async def post(self, path: str, fields: dict[str, str]) -> None:
        """Send a form as a browser would and read the answer (the redirect, not followed)."""
        async with (
            aiohttp.ClientSession() as http,
            http.post(self.server.url + path, data=fields, allow_redirects=False) as answer,
        ):
            assert answer.status == 303, (path, fields, answer.status, await answer.text())

    async def kill_in_flight(self, path: str, fields: dict[str, str]) -> None:
        """Send the whole request, then SIGKILL without waiting for the answer."""
        body = urlencode(fields).encode()
        head = (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.server.port}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
        ).encode()
        _, writer = await asyncio.open_connection("127.0.0.1", self.server.port)
        writer.write(head + body)
        await writer.drain()
        await self.restart()
        writer.close()

    async def key_of(self, title: str) -> str | None:
        found = [i.key for i in await self.store.list_incidents() if i.title == title]
        assert len(found) <= 1, f"declared twice: {found}"
        return found[0] if found else None

    async def incident(self, key: str) -> Incident:
        found = await self.store.load(key)
        assert found is not None
        return found


async def run_trial(trials: Trials, runbook: Runbook, n: int, rng: random.Random) -> str:
    """The script for one incident, killed once at a random step; its key."""
    title = f"Trial {n}: report shows another client's figures"
    total = 1 + len(script("AI-2026-0000", runbook))
    kill_at, in_flight = rng.randrange(total), rng.random() < 0.5

    async def step(
        index: int, path: str, fields: dict[str, str], done: Callable[[], object]
    ) -> None:
        if index == kill_at and in_flight:
            await trials.kill_in_flight(path, fields)
        else:
            await trials.post(path, fields)
            if index == kill_at:
                await trials.restart()
        if not await done():  # type: ignore[misc]
            await trials.post(path, fields)  # no answer came: the person does it again
        assert await done(), f"step {index} ({path} {fields}) is not on the record"  # type: ignore[misc]

    form = declaration(title, runbook)
    await step(0, "/declare", form, lambda: trials.key_of(title))
    key = await trials.key_of(title)
    assert key is not None
    for index, s in enumerate(script(key, runbook), start=1):

        async def done(s: Step = s) -> bool:
            return s.done(await trials.incident(key))

        await step(index, s.path, s.fields, done)
    return key


async def swept(server: ServerProcess, times: int) -> bool:
    return await server.sweeps() >= times


def repeated(items: list[str]) -> list[str]:
    return sorted(k for k, n in Counter(items).items() if n > 1)


async def check(trials: Trials, runbook: Runbook, key: str) -> None:
    incident = await trials.incident(key)
    human = [
        json.dumps([e.type, e.data], sort_keys=True) for e in incident.events if e.actor.id != "bot"
    ]
    assert repeated(human) == [], f"{key}: a person's action recorded twice"
    assert {q: a.value for q, a in incident.answers.items()} == dict(ANSWERS)
    assert sorted(e.text for e in incident.evidence) == sorted(EVIDENCE)
    assert sum(e.type == "note" for e in incident.events) == 1
    opened = [str(e.data["clock"]) for e in incident.events if e.type == "obligation_opened"]
    assert opened and repeated(opened) == [] and set(opened) == set(incident.obligations)
    announced = [str(e.data["key"]) for e in incident.events if e.type == "reminded"]
    assert repeated(announced) == [], f"{key}: a reminder announced twice"
    rows = await trials.store.reminders(key)
    now = datetime.now(UTC)
    unsent = [
        r.dedupe_key for r in rows if r.due_at <= now and r.status in ("scheduled", "claimed")
    ]
    assert unsent == [], f"{key}: due and never sent"
    assert {r.dedupe_key for r in rows if r.status == "sent"} == set(announced)
    assert any(r.kind == "deadline" for r in rows if r.status == "sent"), "a clock reminded"


async def test_sigkill_at_random_points_loses_and_repeats_nothing(
    runbook: Runbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(SEED)
    trials = Trials(tmp_path)
    try:
        await trials.server.ready()
        keys = [await run_trial(trials, runbook, n, rng) for n in range(TRIALS)]
        # A claim held by a killed server is taken again after its lease: one last start
        # with the clock past the lease (as test_restart moves time) lets those go out.
        await trials.restart(ahead_s=LEASE.total_seconds() + 60)
        await until(lambda: swept(trials.server, 3), "three sweeps past the leases")
    finally:
        trials.server.kill()
    assert trials.starts == TRIALS + 2
    for key in keys:
        await check(trials, runbook, key)
    monkeypatch.setenv("DATABASE_URL", trials.url)
    monkeypatch.setenv("RUNBOOK_PATH", str(Path(__file__).parents[2] / "runbook.yaml"))
    for key in keys:
        verified = await asyncio.to_thread(cli, ["verify", key])
        assert verified == 0, f"{key}: the timeline's hash chain is broken"
    trials.engine.dispose()
