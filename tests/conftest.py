from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from storage.memory import MemoryStore

from bot.runbook import Runbook, load_runbook
from bot.service import Deps
from bot.timeline import Actor
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


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def deps(runbook: Runbook, store: MemoryStore, chat: FakeChat, clock: FakeClock) -> Deps:
    return Deps(runbook, store, chat, clock)


def person(runbook: Runbook, person_id: str) -> Actor:
    p = runbook.person(person_id)
    return Actor(id=f"test:{p.id}", name=p.name, person_id=p.id)
