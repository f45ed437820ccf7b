"""A click's confirmation is the message clicked, updated in place; news that belongs to
one message (whom an answer brings in, a reason for a delay, evidence kept in the evidence
phase) is a reply in its thread, so the room's top level holds what the room must read."""

from __future__ import annotations

from bot import service
from tests.conftest import person
from tests.e2e.slack_driver import text_of
from tests.e2e.slack_rig import (
    ALEX,
    KEY,
    Rig,
    acknowledged,
    classified,
    contained,
    declared,
    rig,
    slack,
)
from tests.fakes.slack_state import Message

__all__ = ["rig", "slack"]  # fixtures


def top_level(rig: Rig) -> list[Message]:
    return [m for m in rig.ws.messages(rig.room) if m.thread_ts in (None, m.ts)]


def replies_to(rig: Rig, parent: Message) -> list[str]:
    return [m.text for m in rig.ws.messages(rig.room) if m.thread_ts == parent.ts != m.ts]


async def test_whom_an_answer_brings_in_is_a_reply_under_the_questions(rig: Rig) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    questions = rig.ws.message_with(rig.room, "classify:Q1:yes")
    await rig.ws.click(ALEX, questions, "classify:Q1:yes")
    assert any("Bring in: Data protection lead" in t for t in replies_to(rig, questions))
    assert not [m for m in top_level(rig) if "Bring in" in m.text]
    assert "Q1. Does it involve" in text_of(questions) and questions.updated >= 1


async def test_a_reason_for_delay_is_a_reply_under_its_obligation(rig: Rig) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    sam = person(rig.deps.runbook, "sam")
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.obligations
    clock = next(iter(incident.obligations))
    before = len(top_level(rig))

    await service.explain_delay(rig.deps, KEY, sam, clock, "Waiting on the vendor's logs")

    (obligation,) = [m for m in top_level(rig) if f"obligation:{clock}:" in str(m.blocks)]
    (said,) = replies_to(rig, obligation)
    assert said.startswith("Reason for delay on ") and clock not in said  # its title, no id
    assert said.endswith(": Waiting on the vendor's logs")
    assert len(top_level(rig)) == before
