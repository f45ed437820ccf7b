"""The seed case of the core issue, end to end through the service layer."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot import service
from bot.decisions import DeclareForm, Refused
from bot.durations import local_time
from bot.incident import Incident
from bot.obligations import obligations
from bot.permissions import REGULATOR
from bot.runbook import Runbook
from bot.service import Deps
from tests.conftest import SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock

ANSWERS = [
    ("Q1", "unsure"),
    ("Q2", "yes"),
    ("Q3", "unsure"),
    ("Q7", "yes"),
    ("Q8", "yes"),
    ("Q9", "no"),
]


async def declare_seed(deps: Deps) -> Incident:
    form = DeclareForm(
        "Client report holds another client's figures",
        "drafting-assistant",
        "context_leakage",
        "Acme's Q1 report shows Brightside's revenue",
        SEED_T0,
    )
    return await service.declare(deps, person(deps.runbook, "sam"), form)


async def contained_seed(deps: Deps) -> Incident:
    incident = await declare_seed(deps)
    sam = person(deps.runbook, "sam")
    system = deps.runbook.system("drafting-assistant")
    assert system is not None
    for step in range(len(system.containment)):
        incident = await service.contain(deps, incident.key, sam, step, "done")
    return incident


async def classified_seed(deps: Deps) -> Incident:
    incident = await contained_seed(deps)
    alex, jordan = person(deps.runbook, "alex"), person(deps.runbook, "jordan")
    for question, value in ANSWERS:
        # The regulator questions are the compliance role's to decide (the DPO's the rest).
        by = jordan if question in REGULATOR else alex
        incident = await service.answer(deps, incident.key, by, question, value)
    return incident


async def test_seed_answers_start_the_expected_clocks(deps: Deps, clock: FakeClock) -> None:
    incident = await classified_seed(deps)
    found = {o.id: o for o in obligations(deps.runbook, incident, clock.now())}
    assert {"ico_art33", "pi_insurer", "breach_log_art33_5", "controller_art33_2"} <= set(found)
    assert "account_owners" in incident.involved


async def test_ico_deadline_counts_72_elapsed_hours_across_the_clock_change(
    deps: Deps, clock: FakeClock, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    ico = {o.id: o for o in obligations(runbook, incident, clock.now())}["ico_art33"]
    assert ico.due_at == datetime(2026, 3, 29, 15, 30, tzinfo=UTC)
    # Wall-clock arithmetic would say 15:30 BST, an hour early.
    assert local_time(ico.due_at, runbook.firm.timezone) == "Sun 29 Mar 2026 16:30 BST"


async def test_ico_reminders_fall_at_24_48_66_71_hours(deps: Deps) -> None:
    incident = await classified_seed(deps)
    rows = await deps.store.reminders(incident.key)
    ico = sorted(
        r.due_at
        for r in rows
        if r.data.get("clock") == "ico_art33" and r.kind == "deadline" and r.status == "scheduled"
    )
    assert ico == [SEED_T0 + timedelta(hours=h) for h in (24, 48, 66, 71)]


async def test_answering_q3_no_with_a_reason_waives_the_ico_clock(deps: Deps) -> None:
    incident = await classified_seed(deps)
    alex = person(deps.runbook, "alex")
    incident = await service.answer(
        deps, incident.key, alex, "Q3", "no", "Figures only, no personal data of individuals"
    )
    record = incident.obligations["ico_art33"]
    assert (record.status, record.reason) == (
        "waived",
        "Figures only, no personal data of individuals",
    )
    incident = await service.load(deps, incident.key, whole=True)
    waived = [e for e in incident.events if e.type == "obligation_waived"]
    assert waived[-1].data["reason"] == "Figures only, no personal data of individuals"
    rows = await deps.store.reminders(incident.key)
    assert {r.status for r in rows if r.data.get("clock") == "ico_art33"} == {"cancelled"}


async def test_stopping_a_clock_by_answer_needs_a_reason(deps: Deps) -> None:
    incident = await classified_seed(deps)
    with pytest.raises(Refused, match="reason"):
        await service.answer(deps, incident.key, person(deps.runbook, "alex"), "Q3", "no")
    again = await deps.store.load(incident.key)
    assert again is not None and again.obligations["ico_art33"].status == "pending"


async def test_answer_history_keeps_every_change(deps: Deps) -> None:
    incident = await classified_seed(deps)
    alex = person(deps.runbook, "alex")
    incident = await service.answer(deps, incident.key, alex, "Q3", "no", "no risk")
    incident = await service.answer(deps, incident.key, alex, "Q3", "yes", "turns out there is")
    q3 = [(a.value, a.by.name) for a in incident.history if a.question == "Q3"]
    assert q3 == [("unsure", "Alex Morgan"), ("no", "Alex Morgan"), ("yes", "Alex Morgan")]
    assert incident.obligations["ico_art33"].status == "pending"


async def test_correcting_t0_moves_every_deadline_and_reminder(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await classified_seed(deps)
    before = {
        r.dedupe_key: r.due_at
        for r in await deps.store.reminders(incident.key)
        if r.kind in ("deadline", "overdue")
    }
    earlier = SEED_T0 - timedelta(days=2)
    sam = person(deps.runbook, "sam")
    incident = await service.correct_awareness(
        deps, incident.key, sam, earlier, "The client first emailed on Tuesday"
    )
    after = {
        r.dedupe_key: r.due_at
        for r in await deps.store.reminders(incident.key)
        if r.kind in ("deadline", "overdue")
    }
    assert after.keys() == before.keys()
    assert all(after[k] == before[k] - timedelta(days=2) for k in before)
    ico = {o.id: o for o in obligations(deps.runbook, incident, clock.now())}["ico_art33"]
    assert ico.due_at == earlier + timedelta(hours=72)
    incident = await service.load(deps, incident.key, whole=True)
    corrected = [e for e in incident.events if e.type == "awareness_corrected"]
    assert corrected[0].data["reason"] == "The client first emailed on Tuesday"
    assert corrected[0].actor.name == "Sam Okafor"


async def test_declare_opens_a_room_posts_the_card_and_pages_the_lead(
    deps: Deps, chat: FakeChat
) -> None:
    incident = await declare_seed(deps)
    assert incident.key == "AI-2026-0001"
    assert incident.room is not None
    pages = chat.of_kind("page")
    assert [p.notice.person for p in pages] == ["sam"]
    assert pages[0].view.buttons[0].action_id == "ack:incident_lead"
    assert chat.of_kind("card") and chat.of_kind("containment")
