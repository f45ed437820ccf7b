"""Two awareness times: each clock runs from its own, corrections move only their clocks and
are on the record, and an unusual T0 is confirmed with a reason. From a vendor's notice, the
breach clocks run from the notice's receipt."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import service
from bot.actions import typed
from bot.decisions import DeclareForm, Refused
from bot.obligations import obligations
from bot.service import Deps
from tests.conftest import SEED_T0, person
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed


def _dues(incident, deps: Deps, now) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {o.id: o.due_at for o in obligations(deps.runbook, incident, now)}


async def test_correcting_breach_awareness_moves_only_the_breach_clocks(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await classified_seed(deps)
    before = _dues(incident, deps, clock.now())
    later = SEED_T0 + timedelta(minutes=5)
    sam = person(deps.runbook, "sam")
    said = await typed(
        deps, "aware", incident.key, sam, f"breach {later.isoformat()} Names confirmed", "web"
    )
    assert "T0 (breach)" in said
    incident = await service.load(deps, incident.key, whole=True)
    after = _dues(incident, deps, clock.now())
    assert after["ico_art33"] == later + timedelta(hours=72)
    assert after["pi_insurer"] == before["pi_insurer"]  # runs from the incident's awareness
    event = [e for e in incident.events if e.type == "awareness_corrected"][-1]
    assert (event.data["which"], event.data["reason"], event.actor.name) == (
        "breach",
        "Names confirmed",
        "Sam Okafor",
    )


async def test_correcting_incident_awareness_leaves_a_recorded_breach_awareness(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await classified_seed(deps)
    sam = person(deps.runbook, "sam")
    breach = SEED_T0 + timedelta(minutes=5)
    await service.correct_awareness(deps, incident.key, sam, breach, "names seen", "breach")
    earlier = SEED_T0 - timedelta(hours=2)
    incident = await service.correct_awareness(deps, incident.key, sam, earlier, "email")
    dues = _dues(incident, deps, clock.now())
    assert dues["ico_art33"] == breach + timedelta(hours=72)
    assert dues["pi_insurer"] == earlier + timedelta(hours=48)


@pytest.mark.parametrize(
    ("shift", "problem"),
    [
        (timedelta(minutes=9), "later than the incident was declared"),
        (-timedelta(days=31), "more than 30 days before the incident was declared"),
    ],
)
async def test_an_unusual_t0_needs_confirming_with_a_reason(
    deps: Deps, clock: FakeClock, shift: timedelta, problem: str
) -> None:
    incident = await classified_seed(deps)
    sam = person(deps.runbook, "sam")
    assert incident.declared_at is not None
    when = incident.declared_at + shift
    clock.advance(timedelta(hours=1))
    with pytest.raises(Refused, match=problem):
        await typed(deps, "aware", incident.key, sam, f"{when.isoformat()} typo", "web")
    said = f"{when.isoformat()} confirm The log proves it"
    await typed(deps, "aware", incident.key, sam, said, "web")
    incident = await service.load(deps, incident.key, whole=True)
    assert incident.aware_at == when
    assert [e for e in incident.events if e.type == "awareness_corrected"][-1].data["confirmed"]


async def test_a_vendor_notice_starts_the_breach_clocks_at_its_receipt(
    deps: Deps, clock: FakeClock
) -> None:
    received = SEED_T0 - timedelta(hours=3)
    form = DeclareForm(
        "Vendor reports a leak",
        "drafting-assistant",
        "tool_exfiltration",
        learned_via="vendor_notice",
        vendor_notice_at=received,
        vendor_aware_at=received - timedelta(hours=60),
    )
    incident = await service.declare(deps, person(deps.runbook, "sam"), form)
    assert incident.breach_aware_at == received and incident.aware_at == received
    assert incident.learned["via"] == "vendor_notice"
    assert incident.learned["vendor_aware_at"] == (received - timedelta(hours=60)).isoformat()


async def test_a_t0_over_30_days_back_at_declare_needs_a_reason(deps: Deps) -> None:
    old = SEED_T0 - timedelta(days=40)
    form = DeclareForm("Old fault", "drafting-assistant", "fabrication", aware_at=old)
    with pytest.raises(Refused, match="more than 30 days before"):
        await service.declare(deps, person(deps.runbook, "sam"), form)
    confirmed = DeclareForm(
        "Old fault", "drafting-assistant", "fabrication", aware_at=old, t0_reason="audit found it"
    )
    incident = await service.declare(deps, person(deps.runbook, "sam"), confirmed)
    assert incident.aware_at == old
