"""Work for one incident runs one at a time, across processes sharing the database, and
named message slots are claimed before they are posted: over memory, SQLite and PostgreSQL
alike. (Two stores over one database stand for two replicas.)"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot import service
from bot.decisions import DeclareForm
from bot.runbook import Runbook
from bot.service import Deps
from tests.conftest import person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock

from .conftest import Backend

NOW = datetime(2026, 3, 26, 10, 0, tzinfo=UTC)
LEASE = timedelta(minutes=2)


async def test_eighty_notes_at_once_through_two_replicas_are_all_recorded(
    backend: Backend, runbook: Runbook
) -> None:
    clock = FakeClock(NOW)
    replicas = [Deps(runbook, backend.open(), FakeChat(runbook), clock) for _ in range(2)]
    sam = person(runbook, "sam")
    form = DeclareForm(
        "Report shows another client's data", "drafting-assistant", "context_leakage"
    )
    key = (await service.declare(replicas[0], sam, form)).key
    await asyncio.gather(*(service.note(replicas[n % 2], key, sam, f"note {n}") for n in range(80)))
    incident = await replicas[1].store.load(key)
    assert incident is not None
    written = sorted(
        int(str(e.data["text"]).split()[1]) for e in incident.events if e.type == "note"
    )
    assert written == list(range(80))


async def test_a_slot_is_claimed_once_and_taken_again_only_after_its_poster_is_gone(
    backend: Backend,
) -> None:
    one, other = backend.open(), backend.open()
    assert await one.claim_message("AI-2026-0001", "card", NOW, LEASE)
    assert not await other.claim_message("AI-2026-0001", "card", NOW, LEASE)
    assert await other.message_id("AI-2026-0001", "card") is None  # claimed, not posted
    assert not await other.claim_message("AI-2026-0001", "card", NOW + LEASE, LEASE)
    assert await other.claim_message("AI-2026-0001", "card", NOW + LEASE * 2, LEASE)
    await other.remember_message("AI-2026-0001", "card", "1711467000.000100")
    assert not await one.claim_message("AI-2026-0001", "card", NOW + LEASE * 9, LEASE)
    assert await one.message_id("AI-2026-0001", "card") == "1711467000.000100"


async def test_a_released_claim_is_free_at_once(backend: Backend) -> None:
    store = backend.open()
    assert await store.claim_message("AI-2026-0001", "question:Q1", NOW, LEASE)
    await store.release_message("AI-2026-0001", "question:Q1")
    assert await backend.open().claim_message("AI-2026-0001", "question:Q1", NOW, LEASE)


async def test_a_slot_keeps_the_newest_version_it_showed(backend: Backend) -> None:
    store = backend.open()
    assert await store.message_slot("AI-2026-0001", "card") is None
    assert await store.claim_message("AI-2026-0001", "card", NOW, LEASE)
    await store.remember_message("AI-2026-0001", "card", "1711467000.000100")
    await store.applied_message("AI-2026-0001", "card", 7)
    await store.applied_message("AI-2026-0001", "card", 5)
    slot = await backend.open().message_slot("AI-2026-0001", "card")
    assert slot is not None and (slot.message_id, slot.version) == ("1711467000.000100", 7)
