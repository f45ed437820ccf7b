"""Who may do what: each privileged action, tried through Slack by someone the example
runbook does not permit (a colleague in another role, and a Slack user it does not name at
all), is refused with a message saying who may, and nothing is recorded but the refused attempt.

The runbook grants: acknowledge → incident lead chain (Sam, Priya); mark notified and waive →
DPO or managing partner (Alex, Priya); override a gate → managing partner (Priya); close →
incident lead or managing partner (Sam, Priya); correct T0 → lead, DPO or partner.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from bot import service
from bot.decisions import Refused
from handlers.slack.chat import SlackChat
from tests.e2e.slack_driver import Answer, text_of
from tests.e2e.slack_rig import (
    ALEX,
    KEY,
    LEE,
    SAM,
    TITLE,
    Rig,
    acknowledged,
    classified,
    contained,
    declared,
)
from tests.hardening.records import event_count, refused_attempts_only, snapshot

STRANGER = "U0STRANGER"  # in the workspace, not in the runbook
Attempt = Callable[[Rig, str], Awaitable[str]]
Setup = Callable[[Rig], Awaitable[object]]


async def in_classification(rig: Rig) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)


async def form_refusal(answer: Answer) -> str:
    """The refusal Slack shows on the form's field (response_action "errors")."""
    assert answer.status == 200
    said = answer.json()
    assert said is not None and said["response_action"] == "errors", answer.body
    return " ".join(said["errors"].values())


async def acknowledge(rig: Rig, user: str) -> str:
    await rig.ws.click(
        user, rig.ws.message_with(rig.room, "ack:incident_lead"), "ack:incident_lead"
    )
    return rig.ws.told(user)


async def acknowledge_by_command(rig: Rig, user: str) -> str:
    await rig.ws.command(user, rig.room, f"ack {KEY}")
    return rig.ws.told(user)


async def obligation(rig: Rig, user: str, status: str, typed: str) -> str:
    action = f"obligation:ico_art33:{status}"
    await rig.ws.click(user, rig.ws.message_with(rig.room, action), action)
    return await form_refusal(await rig.ws.submit(user, rig.ws.opened(user), {"text": typed}))


async def mark_notified(rig: Rig, user: str) -> str:
    return await obligation(rig, user, "done", "ICO case 123")


async def waive(rig: Rig, user: str) -> str:
    return await obligation(rig, user, "waived", "Not likely to result in a risk")


async def close_form(rig: Rig, user: str, answers: dict[str, object]) -> str:
    await rig.ws.command(user, rig.room, "close")
    return await form_refusal(await rig.ws.submit(user, rig.ws.opened(user), answers))


async def close(rig: Rig, user: str) -> str:
    return await close_form(rig, user, {"root_cause": "Session cache shared between users"})


async def override_at_close(rig: Rig, user: str) -> str:
    """Close with obligations still open: an override of the close gate."""
    answers = {"root_cause": "Unknown yet", "override_reason": "The client insists"}
    return await close_form(rig, user, answers)


async def override_classification_gate(rig: Rig, user: str) -> str:
    """No Slack button overrides the classification gate: the service call, as the actor
    the Slack edge makes of this user."""
    chat = rig.deps.chat
    assert isinstance(chat, SlackChat)
    actor = await chat.people.actor(user)
    with pytest.raises(Refused) as refused:
        await service.override_gate(rig.deps, KEY, actor, "classification", "in a hurry")
    return refused.value.message


async def correct_awareness(rig: Rig, user: str) -> str:
    await rig.ws.command(user, rig.room, "aware 2026-03-26T14:00+00:00 The client emailed first")
    return rig.ws.told(user)


# (what is done first, the attempt, a colleague in another role, what the refusal says)
MATRIX: list[tuple[Setup, Attempt, str, str]] = [
    (declared, acknowledge, ALEX, "Only the incident lead chain (Sam Okafor, Priya Shah) may"),
    (declared, acknowledge_by_command, LEE, "Only the incident lead chain"),
    (in_classification, mark_notified, SAM, "may mark a notification as sent"),
    (in_classification, waive, SAM, "may decide not to notify"),
    (declared, override_classification_gate, SAM, "Only Priya Shah (Managing Partner) may"),
    (in_classification, override_at_close, SAM, "may close with items still open"),
    (in_classification, close, ALEX, "may close an incident"),
    (declared, correct_awareness, LEE, "may correct when the firm became aware (T0)"),
]


@pytest.mark.parametrize("who", ["colleague", "stranger"])
@pytest.mark.parametrize(
    ("setup", "attempt", "colleague", "refusal"), MATRIX, ids=[m[1].__name__ for m in MATRIX]
)
async def test_a_privileged_action_by_someone_without_the_role_is_refused_and_changes_nothing(
    rig: Rig, setup: Setup, attempt: Attempt, colleague: str, refusal: str, who: str
) -> None:
    rig.slack.add_user(STRANGER, "jo@elsewhere.example", "Jo Bloggs")
    user = colleague if who == "colleague" else STRANGER
    await setup(rig)
    before = await snapshot(rig.deps.store)
    said = await attempt(rig, user)
    # A stranger may be refused an earlier permission (closing at all, before overriding).
    assert refusal in said if who == "colleague" else said.startswith("Only "), said
    # Nothing changed: the record gained only the refused attempt, in the words they saw.
    refusals = refused_attempts_only(before, await snapshot(rig.deps.store))
    assert len(refusals) == 1 and refusals[0] in said, (refusals, said)


async def test_the_same_attempt_by_someone_permitted_is_recorded(rig: Rig) -> None:
    """The control for the matrix: Priya may do all of it, and it shows on the timeline."""
    await in_classification(rig)
    chat = rig.deps.chat
    assert isinstance(chat, SlackChat)
    before = event_count(await snapshot(rig.deps.store))
    priya = await chat.people.actor("U0PRIYA")
    await service.override_gate(rig.deps, KEY, priya, "classification", "Vendor disabled it")
    assert event_count(await snapshot(rig.deps.store)) == before + 1


async def test_incident_channels_are_created_private(rig: Rig) -> None:
    await declared(rig)
    created = [c for c in rig.slack.calls if c.method == "conversations.create"]
    assert len(created) == 1 and created[0].ok
    assert str(created[0].params["is_private"]).lower() in ("true", "1")


# --- someone the runbook does not name at all, through Slack ------------------------------

Try = Callable[[Rig], Awaitable[object]]


async def click(rig: Rig, action: str) -> None:
    await rig.ws.click(STRANGER, rig.ws.message_with(rig.room, action), action)


STRANGER_CHANGES: dict[str, Try] = {
    "note": lambda rig: rig.ws.command(STRANGER, rig.room, "note I was here"),
    "evidence": lambda rig: rig.ws.command(STRANGER, rig.room, f"evidence {KEY} a link"),
    "handover": lambda rig: rig.ws.command(STRANGER, rig.room, "handover priya"),
    "containment": lambda rig: click(rig, "contain:0:done"),
    "answer": lambda rig: click(rig, "classify:Q9:yes"),
}


@pytest.mark.parametrize("change", list(STRANGER_CHANGES))
async def test_a_strangers_change_is_refused_and_only_the_attempt_is_recorded(
    rig: Rig, change: str
) -> None:
    rig.slack.add_user(STRANGER, "jo@elsewhere.example", "Jo Bloggs")
    await declared(rig)
    await acknowledged(rig)
    if change == "answer":
        await contained(rig)
    before = await snapshot(rig.deps.store)
    await STRANGER_CHANGES[change](rig)
    refusals = refused_attempts_only(before, await snapshot(rig.deps.store))
    assert refusals == [f"Only people named in the runbook may change {KEY}."]
    assert refusals[0] in rig.ws.told(STRANGER)


@pytest.mark.parametrize("read", ["status", "list", "evidence", "close"])
async def test_a_strangers_read_is_refused_without_the_title_or_deadlines(
    rig: Rig, read: str
) -> None:
    rig.slack.add_user(STRANGER, "jo@elsewhere.example", "Jo Bloggs")
    await in_classification(rig)
    before = await snapshot(rig.deps.store)
    key = "" if read == "list" else f" {KEY}"
    await rig.ws.command(STRANGER, rig.general, f"{read}{key}")
    said = rig.ws.told(STRANGER)
    assert "Only people named in the runbook" in said, said
    assert TITLE not in said and "due" not in said and "ICO" not in said
    assert await snapshot(rig.deps.store) == before  # a refused read is not recorded


async def test_a_runbook_person_without_the_role_proposes_and_the_dpo_decides(rig: Rig) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await rig.ws.click(LEE, rig.ws.message_with(rig.room, "classify:Q1:yes"), "classify:Q1:yes")
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and "Q1" not in incident.answers
    assert incident.proposed["Q1"].by.person_id == "lee"
    assert "proposes" not in rig.ws.said(rig.room)  # shown in place, not posted
    question = text_of(rig.ws.message_with(rig.room, "classify:Q1:yes"))
    assert "Proposed: *yes* — Lee Chen" in question and "not decided yet" in question
    await rig.ws.click(ALEX, rig.ws.message_with(rig.room, "classify:Q1:yes"), "classify:Q1:yes")
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.answers["Q1"].by.person_id == "alex"
