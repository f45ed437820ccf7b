""" "Draft the notice" over Teams: the draft goes to the presser alone, in their 1:1 chat
with the bot (in the thread, addressed to them, where Teams will not open one), and the
timeline stays as it was."""

from __future__ import annotations

from datetime import timedelta

from bot.papers.drafts import ART33_3
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


async def pressed_draft(rig: TeamsRig) -> tuple[int, int]:
    """Run the seed case to the first ICO reminder and press its Draft button as Alex; how
    many messages the thread and events the record had just before the press."""
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    assert isinstance(rig.deps.clock, FakeClock)
    rig.deps.clock.advance(timedelta(hours=24))
    await tick(rig.deps)
    reminder = rig.tenant.with_action(rig.room, "draft:ico_art33")  # the newest: the reminder
    assert "Reminder: Report the breach to the ICO" in text_of(reminder)
    shown, events = len(rig.tenant.messages(rig.room)), await recorded(rig)
    assert await rig.tenant.click(ALEX, reminder, "draft:ico_art33") == 200
    return shown, events


async def recorded(rig: TeamsRig) -> int:
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    return len(incident.events)


async def test_the_draft_goes_to_the_presser_alone_and_records_nothing(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    shown, events = await pressed_draft(rig)

    (chat,) = rig.connector.chats
    assert chat["members"] == [{"id": ALEX.id}] and chat["isGroup"] is False
    assert chat["channelData"] == {"tenant": {"id": "tenant-hv"}}
    said = rig.tenant.said(f"a:1{ALEX.id}")
    assert said.startswith("For Alex Morgan: DRAFT — Personal data breach report to the ICO")
    assert all(f"**{heading}**" in said for heading in ART33_3)
    in_thread = "\n".join(text_of(m) for m in rig.tenant.messages(rig.room)[shown:])
    assert in_thread == "Sent to Alex Morgan in a personal chat with the bot."  # not the draft
    assert await recorded(rig) == events


async def test_where_teams_opens_no_chat_the_draft_is_addressed_in_the_thread(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    rig.connector.personal.discard(ALEX.id)  # the app is not in Alex's personal scope
    shown, events = await pressed_draft(rig)

    said = "\n".join(text_of(m) for m in rig.tenant.messages(rig.room)[shown:])
    assert said.startswith("For Alex Morgan: DRAFT — Personal data breach report to the ICO")
    assert rig.tenant.messages(f"a:1{ALEX.id}") == []
    assert await recorded(rig) == events
