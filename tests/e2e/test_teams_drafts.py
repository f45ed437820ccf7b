""" "Draft the notice" over Teams: the draft is a reply addressed to the presser in the thread,
and the timeline stays as it was."""

from __future__ import annotations

from datetime import timedelta

from bot.drafts import ART33_3
from bot.tick import tick
from tests.e2e.teams_driver import text_of
from tests.e2e.teams_rig import (
    ALEX,
    KEY,
    TeamsRig,
    acknowledged,
    classified,
    connector,
    contained,
    declared,
    teams_rig,
)
from tests.fakes.clock import FakeClock

__all__ = ["connector", "teams_rig"]  # fixtures


async def test_the_draft_is_a_reply_to_the_presser_and_records_nothing(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    assert isinstance(rig.deps.clock, FakeClock)
    rig.deps.clock.advance(timedelta(hours=24))
    await tick(rig.deps)
    reminder = rig.tenant.with_action(rig.room, "draft:ico_art33")  # the newest: the reminder
    assert "Reminder: Report the breach to the ICO" in text_of(reminder)
    before, shown = await rig.deps.store.load(KEY), len(rig.tenant.messages(rig.room))
    assert await rig.tenant.click(ALEX, reminder, "draft:ico_art33") == 202
    said = "\n".join(text_of(m) for m in rig.tenant.messages(rig.room)[shown:])
    assert said.startswith("For Alex Morgan: DRAFT — Personal data breach report to the ICO")
    assert all(f"**{heading}**" in said for heading in ART33_3)
    after = await rig.deps.store.load(KEY)
    assert before is not None and after is not None and len(after.events) == len(before.events)
