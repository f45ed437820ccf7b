"""Teams activities kept before their answer: the same activity sent again changes nothing
twice, a double-clicked declare form makes one incident, and a process that dies between
the answer and the work loses nothing (the inbox sweep does it, once)."""

from __future__ import annotations

import asyncio
import copy

from handlers.kept import LEASE, Kept
from tests.e2e.teams_rig import (
    DECLARED,
    KEY,
    LEE,
    POST,
    SAM,
    TITLE,
    TeamsRig,
    acknowledged,
    connector,
    declared,
    teams_rig,
)
from tests.fakes.dying import DiesAfterTheAck

__all__ = ["connector", "teams_rig"]  # fixtures


async def notes(rig: TeamsRig) -> list[str]:
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    return [str(e.data["text"]) for e in incident.events if e.type == "note"]


async def test_an_activity_sent_again_changes_nothing_twice(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    room = await declared(rig)
    await rig.tenant.say(SAM, room, "note Vendor called back")
    replies = len(rig.tenant.messages(room))

    assert await rig.tenant.send(copy.deepcopy(rig.tenant.activities[-1])) == 202

    assert await notes(rig) == ["Vendor called back"]
    assert len(rig.tenant.messages(room)) == replies  # and no second answer


async def test_a_double_clicked_declare_form_makes_one_incident(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await rig.tenant.say(LEE, POST, f"declare {TITLE}")
    form = rig.tenant.last(POST)
    inputs = {"title": TITLE, **DECLARED}
    first = rig.tenant.fill(LEE, form, inputs)
    second = rig.tenant.fill(LEE, form, inputs)  # a new activity id: a second click

    assert await asyncio.gather(first, second) == [200, 200]

    assert [i.key for i in await rig.deps.store.list_incidents()] == [KEY]
    assert len(rig.connector.threads) == 1


async def test_a_refused_declare_form_may_be_sent_again_corrected(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await rig.tenant.say(LEE, POST, "declare")
    form = rig.tenant.last(POST)
    await rig.tenant.fill(LEE, form, DECLARED | {"title": ""})
    assert await rig.deps.store.load(KEY) is None

    await rig.tenant.fill(LEE, form, DECLARED | {"title": TITLE})

    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.title == TITLE


async def test_work_cut_off_after_the_answer_is_done_by_the_sweep_once(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    room = await declared(rig)
    await acknowledged(rig)
    alive = rig.kept.work
    rig.kept.work = DiesAfterTheAck()
    assert await rig.tenant.say(SAM, room, "note Logs exported") == 202
    assert await notes(rig) == []  # answered, then the process died

    rig.deps.clock.advance(LEASE)  # type: ignore[attr-defined]
    after = Kept(rig.kept.inbox, alive, rig.deps.clock)  # the next process, same database
    after.replays = rig.kept.replays
    assert await after.sweep() == 1
    await alive.idle()
    assert await after.sweep() == 0

    assert await notes(rig) == ["Logs exported"]
    assert "Note added to the timeline of AI-2026-0001." in rig.tenant.said(room)
