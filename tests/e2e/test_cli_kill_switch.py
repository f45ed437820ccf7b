"""`ai-incident kill-switch KEY STEP` from a terminal: the same single, signed send as the
room's Run button, against a real receiver on 127.0.0.1, with the result on the record."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from ai_incident.cli import main
from ai_incident.database import open_store
from bot import kill_switch
from bot.settings import load_settings
from tests.e2e.test_cli import declared_incident
from tests.fakes.clock import FakeClock
from tests.fakes.kill_switch_receiver import (
    SECRET,
    Receiver,
    environment,
    runbook_text_with_action,
    runbook_with_action,
)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """The receiver on a loop of its own thread, as the command runs its own loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    found = Receiver()
    asyncio.run_coroutine_threadsafe(found.start(), loop).result(timeout=10)
    yield found
    asyncio.run_coroutine_threadsafe(found.stop(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    loop.close()


@pytest.fixture
def env(tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "incidents.db"
    path = tmp_path / "runbook.yaml"
    path.write_text(runbook_text_with_action(receiver.url), encoding="utf-8")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("RUNBOOK_PATH", str(path))
    for name, value in environment().items():
        monkeypatch.setenv(name, value)
    return db


def test_the_command_shows_the_request_sends_it_once_and_records_the_result(
    env: Path, receiver: Receiver, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook_with_action(receiver.url), clock)
    assert main(["kill-switch", key, "1", "--as", "lee", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"POST {receiver.url}" in out and "Kill switch for step 1 ran: HTTP 200" in out
    assert len(receiver.seen) == 1 and receiver.seen[0].signed
    assert main(["kill-switch", key, "1", "--as", "lee", "--yes"]) == 1
    assert "already recorded as done" in capsys.readouterr().err
    assert len(receiver.seen) == 1
    incident = asyncio.run(
        open_store(load_settings({"DATABASE_URL": f"sqlite:///{env}"})).load(key)
    )
    assert incident is not None and incident.steps[0].status == "done"
    assert [e.type for e in incident.events].count(kill_switch.RESULT) == 1


def test_someone_outside_the_chain_is_refused_and_nothing_is_sent(
    env: Path, receiver: Receiver, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook_with_action(receiver.url), clock)
    assert main(["kill-switch", key, "1", "--as", "alex", "--yes"]) == 1
    assert "Only the kill-switch chain" in capsys.readouterr().err
    assert receiver.seen == [] and SECRET
