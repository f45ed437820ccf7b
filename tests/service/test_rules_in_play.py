"""The corrected rules as people meet them: stopping, reopening, late notices, the kill
switch opening the questions, harm still ongoing, and unsure answers settled in time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import service
from bot.decisions import Refused
from bot.incident import phase_of
from bot.service import Deps
from bot.tick import tick
from tests.conftest import SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed, declare_seed


async def test_a_statutory_clock_cannot_be_waived_while_its_trigger_is_a_definite_yes(
    deps: Deps,
) -> None:
    incident = await classified_seed(deps)
    alex, priya = person(deps.runbook, "alex"), person(deps.runbook, "priya")
    await service.answer(deps, incident.key, alex, "Q1", "yes")
    await service.answer(deps, incident.key, alex, "Q3", "yes", "Brightside's staff named")
    with pytest.raises(Refused, match="required by law while Q3 is a definite yes"):
        await service.mark_obligation(deps, incident.key, priya, "ico_art33", "waived", "small")
    again = await deps.store.load(incident.key)
    assert again is not None and again.obligations["ico_art33"].status == "pending"


async def test_a_clock_waived_while_unsure_reopens_with_the_original_t0_when_it_escalates(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await classified_seed(deps)  # Q3 unsure: the ICO clock runs provisionally
    alex, priya = person(deps.runbook, "alex"), person(deps.runbook, "priya")
    await service.answer(deps, incident.key, alex, "Q1", "yes")
    await service.mark_obligation(deps, incident.key, priya, "ico_art33", "waived", "unlikely")
    clock.advance(timedelta(hours=30))
    incident = await service.answer(deps, incident.key, alex, "Q3", "yes", "names were shown")
    assert incident.obligations["ico_art33"].status == "pending"
    rows = await deps.store.reminders(incident.key)
    overdue = [r for r in rows if r.kind == "overdue" and r.data.get("clock") == "ico_art33"]
    assert [r.due_at for r in overdue if r.status == "scheduled"] == [SEED_T0 + timedelta(hours=72)]


async def test_a_late_statutory_notice_needs_the_reason_for_the_delay_first(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await classified_seed(deps)
    alex = person(deps.runbook, "alex")
    clock.set(SEED_T0 + timedelta(hours=73))
    with pytest.raises(Refused, match="record the reason for the delay first"):
        await service.mark_obligation(deps, incident.key, alex, "ico_art33", "done", "IC-1")
    await service.explain_delay(deps, incident.key, alex, "ico_art33", "DPO on leave")
    incident = await service.mark_obligation(deps, incident.key, alex, "ico_art33", "done", "IC-1")
    assert incident.obligations["ico_art33"].status == "done"


async def test_a_late_policy_notice_is_marked_done_without_a_reason(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=50))
    priya = person(deps.runbook, "priya")
    incident = await service.mark_obligation(deps, incident.key, priya, "pi_insurer", "done", "x")
    assert incident.obligations["pi_insurer"].status == "done"


async def test_questions_open_once_the_kill_switch_is_recorded(deps: Deps) -> None:
    incident = await declare_seed(deps)
    sam, alex = person(deps.runbook, "sam"), person(deps.runbook, "alex")
    with pytest.raises(Refused, match="kill switch"):
        await service.answer(deps, incident.key, alex, "Q1", "yes")
    incident = await service.contain(deps, incident.key, sam, 0, "not_possible", "console down")
    assert phase_of(incident, deps.runbook) == "classification"
    incident = await service.answer(deps, incident.key, alex, "Q1", "yes")
    assert incident.answers["Q1"].value == "yes" and 1 not in incident.steps


async def test_harm_still_ongoing_keeps_the_incident_out_of_remediation(deps: Deps) -> None:
    incident = await classified_seed(deps)
    alex, sam = person(deps.runbook, "alex"), person(deps.runbook, "sam")
    jordan = person(deps.runbook, "jordan")  # the compliance role decides the ICAEW question
    for question in ("Q4", "Q5", "Q8a", "Q8b", "Q8c", "Q8d", "Q12"):
        value = "unsure" if question == "Q5" else "no"
        by = jordan if question == "Q12" else alex
        why = "" if value == "unsure" else f"{question}: ruled out"  # not notifying: why
        incident = await service.answer(deps, incident.key, by, question, value, why)
    await service.add_evidence(deps, incident.key, sam, "Prompt log", "E4")
    incident = await service.answer(deps, incident.key, alex, "Q14", "yes")
    assert phase_of(incident, deps.runbook) == "evidence"
    incident = await service.answer(deps, incident.key, alex, "Q14", "no")
    assert phase_of(incident, deps.runbook) == "remediation"


async def test_an_unsure_answer_must_be_settled_half_way_to_the_deadline_it_keeps_running(
    deps: Deps, clock: FakeClock, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    alex = person(deps.runbook, "alex")
    clock.set(SEED_T0 + timedelta(hours=50))
    incident = await service.answer(deps, incident.key, alex, "Q4", "unsure")  # individuals
    rows = await deps.store.reminders(incident.key)
    q4 = [r.due_at for r in rows if r.kind == "unsure" and r.data.get("question") == "Q4"]
    # A flat 24h would fall after the 72h it keeps running; half-way from T0+50h is T0+61h.
    assert q4 == [SEED_T0 + timedelta(hours=61)]
    clock.set(SEED_T0 + timedelta(hours=61))
    await tick(deps)
    said = [m.notice.text for m in chat.messages.values() if m.notice.question == "Q4"]
    assert said and "it keeps running: Tell the affected people" in said[-1]


async def test_naming_member_states_with_q6_opens_one_clock_per_state(
    deps: Deps, clock: FakeClock
) -> None:
    from dataclasses import replace

    from bot.obligations import obligations

    profile = replace(deps.runbook.firm.profile, eu_data_subjects=True)
    eu = replace(deps.runbook, firm=replace(deps.runbook.firm, profile=profile))
    deps = replace(deps, runbook=eu)
    incident = await classified_seed(deps)
    alex = person(eu, "alex")
    await service.answer(deps, incident.key, alex, "Q5", "unsure")
    incident = await service.answer(deps, incident.key, alex, "Q6", "yes", "FR and IE")
    found = {o.id: o for o in obligations(eu, incident, clock.now())}
    assert {"eu_gdpr_fr", "eu_gdpr_ie"} <= set(found) and "eu_gdpr" not in found
    assert found["eu_gdpr_fr"].terms.title.startswith("Report to the supervisory authority of FR")
    assert found["eu_gdpr_ie"].due_at == SEED_T0 + timedelta(hours=72)
