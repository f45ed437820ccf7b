"""A decision not to notify is a decision: an answer that keeps a notification from opening
needs a reason, given by whoever decides that question; who, when and why go on the record."""

from __future__ import annotations

import pytest

from bot import service
from bot.decisions import Refused
from bot.incident import Incident
from bot.service import Deps
from tests.conftest import person
from tests.service.test_seed_case import contained_seed

NO_RISK = "Business figures only; no individual could be identified"


async def breach(deps: Deps) -> Incident:
    incident = await contained_seed(deps)
    alex = person(deps.runbook, "alex")
    for question in ("Q1", "Q2"):
        incident = await service.answer(deps, incident.key, alex, question, "yes")
    return incident


async def test_a_no_that_keeps_the_ico_untold_is_refused_without_a_reason(deps: Deps) -> None:
    incident = await breach(deps)
    alex = person(deps.runbook, "alex")
    said = (
        "Please give a reason: this answer decides the ICO and the affected people won't be told."
    )
    with pytest.raises(Refused) as refused:
        await service.answer(deps, incident.key, alex, "Q3", "no")
    assert refused.value.message == said
    again = await deps.store.load(incident.key)
    assert again is not None and len(again.events) == len(incident.events)


async def test_with_its_reason_the_no_is_recorded_with_what_it_ruled_out(deps: Deps) -> None:
    incident = await breach(deps)
    alex = person(deps.runbook, "alex")
    incident = await service.answer(deps, incident.key, alex, "Q3", "no", NO_RISK)
    q3 = incident.answers["Q3"]
    assert (q3.value, q3.by.person_id, q3.reason) == ("no", "alex", NO_RISK)
    assert "ico_art33" not in incident.obligations
    incident = await service.load(deps, incident.key, whole=True)
    [answered] = [e for e in incident.events if e.type == "answered" and e.data["question"] == "Q3"]
    assert answered.data["prevents"] == ["ico_art33", "data_subjects_art34"]
    assert answered.data["reason"] == NO_RISK


async def test_giving_the_same_answer_again_asks_for_nothing(deps: Deps) -> None:
    incident = await breach(deps)
    alex = person(deps.runbook, "alex")
    incident = await service.answer(deps, incident.key, alex, "Q3", "no", NO_RISK)
    again = await service.answer(deps, incident.key, alex, "Q3", "no")
    assert len(again.events) == len(incident.events)


async def test_someone_who_may_not_decide_only_proposes_it_and_the_decider_gives_the_reason(
    deps: Deps,
) -> None:
    incident = await breach(deps)
    sam, alex = person(deps.runbook, "sam"), person(deps.runbook, "alex")
    incident = await service.answer(deps, incident.key, sam, "Q3", "no")  # no reason asked
    assert "Q3" not in incident.answers and incident.proposed["Q3"].value == "no"
    with pytest.raises(Refused, match="decides the ICO and the affected people won't be told"):
        await service.answer(deps, incident.key, alex, "Q3", "no")
    incident = await service.answer(deps, incident.key, alex, "Q3", "no", NO_RISK)
    assert incident.answers["Q3"].by.person_id == "alex" and "Q3" not in incident.proposed


async def test_a_regulator_no_is_the_compliance_roles_to_decide_and_explain(deps: Deps) -> None:
    incident = await contained_seed(deps)
    alex, jordan = person(deps.runbook, "alex"), person(deps.runbook, "jordan")
    incident = await service.answer(deps, incident.key, alex, "Q12", "no")
    assert "Q12" not in incident.answers  # the DPO may only propose a regulator answer
    with pytest.raises(Refused, match="decides the ICAEW won't be told"):
        await service.answer(deps, incident.key, jordan, "Q12", "no")
    why = "A system fault, promptly contained: no member's misconduct"
    incident = await service.answer(deps, incident.key, jordan, "Q12", "no", why)
    assert incident.answers["Q12"].reason == why and "icaew" not in incident.obligations


async def test_an_answer_that_stops_one_clock_and_rules_out_another_says_both(
    deps: Deps,
) -> None:
    incident = await breach(deps)
    alex = person(deps.runbook, "alex")
    incident = await service.answer(deps, incident.key, alex, "Q3", "unsure")
    said = (
        "Please give a reason: this answer stops “Report the breach to the ICO” and decides "
        "the affected people won't be told."
    )
    with pytest.raises(Refused) as refused:
        await service.answer(deps, incident.key, alex, "Q3", "no")
    assert refused.value.message == said
