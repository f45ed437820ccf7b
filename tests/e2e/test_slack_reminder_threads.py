"""A clock's reminders go in a thread under its obligation's message; once the clock is due
or overdue they are shown in the channel too, where the owner sees the mention."""

from __future__ import annotations

from datetime import timedelta

from bot.tick import tick
from tests.conftest import SEED_T0
from tests.e2e.slack_rig import KEY, Rig, acknowledged, classified, contained, declared, rig, slack
from tests.fakes.clock import FakeClock

__all__ = ["rig", "slack"]  # fixtures


async def test_reminders_thread_under_their_obligation_and_reach_the_room_when_overdue(
    rig: Rig,
) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    ico = await rig.deps.store.message_id(KEY, "obligation:ico_art33")
    assert ico is not None and isinstance(rig.deps.clock, FakeClock)
    rig.deps.clock.set(SEED_T0 + timedelta(hours=24))
    await tick(rig.deps)
    (early,) = [m for m in rig.ws.messages(rig.room) if m.text.startswith("Reminder: Report")]
    assert early.thread_ts == ico and not early.broadcast
    rig.deps.clock.set(SEED_T0 + timedelta(hours=73))
    await tick(rig.deps)
    (late,) = [m for m in rig.ws.messages(rig.room) if m.text.startswith("OVERDUE: Report")]
    assert late.thread_ts == ico and late.broadcast
