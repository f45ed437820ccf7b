from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.runbook_parse import load_runbook
from bot.service import Deps
from bot.timeline import Actor
from storage.engine import make_engine
from storage.memory import MemoryStore
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock

ROOT = Path(__file__).resolve().parents[1]
# The seed case: a Thursday afternoon, three days before the clocks go forward.
SEED_T0 = datetime(2026, 3, 26, 15, 30, tzinfo=UTC)


@pytest.fixture(scope="session")
def runbook() -> Runbook:
    return load_runbook(ROOT / "runbook.yaml")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(SEED_T0 + timedelta(minutes=10))


@pytest.fixture
def chat(runbook: Runbook) -> FakeChat:
    return FakeChat(runbook)


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> IncidentStore:
    """Service tests run over the in-memory store and a real SQLite file alike."""
    if request.param == "memory":
        return MemoryStore()
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    return SqlStore(make_engine(url))


@pytest.fixture
def deps(runbook: Runbook, store: IncidentStore, chat: FakeChat, clock: FakeClock) -> Deps:
    return Deps(runbook, store, chat, clock)


def person(runbook: Runbook, person_id: str) -> Actor:
    p = runbook.person(person_id)
    return Actor(id=f"test:{p.id}", name=p.name, person_id=p.id)
