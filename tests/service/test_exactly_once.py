"""A kept request's first change to an incident marks it done in the same transaction: a
process that dies after that change leaves nothing to do again, one that dies before it
leaves the request to be worked whole, and a second working of a done request changes
nothing. (SQLite file: the store and the inbox share it, as in production.)"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from bot import requests, service
from bot.ports import AlreadyDone
from bot.runbook import Runbook
from bot.service import Deps
from handlers.kept import LEASE, Kept
from handlers.work import Work
from storage.engine import make_engine
from storage.inbox import SqlInbox
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import declare_seed

TEXT = "Logs exported to the evidence share"


class Rig:
    def __init__(self, runbook: Runbook, clock: FakeClock, db: Path) -> None:
        url = f"sqlite:///{db}"
        upgrade(url)
        self.engine = make_engine(url)
        self.clock = clock
        self.deps = Deps(runbook, SqlStore(self.engine), FakeChat(runbook), clock)
        self.key = ""

    def kept(self) -> Kept:
        """A process's inbox over the shared file, able to work a kept note again."""
        kept = Kept(SqlInbox(self.engine), Work(), self.clock)
        kept.on("note", self.note)
        return kept

    async def note(self, payload: Mapping[str, Any]) -> None:
        sam = person(self.deps.runbook, "sam")
        await service.note(self.deps, self.key, sam, str(payload["text"]))

    async def worked_until(self, row: int, dies_before_the_change: bool) -> None:
        """Work the request in a task of its own, as Kept does, then die (no settling)."""

        async def dying() -> None:
            requests.answering(row)
            if not dies_before_the_change:
                await self.note({"text": TEXT})

        await asyncio.create_task(dying())

    async def notes(self) -> list[str]:
        incident = await service.load(self.deps, self.key)
        return [str(e.data["text"]) for e in incident.events if e.type == "note"]


@pytest.fixture
async def rig(runbook: Runbook, clock: FakeClock, tmp_path: Path) -> Rig:
    made = Rig(runbook, clock, tmp_path / "incidents.db")
    made.key = (await declare_seed(made.deps)).key
    return made


@pytest.mark.parametrize("dies_before_the_change", [False, True], ids=["after", "before"])
async def test_a_process_that_dies_mid_request_leaves_it_done_once(
    rig: Rig, dies_before_the_change: bool
) -> None:
    row = await rig.kept().keep("note", "test:note:1", {"text": TEXT})
    assert row is not None
    await rig.worked_until(row, dies_before_the_change)

    rig.clock.advance(LEASE)
    after = rig.kept()  # the next process, the same file
    swept = await after.sweep()
    await after.work.idle()

    assert swept == (1 if dies_before_the_change else 0)
    assert await rig.notes() == [TEXT]
    assert after.work.failures == []


async def test_a_second_working_of_a_done_request_changes_nothing(rig: Rig) -> None:
    row = await rig.kept().keep("note", "test:note:1", {"text": TEXT})
    assert row is not None
    await rig.worked_until(row, dies_before_the_change=False)

    async def again() -> None:
        requests.answering(row)
        await rig.note({"text": TEXT})

    with pytest.raises(AlreadyDone):
        await asyncio.create_task(again())
    assert await rig.notes() == [TEXT]
