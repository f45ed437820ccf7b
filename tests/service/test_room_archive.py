"""A closed incident's room is archived after the runbook's archive_after, by the ticker,
once; a runbook that says `archive_after: ~` keeps rooms open."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from bot.service import Deps
from bot.tick import tick
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.unit.closed_seed import closed_seed

MONTH = timedelta(days=30)  # runbook.yaml: archive_after: 30d


async def test_the_room_is_archived_once_the_runbooks_delay_after_close(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await closed_seed(deps, clock)
    assert incident.room is not None and incident.closed_at is not None
    clock.set(incident.closed_at + MONTH - timedelta(seconds=1))
    await tick(deps)
    assert chat.archived == []
    clock.set(incident.closed_at + MONTH)
    await tick(deps)
    await tick(deps)
    assert chat.archived == [incident.room.id]
    [archive] = [r for r in await deps.store.reminders(incident.key) if r.kind == "archive"]
    assert (archive.status, archive.due_at) == ("sent", incident.closed_at + MONTH)


async def test_closing_cancels_every_reminder_but_the_records_and_archive(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await closed_seed(deps, clock)
    scheduled = [r for r in await deps.store.reminders(incident.key) if r.status == "scheduled"]
    assert sorted(r.kind for r in scheduled) == ["archive", "records"]


async def test_an_archive_that_fails_is_tried_again_later(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await closed_seed(deps, clock)
    assert incident.room is not None and incident.closed_at is not None
    clock.set(incident.closed_at + MONTH)
    chat.fail_next = 1
    await tick(deps)
    assert chat.archived == []
    clock.advance(timedelta(minutes=1))
    await tick(deps)
    assert chat.archived == [incident.room.id]


async def test_rooms_are_never_archived_when_the_runbook_says_so(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    rooms = dataclasses.replace(deps.runbook.rooms, archive_after=None)
    deps = dataclasses.replace(deps, runbook=dataclasses.replace(deps.runbook, rooms=rooms))
    incident = await closed_seed(deps, clock)
    clock.advance(timedelta(days=3650))
    await tick(deps)
    assert chat.archived == []
    assert all(r.kind != "archive" for r in await deps.store.reminders(incident.key))
