"""Process-level: reminders survive a SIGKILL and go out once, late, after the restart.

The server runs as a real process over a real SQLite file. Time moves by restarting the
local web chat with its clock set forward (CLOCK_OFFSET_SECONDS), never by sleeping.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot import service
from bot.decisions import DeclareForm
from bot.runbook import Runbook
from bot.service import Deps
from handlers.web.chat import WebChat
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import ROOT, person
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import ANSWERS

START = "import sys; from ai_incident.cli import main; sys.exit(main())"
SERVER = [
    sys.executable,
    "-c",
    START,
    "serve",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(predicate, what: str, limit_s: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    """Wait for another process to reach a state; the test itself never sleeps for time."""
    end = time.monotonic() + limit_s
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def healthy(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as r:
            return bool(r.status == 200)
    except OSError:
        return False


def sweeps(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1) as r:
        lines = r.read().decode().splitlines()
    return int(next(x for x in lines if x.startswith("ai_incident_reminder_sweeps")).split()[1])


class Server:
    def __init__(self, url: str, offset_s: float) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "PORT": str(self.port),
            "TICK_SECONDS": "0.2",
            "RUNBOOK_PATH": str(ROOT / "runbook.yaml"),
            "CLOCK_OFFSET_SECONDS": str(offset_s),
        }
        for name in ("SLACK_BOT_TOKEN", "TEAMS_APP_ID"):
            env.pop(name, None)
        self.process = subprocess.Popen(
            SERVER, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_for(lambda: healthy(self.port) or self.process.poll() is not None, "the server")
        assert self.process.poll() is None, "the server exited at start"

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture
def db(tmp_path: Path) -> Iterator[tuple[str, SqlStore]]:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    engine = make_engine(url)
    yield url, SqlStore(engine)
    engine.dispose()


async def seed(store: SqlStore, runbook: Runbook, aware_at: datetime) -> str:
    deps = Deps(runbook, store, WebChat(runbook), FakeClock(datetime.now(UTC)))
    form = DeclareForm("Report leak", "drafting-assistant", "context_leakage", "", aware_at)
    incident = await service.declare(deps, person(runbook, "sam"), form)
    await service.acknowledge(deps, incident.key, person(runbook, "sam"))
    system = runbook.system("drafting-assistant")
    assert system is not None
    for step in range(len(system.containment)):
        await service.contain(deps, incident.key, person(runbook, "sam"), step, "done")
    for question, value in ANSWERS:
        await service.answer(deps, incident.key, person(runbook, "alex"), question, value)
    return incident.key


def sent_by(store: SqlStore, key: str, until: datetime) -> tuple[list[str], list[str]]:
    """(keys of rows due by `until` not yet sent, keys of every reminder announced twice)."""
    incident = asyncio.run(store.load(key))
    rows = asyncio.run(store.reminders(key))
    assert incident is not None
    announced = [str(e.data["key"]) for e in incident.events if e.type == "reminded"]
    unsent = [
        r.dedupe_key for r in rows if r.due_at <= until and r.status in ("scheduled", "claimed")
    ]
    return unsent, sorted({k for k in announced if announced.count(k) > 1})


def test_reminders_due_while_the_server_was_down_go_out_once_and_late(
    db: tuple[str, SqlStore], runbook: Runbook
) -> None:
    url, store = db
    # The ICO +24h reminder falls due 60 s from now; the process is killed before that.
    key = asyncio.run(seed(store, runbook, datetime.now(UTC) - timedelta(hours=24, seconds=-60)))
    first = Server(url, offset_s=0)
    wait_for(lambda: sent_by(store, key, datetime.now(UTC))[0] == [], "the first sweep")
    first.kill()
    ico = f"{key}:deadline:ico_art33:86400"
    assert {r.dedupe_key: r.status for r in asyncio.run(store.reminders(key))}[ico] == "scheduled"

    second = Server(url, offset_s=120)  # restarted two minutes later, as far as it knows
    later = datetime.now(UTC) + timedelta(seconds=120)
    wait_for(lambda: sent_by(store, key, later)[0] == [], "the reminders after the restart")
    second.kill()
    third = Server(url, offset_s=120)  # and once more: nothing goes out a second time
    wait_for(lambda: sweeps(third.port) >= 3, "three sweeps of the third server")
    third.kill()

    unsent, twice = sent_by(store, key, later)
    assert unsent == [] and twice == []
    row = next(r for r in asyncio.run(store.reminders(key)) if r.dedupe_key == ico)
    assert row.status == "sent" and row.late_by_s >= 55
