"""Pressing "Draft the notice": a clock's draft for the presser alone, and nothing recorded."""

from __future__ import annotations

import pytest

from bot.actions import Reply, press
from bot.decisions import Refused
from bot.incident import Incident
from bot.notices import Notice
from bot.obligations import CLOCK_IDS, terms
from bot.papers.drafts import ART33_3
from bot.runbook import Runbook
from bot.service import Deps
from bot.views import view
from tests.conftest import SEED_T0, person
from tests.service.test_seed_case import classified_seed

KINDS = {
    "ico_art33": "ico",
    "data_subjects_art34": "individuals",
    "pi_insurer": "insurer",
    "cyber_insurer": "insurer",
    "controller_art33_2": "client",
    "client_candour": "client",
    "client_recall": "client",
    "client_contract_acme": "client",  # the runbook's contract clock
}


@pytest.mark.parametrize("clock_id", [*CLOCK_IDS, "client_contract_acme"])
def test_each_clock_drafts_its_own_kind_of_notice_or_none(clock_id: str, runbook: Runbook) -> None:
    assert terms(runbook, clock_id).draft == KINDS.get(clock_id, "")


def _buttons(incident: Incident, clock: str, runbook: Runbook, kind: str) -> list[str]:
    notice = Notice(incident, kind, clock=clock, text="Reminder: x")
    return [b.action_id for b in view(notice, runbook, SEED_T0).buttons]


@pytest.mark.parametrize("kind", ["obligation", "reminder"])
async def test_obligations_with_a_draft_carry_the_button_and_others_do_not(
    kind: str, deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    assert "draft:ico_art33" in _buttons(incident, "ico_art33", runbook, kind)
    assert "draft:controller_art33_2" in _buttons(incident, "controller_art33_2", runbook, kind)
    register = _buttons(incident, "breach_log_art33_5", runbook, kind)
    assert register and not any(a.startswith("draft:") for a in register)


async def test_a_draft_is_a_reply_for_the_presser_and_records_nothing(deps: Deps) -> None:
    incident = await classified_seed(deps)
    sam = person(deps.runbook, "sam")
    reply = await press(deps, incident.key, sam, "draft:ico_art33", "")
    assert isinstance(reply, Reply)
    assert reply.title.startswith("DRAFT — Personal data breach report to the ICO")
    assert all(f"## {heading}" in reply.lines for heading in ART33_3)
    after = await deps.store.load(incident.key)
    assert after is not None and len(after.events) == len(incident.events)


async def test_a_draft_names_the_owner_of_the_clock_it_was_pressed_on(deps: Deps) -> None:
    incident = await classified_seed(deps)
    lee = person(deps.runbook, "lee")
    for_client = await press(deps, incident.key, lee, "draft:controller_art33_2", "")
    assert for_client is not None and "For Alex Morgan to check" in for_client.text


@pytest.mark.parametrize("clock_id", ["no_such_clock", "breach_log_art33_5", "fca_sup15"])
async def test_a_draft_for_a_clock_without_one_is_refused(clock_id: str, deps: Deps) -> None:
    incident = await classified_seed(deps)
    with pytest.raises(Refused, match="no notice to draft"):
        await press(deps, incident.key, person(deps.runbook, "sam"), f"draft:{clock_id}", "")


async def test_other_presses_have_no_reply(deps: Deps) -> None:
    incident = await classified_seed(deps)
    alex = person(deps.runbook, "alex")
    assert await press(deps, incident.key, alex, "classify:Q14:no", "") is None
