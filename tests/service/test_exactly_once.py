"""A kept request's first change to an incident marks it done in the same transaction: a
process that dies after that change leaves nothing to do again, one that dies before it
leaves the request to be worked whole, and a second working of a done request changes
nothing; and only the work a request is handed to answers it, whatever else runs beside it.
(SQLite file: the store and the inbox share it, as in production.)"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from bot import service
from bot.ports import AlreadyDone
from bot.requests import Request
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

    async def note(self, request: Request | None, payload: Mapping[str, Any]) -> None:
        """A note by Sam, by work that answers `request` (None: answers none)."""
        sam = person(self.deps.runbook, "sam")
        await service.note(self.deps.answering(request), self.key, sam, str(payload["text"]))

    async def worked_until(self, row: int, dies_before_the_change: bool) -> None:
        """Work the request as Kept does, then die (no settling)."""
        if not dies_before_the_change:
            await self.note(Request(row), {"text": TEXT})

    async def notes(self) -> list[str]:
        incident = await service.load(self.deps, self.key, whole=True)
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

    with pytest.raises(AlreadyDone):
        await rig.note(Request(row), {"text": TEXT})
    assert await rig.notes() == [TEXT]


async def test_two_requests_worked_at_once_each_answer_only_their_own(rig: Rig) -> None:
    """The second request's change goes on the record while the first's work is under way:
    it marks the second done, not the first, and the first's change then marks the first."""
    kept = rig.kept()
    first = await kept.keep("note", "test:note:1", {"text": "first"})
    second = await kept.keep("note", "test:note:2", {"text": "second"})
    assert first is not None and second is not None
    second_noted = asyncio.Event()

    async def first_work(request: Request | None) -> None:
        await second_noted.wait()
        await rig.note(request, {"text": "first"})

    async def second_work(request: Request | None) -> None:
        await rig.note(request, {"text": "second"})
        second_noted.set()

    kept.start(first, first_work)
    kept.start(second, second_work)
    await kept.work.idle()

    assert kept.work.failures == []
    assert await rig.notes() == ["second", "first"]
    rig.clock.advance(LEASE)
    assert await rig.kept().sweep() == 0  # both done, each once


class Outage(Exception):
    pass


async def test_work_started_beside_a_request_does_not_answer_it(rig: Rig) -> None:
    """A request's work starts other work that answers no request (as an edge starts work
    after an ack), which changes the incident; then the request's work fails before its own
    change. The other change did not mark the request done: the sweep works it again."""
    kept = rig.kept()
    row = await kept.keep("note", "test:note:1", {"text": TEXT})
    assert row is not None

    async def failing(request: Request | None) -> None:
        await kept.work.start(rig.note(None, {"text": "Vendor called"}))
        raise Outage("Slack is down")

    kept.start(row, failing)
    await kept.work.idle()
    rig.clock.advance(LEASE)
    assert await kept.sweep() == 1
    await kept.work.idle()

    assert await rig.notes() == ["Vendor called", TEXT]
