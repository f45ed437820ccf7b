"""Handing the incident lead on: the lead going off shift hands over, or another who may
acknowledge takes over; the card, the nudges and the record follow the new lead."""

from __future__ import annotations

import re

import pytest

from bot import service
from bot.actions import typed
from bot.decisions import Refused
from bot.service import Deps
from bot.tokens import mention
from tests.conftest import person
from tests.fakes.chat import FakeChat
from tests.service.test_seed_case import declare_seed


async def test_the_lead_hands_over_and_the_room_and_record_follow(
    deps: Deps, chat: FakeChat
) -> None:
    incident = await declare_seed(deps)
    await service.acknowledge(deps, incident.key, person(deps.runbook, "sam"))

    said = await typed(
        deps, "handover", incident.key, person(deps.runbook, "sam"), "priya off shift", "test"
    )

    assert said == f"Priya Shah now leads {incident.key}."
    incident = await service.load(deps, incident.key, whole=True)
    assert incident.owner == "priya"
    (event,) = [e for e in incident.events if e.type == "handed_over"]
    assert event.data == {
        "role": "incident_lead",
        "from": "sam",
        "to": "priya",
        "reason": "off shift",
    }
    assert any(
        t == f"@Priya Shah now leads {incident.key}, taking over from @Sam Okafor (off shift)."
        for t in chat.texts()
    )
    (card,) = chat.of_kind("card")
    assert ("Lead", mention("priya")) in card.view.fields


async def test_another_in_the_lead_chain_may_take_over(deps: Deps) -> None:
    incident = await declare_seed(deps)
    await service.acknowledge(deps, incident.key, person(deps.runbook, "sam"))
    await typed(deps, "handover", incident.key, person(deps.runbook, "priya"), "me", "test")
    assert (await service.load(deps, incident.key)).owner == "priya"


@pytest.mark.parametrize(
    ("by", "to", "refusal"),
    [
        ("alex", "priya", "Only the lead or Sam Okafor (Operations Director) or Priya Shah"),
        ("sam", "alex", "The lead goes to Sam Okafor (Operations Director) or Priya Shah"),
        ("sam", "sam", "Sam Okafor already leads this incident."),
    ],
    ids=["not the lead nor in the chain", "to someone outside it", "to the lead"],
)
async def test_a_handover_the_runbook_does_not_allow_changes_nothing(
    deps: Deps, by: str, to: str, refusal: str
) -> None:
    incident = await declare_seed(deps)
    await service.acknowledge(deps, incident.key, person(deps.runbook, "sam"))
    before = len((await service.load(deps, incident.key)).events)
    with pytest.raises(Refused, match=re.escape(refusal)):
        await service.handover(deps, incident.key, person(deps.runbook, by), to)
    after = await service.load(deps, incident.key)
    # A handover by someone without the say is kept on the record as a refused attempt.
    assert [e.type for e in after.events[before:]] in ([], ["refused"])
    assert after.owner == "sam"


async def test_nobody_can_hand_over_before_anyone_leads(deps: Deps) -> None:
    incident = await declare_seed(deps)
    with pytest.raises(Refused, match="Nobody leads this incident yet"):
        await service.handover(deps, incident.key, person(deps.runbook, "sam"), "priya")
