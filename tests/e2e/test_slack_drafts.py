""" "Draft the notice" over Slack: the draft goes to the clicker alone, within Slack's limits,
and the channel and the timeline stay as they were."""

from __future__ import annotations

from datetime import timedelta

from bot.papers.drafts import ART33_3
from bot.tick import tick
from tests.e2e.slack_driver import text_of
from tests.e2e.slack_rig import (
    ALEX,
    KEY,
    LEE,
    SAM,
    T0,
    TITLE,
    Rig,
    acknowledged,
    classified,
    contained,
    declared,
    rig,
    slack,
)
from tests.fakes.clock import FakeClock
from tests.fakes.slack_state import Message

__all__ = ["rig", "slack"]  # fixtures
MAX_SECTION = 3000


async def _ico_reminder(rig: Rig) -> Message:
    """The seed case classified, then the clock run to the ICO's 24-hour reminder."""
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    assert isinstance(rig.deps.clock, FakeClock)
    rig.deps.clock.advance(timedelta(hours=24))
    await tick(rig.deps)
    reminder = rig.ws.message_with(rig.room, "draft:ico_art33")  # the newest: the reminder
    assert "Reminder: Report the breach to the ICO" in text_of(reminder)
    return reminder


def _sections(messages: list[Message]) -> list[str]:
    return [b["text"]["text"] for m in messages for b in m.blocks or [] if b["type"] == "section"]


async def test_the_draft_goes_to_the_clicker_alone_and_changes_nothing(rig: Rig) -> None:
    await declared(rig)
    reminder = await _ico_reminder(rig)
    before = await rig.deps.store.load(KEY)
    in_room, shown = len(rig.ws.messages(rig.room)), len(rig.slack.ephemerals)
    await rig.ws.click(SAM, reminder, "draft:ico_art33")
    drafts = rig.slack.ephemerals[shown:]
    assert drafts and {(m.channel, m.user) for m in drafts} == {(rig.room, SAM)}
    said = "\n".join(_sections(drafts))
    assert said.startswith("*DRAFT — Personal data breach report to the ICO")
    assert all(f"*{heading}*" in said for heading in ART33_3)
    assert len(rig.ws.messages(rig.room)) == in_room
    assert "DRAFT" not in rig.ws.told(LEE) + rig.ws.told(ALEX)
    after = await rig.deps.store.load(KEY)
    assert before is not None and after is not None and len(after.events) == len(before.events)


async def test_a_long_draft_is_split_into_sections_slack_accepts(rig: Rig) -> None:
    assert (await rig.ws.command(LEE, rig.general, f"declare {TITLE}")).status == 200
    noticed = " ".join(["Acme&Brightside"] * 187)  # ~3,000 typed; escaping makes it longer
    answers = {"system": "drafting-assistant", "failure_type": "context_leakage"}
    await rig.ws.submit(LEE, rig.ws.opened(LEE), answers | {"noticed": noticed, "aware_at": T0})
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    rig.room = incident.room.id
    reminder = await _ico_reminder(rig)
    shown = len(rig.slack.ephemerals)
    await rig.ws.click(SAM, reminder, "draft:ico_art33")
    sections = _sections(rig.slack.ephemerals[shown:])
    assert len(sections) > 1 and all(len(s) <= MAX_SECTION for s in sections)
    assert "\n".join(sections).count("Acme&amp;Brightside") == 187  # nothing cut


async def test_a_stranger_pressing_draft_sees_no_draft_and_nothing_of_the_incident(
    rig: Rig,
) -> None:
    stranger = "U0STRANGER"  # in the room (a guest, say), not in the runbook
    rig.slack.add_user(stranger, "jo@elsewhere.example", "Jo Bloggs")
    await declared(rig)
    reminder = await _ico_reminder(rig)
    before = await rig.deps.store.load(KEY)
    await rig.ws.click(stranger, reminder, "draft:ico_art33")
    told = rig.ws.told(stranger)
    assert "Only people named in the runbook" in told
    assert "DRAFT" not in told and TITLE not in told and "72" not in told
    after = await rig.deps.store.load(KEY)
    assert before is not None and after is not None and after.events == before.events
