"""Draft notifications: filled from the record, or marked to be completed; never sent."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot import service
from bot.incident import Incident
from bot.papers.drafts import ART33_3, KINDS, TBC, draft
from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.service import Deps
from storage.memory import MemoryStore
from tests.conftest import SEED_T0, person
from tests.service.test_seed_case import classified_seed
from tests.unit.closed_seed import DELAY


@pytest.fixture
def store() -> IncidentStore:
    return MemoryStore()


def sections(text: str) -> dict[str, str]:
    parts = text.split("\n## ")[1:]
    return {p.split("\n", 1)[0]: p.split("\n", 1)[1].strip() for p in parts}


def test_the_ico_draft_holds_every_art_33_3_heading_filled_or_to_be_completed(
    closed: Incident, runbook: Runbook
) -> None:
    assert closed.closed_at is not None
    found = sections(draft("ico", closed, runbook, closed.closed_at))
    for heading in ART33_3:
        assert found.get(heading), f"missing or empty: {heading}"
    assert "Alex Morgan, Data Protection Lead, alex@harbourvale.example" in found[ART33_3[3]]
    assert TBC in found[ART33_3[1]] and TBC in found[ART33_3[2]]
    assert "Likely risk to the people concerned (Q3): unsure." in found[ART33_3[4]]
    assert "Remediation: Client filter enforced" in found[ART33_3[5]]


def test_a_late_ico_draft_gives_the_recorded_reason_for_delay(
    closed: Incident, runbook: Runbook
) -> None:
    assert closed.closed_at is not None
    found = sections(draft("ico", closed, runbook, closed.closed_at))
    assert DELAY in found["Reasons for the delay"]
    assert "3h 30m late" in found["Reasons for the delay"]


async def test_an_overdue_ico_draft_without_a_reason_asks_for_one(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    found = sections(draft("ico", incident, runbook, SEED_T0 + timedelta(hours=73)))
    assert found["Reasons for the delay"].endswith(TBC)


async def test_an_ico_draft_in_time_has_no_delay_section(deps: Deps, runbook: Runbook) -> None:
    incident = await classified_seed(deps)
    text = draft("ico", incident, runbook, SEED_T0 + timedelta(hours=1))
    assert "Reasons for the delay" not in text
    assert "Remediation proposed: [to be completed]" in text


@pytest.mark.parametrize("kind", KINDS)
def test_every_draft_is_for_its_owner_to_send(
    kind: str, closed: Incident, runbook: Runbook
) -> None:
    assert closed.closed_at is not None
    text = draft(kind, closed, runbook, closed.closed_at)
    assert text.startswith("# DRAFT — ")
    assert "The bot never sends notifications" in text
    assert closed.title in text


def test_the_letter_to_people_is_plain_and_names_whom_to_contact(
    closed: Incident, runbook: Runbook
) -> None:
    assert closed.closed_at is not None
    found = sections(draft("individuals", closed, runbook, closed.closed_at))
    assert found["Letter"].startswith("Dear [name],")
    assert "alex@harbourvale.example" in found["Who to contact"]
    assert found["What information was involved"] == TBC
    assert "ICO" not in found["What we have done"]  # other notices are not the reader's business


def test_the_insurer_notice_states_reliance_and_attack_answers(
    closed: Incident, runbook: Runbook
) -> None:
    assert closed.closed_at is not None
    text = draft("insurer", closed, runbook, closed.closed_at)
    assert "relied on (Q8): yes." in text and "(Q9): no." in text
    assert "Policy number: [to be completed]" in text
    assert "Priya Shah, Managing Partner" in text


async def test_the_client_note_explains_the_controllers_own_clock_when_we_are_processor(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    alex = person(runbook, "alex")
    said = "Acme is the controller; we draft its reports"
    incident = await service.answer(deps, incident.key, alex, "Q5", "processor", said)
    text = draft("client", incident, runbook, SEED_T0 + timedelta(hours=1))
    assert "your own 72 hours" in text
    incident = await service.answer(deps, incident.key, alex, "Q5", "controller", "Our own data")
    assert "your own 72 hours" not in draft("client", incident, runbook, SEED_T0)
