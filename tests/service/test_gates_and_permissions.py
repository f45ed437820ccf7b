"""Gates and permissions: a refusal says who may, and changes nothing."""

from __future__ import annotations

import re

import pytest

from bot import service
from bot.decisions import CloseForm, Forbidden, Refused
from bot.incident import Incident
from bot.service import Deps
from bot.timeline import Actor
from tests.conftest import person
from tests.fakes.chat import FakeChat
from tests.service.test_seed_case import classified_seed, contained_seed, declare_seed

OUTSIDER = Actor(id="test:jo", name="Jo Bloggs", person_id=None)


async def test_classification_is_refused_before_containment_is_confirmed(deps: Deps) -> None:
    incident = await declare_seed(deps)
    with pytest.raises(Refused, match="containment"):
        await service.answer(deps, incident.key, person(deps.runbook, "alex"), "Q1", "yes")
    again = await deps.store.load(incident.key)
    assert again is not None and again.answers == {}


async def test_a_containment_step_not_possible_needs_a_reason_and_then_counts(deps: Deps) -> None:
    incident = await declare_seed(deps)
    sam = person(deps.runbook, "sam")
    with pytest.raises(Refused, match="reason"):
        await service.contain(deps, incident.key, sam, 0, "not_possible")
    system = deps.runbook.system("drafting-assistant")
    assert system is not None
    for step in range(len(system.containment)):
        incident = await service.contain(
            deps, incident.key, sam, step, "not_possible", "Vendor console is down"
        )
    assert incident.phase == "classification"


async def test_a_permitted_override_opens_classification_and_is_recorded(deps: Deps) -> None:
    incident = await declare_seed(deps)
    priya = person(deps.runbook, "priya")
    incident = await service.override_gate(
        deps, incident.key, priya, "classification", "Vendor has disabled the feature for us"
    )
    incident = await service.answer(deps, incident.key, priya, "Q1", "yes")
    assert incident.answers["Q1"].value == "yes"
    incident = await service.load(deps, incident.key, whole=True)
    overrides = [e for e in incident.events if e.type == "gate_overridden"]
    assert overrides[0].data["reason"] == "Vendor has disabled the feature for us"
    assert overrides[0].actor.name == "Priya Shah"


async def test_an_override_by_someone_without_the_role_is_refused(deps: Deps) -> None:
    incident = await declare_seed(deps)
    with pytest.raises(Refused, match="Only Priya Shah"):
        await service.override_gate(
            deps, incident.key, person(deps.runbook, "sam"), "classification", "in a hurry"
        )


def refused_only(before: Incident, after: Incident | None, actor: Actor) -> None:
    """Nothing changed but one more event: the refused attempt, by `actor`."""
    assert after is not None
    last = after.events[-1]
    assert before.last is not None and last.prev_hash == before.last.hash
    assert last.type == "refused" and last.actor == actor and "Only " in last.data["said"]


@pytest.mark.parametrize("action", ["close", "waived", "done", "note", "evidence", "contain"])
async def test_an_outsiders_change_is_refused_and_only_the_attempt_is_recorded(
    deps: Deps, action: str
) -> None:
    incident = await classified_seed(deps)
    attempts = {
        "close": lambda: service.close(deps, incident.key, OUTSIDER, CloseForm("cause")),
        "note": lambda: service.note(deps, incident.key, OUTSIDER, "hello"),
        "evidence": lambda: service.add_evidence(deps, incident.key, OUTSIDER, "a link"),
        "contain": lambda: service.contain(deps, incident.key, OUTSIDER, 0, "done"),
    }
    attempt = attempts.get(action) or (
        lambda: service.mark_obligation(deps, incident.key, OUTSIDER, "ico_art33", action, "x")
    )
    with pytest.raises(Forbidden, match="Only people named in the runbook may change"):
        await attempt()
    refused_only(incident, await deps.store.load(incident.key), OUTSIDER)


@pytest.mark.parametrize(
    ("action", "expected"),
    [("waived", "decide not to notify"), ("done", "mark a notification as sent")],
)
async def test_a_runbook_person_without_the_role_cannot_waive_or_mark_notified(
    deps: Deps, action: str, expected: str
) -> None:
    incident = await classified_seed(deps)
    sam = person(deps.runbook, "sam")
    with pytest.raises(Forbidden, match=expected):
        await service.mark_obligation(deps, incident.key, sam, "ico_art33", action, "ICO-123")
    refused_only(incident, await deps.store.load(incident.key), sam)


async def test_an_outsider_cannot_read_an_incident_and_learns_nothing_of_it(deps: Deps) -> None:
    incident = await classified_seed(deps)
    with pytest.raises(Forbidden) as refused:
        await service.read(deps, incident.key, OUTSIDER)
    assert incident.title not in refused.value.message
    assert "Only people named in the runbook or members of its room" in refused.value.message
    member = await service.read(deps, incident.key, OUTSIDER, in_room=True)
    assert member.title == incident.title


async def test_containment_is_marked_by_the_kill_switch_chain_or_the_lead(deps: Deps) -> None:
    incident = await declare_seed(deps)
    alex = person(deps.runbook, "alex")  # in the runbook, not on the kill switch
    with pytest.raises(Forbidden, match=re.escape("Lee Chen (IT Lead) or Sam Okafor")):
        await service.contain(deps, incident.key, alex, 0, "done")
    incident = await service.contain(deps, incident.key, person(deps.runbook, "lee"), 0, "done")
    assert incident.steps[0].by.person_id == "lee"


async def test_a_data_protection_answer_is_proposed_until_the_dpo_confirms(deps: Deps) -> None:
    incident = await contained_seed(deps)
    lee = person(deps.runbook, "lee")
    incident = await service.answer(deps, incident.key, lee, "Q1", "yes")
    assert "Q1" not in incident.answers
    assert incident.proposed["Q1"].value == "yes" and incident.obligations == {}
    incident = await service.answer(deps, incident.key, person(deps.runbook, "alex"), "Q1", "yes")
    assert incident.answers["Q1"].by.person_id == "alex" and incident.proposed == {}


async def test_a_regulator_answer_is_decided_by_the_compliance_role(deps: Deps) -> None:
    incident = await classified_seed(deps)
    alex = person(deps.runbook, "alex")  # the DPO: may propose Q12, not decide it
    incident = await service.answer(deps, incident.key, alex, "Q12", "yes")
    assert "Q12" not in incident.answers and incident.proposed["Q12"].value == "yes"
    jordan = person(deps.runbook, "jordan")
    incident = await service.answer(deps, incident.key, jordan, "Q12", "yes")
    assert incident.answers["Q12"].value == "yes"


async def test_the_partners_sign_off_is_confirmed_by_the_partner_alone(deps: Deps) -> None:
    incident = await classified_seed(deps)
    form = CloseForm(
        "Unknown yet",
        criteria=deps.runbook.reenable_criteria,
        override_reason="Partner accepts the risk",
    )
    sam = person(deps.runbook, "sam")
    with pytest.raises(
        Forbidden, match=re.escape("Only Priya Shah (Managing Partner) may confirm 'Sign")
    ):
        await service.close(deps, incident.key, sam, form)
    refused_only(incident, await deps.store.load(incident.key), sam)


async def test_a_clocks_named_owner_may_mark_it_done_but_not_another_clock(deps: Deps) -> None:
    incident = await classified_seed(deps)
    lee = person(deps.runbook, "lee")  # named owner of the cyber insurer clock only
    incident = await service.mark_obligation(
        deps, incident.key, lee, "cyber_insurer", "done", "claim 77-1203"
    )
    assert incident.obligations["cyber_insurer"].status == "done"
    with pytest.raises(Refused, match="Only Alex Morgan"):
        await service.mark_obligation(deps, incident.key, lee, "ico_art33", "done", "ICO-1")
    with pytest.raises(Refused, match="decide not to notify"):
        await service.mark_obligation(
            deps, incident.key, lee, "pi_insurer", "waived", "not our policy"
        )


async def test_close_is_refused_while_an_obligation_is_open(deps: Deps) -> None:
    incident = await classified_seed(deps)
    criteria = deps.runbook.reenable_criteria
    with pytest.raises(Refused, match="Report the breach to the ICO — Alex Morgan"):
        await service.close(
            deps,
            incident.key,
            person(deps.runbook, "priya"),
            CloseForm("Session cache shared between users", criteria=criteria),
        )


async def test_close_after_every_obligation_is_settled(deps: Deps) -> None:
    incident = await classified_seed(deps)
    alex, priya = person(deps.runbook, "alex"), person(deps.runbook, "priya")
    for clock, record in incident.obligations.items():
        if record.status == "pending" and clock != "breach_log_art33_5":
            incident = await service.mark_obligation(
                deps, incident.key, alex, clock, "done", f"ref-{clock}"
            )
    incident = await service.close(
        deps,
        incident.key,
        priya,
        CloseForm("Session cache shared between users", criteria=deps.runbook.reenable_criteria),
    )
    assert incident.phase == "closed"
    assert incident.obligations["breach_log_art33_5"].status == "done"
    rows = await deps.store.reminders(incident.key)
    after_close = ("archive", "records")  # the room's archive; the report and case files
    assert rows and all(r.status == "cancelled" for r in rows if r.kind not in after_close)
    assert sorted(r.kind for r in rows if r.status == "scheduled") == sorted(after_close)


async def test_close_with_open_items_needs_a_permitted_override(deps: Deps) -> None:
    incident = await classified_seed(deps)
    incident = await service.close(
        deps,
        incident.key,
        person(deps.runbook, "priya"),
        CloseForm("Unknown yet", override_reason="Client insists; partner accepts the risk"),
    )
    assert incident.phase == "closed"
    override = [e for e in incident.events if e.type == "gate_overridden"][-1]
    assert override.data["gate"] == "close" and override.data["blockers"]


async def test_acknowledging_twice_changes_nothing_the_second_time(deps: Deps) -> None:
    incident = await declare_seed(deps)
    sam = person(deps.runbook, "sam")
    incident = await service.acknowledge(deps, incident.key, sam)
    with pytest.raises(Refused, match="Already acknowledged by Sam Okafor"):
        await service.acknowledge(deps, incident.key, sam)
    assert incident.owner == "sam"


async def test_someone_outside_the_lead_chain_cannot_acknowledge(deps: Deps) -> None:
    incident = await declare_seed(deps)
    with pytest.raises(Refused, match="incident lead chain"):
        await service.acknowledge(deps, incident.key, person(deps.runbook, "alex"))


async def test_acknowledging_takes_the_button_off_every_page_for_that_role(
    deps: Deps, chat: FakeChat
) -> None:
    incident = await declare_seed(deps)
    await service.acknowledge(deps, incident.key, person(deps.runbook, "sam"))
    page = chat.of_kind("page")[0]
    assert page.view.buttons == () and "Acknowledged by @Sam Okafor" in page.text
