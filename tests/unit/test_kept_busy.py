"""A kept request whose incident stays busy is never answered "busy" after its ack: it
stays pending, and the sweep works it again once the lease has passed."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.decisions import Busy
from bot.requests import Request
from handlers.kept import LEASE, Kept
from handlers.work import Work
from storage.inbox import MemoryInbox
from tests.fakes.clock import FakeClock


async def test_a_busy_request_stays_pending_and_is_worked_again_by_the_sweep() -> None:
    clock = FakeClock(datetime(2026, 3, 26, 15, 30, tzinfo=UTC))
    kept, worked = Kept(MemoryInbox(), Work(), clock), []

    async def note(request: Request | None, payload: dict[str, str]) -> None:
        if not worked:
            worked.append("busy")
            raise Busy("The incident is busy; please try again.")
        worked.append(payload["text"])

    kept.on("command", note)  # type: ignore[arg-type]
    row = await kept.keep("command", "slack:command:1", {"text": "Vendor called"})
    assert row is not None
    kept.start(row, lambda request: note(request, {"text": "Vendor called"}))
    await kept.work.idle()
    assert kept.work.failures == [] and worked == ["busy"]
    assert await kept.sweep() == 0  # not before its lease
    clock.advance(LEASE)
    assert await kept.sweep() == 1
    await kept.work.idle()
    assert worked == ["busy", "Vendor called"]
    clock.advance(LEASE)
    assert await kept.sweep() == 0  # done now
