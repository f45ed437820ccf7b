"""Draft notifications: one recipient each, filled from the record or marked to be
completed (and listed at the top), never sent; a client's draft discloses no other client."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

import pytest

from bot import service
from bot.incident import Incident
from bot.papers.drafts import ICO_FORM, KINDS, TBC, draft, draft_html
from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.service import Deps
from storage.memory import MemoryStore
from tests.conftest import SEED_T0, person
from tests.service.test_seed_case import classified_seed
from tests.unit.closed_seed import DELAY, ICO_REFERENCE, REGRESSION

BRIGHTSIDE_FIGURES = ("Brightside", "1.2m", "revenue", "salar")


@pytest.fixture
def store() -> IncidentStore:
    return MemoryStore()


def sections(text: str) -> dict[str, str]:
    parts = text.split("\n## ")[1:]
    return {p.split("\n", 1)[0]: p.split("\n", 1)[1].strip() for p in parts}


def test_the_ico_draft_has_every_field_of_the_icos_form_in_its_order(
    closed_with_facts: Incident, runbook: Runbook
) -> None:
    at = closed_with_facts.closed_at
    assert at is not None
    text = draft("ico", closed_with_facts, runbook, at)
    found = sections(text)
    assert list(found) == list(ICO_FORM)
    assert all(found.values()), "every field is filled or marked to be completed"
    assert f"ICO case reference: {ICO_REFERENCE}" in found["Report type"]
    assert "Follow-up report." in found["Report type"]
    assert "ICO registration number (data protection fee): ZA000000" in found[ICO_FORM[1]]
    assert "Alex Morgan, Data Protection Lead, alex@harbourvale.example" in found[ICO_FORM[1]]
    assert "When the breach began: Thu 05 Mar 2026" in found[ICO_FORM[4]]
    assert "When we discovered it (became aware): Thu 26 Mar 2026 15:00" in found[ICO_FORM[4]]
    people = found["Personal data and people concerned"]
    assert "number of people concerned: 10-50" in people and "records: about 120" in people
    assert "Categories of personal data: revenue figures and staff salaries" in people
    assert found["Cyber incident"].endswith("No")
    assert found["Telling the people affected"].startswith("No: we do not consider the risk")
    assert DELAY in found["Reason for any delay"] and "3h 30m late" in found["Reason for any delay"]


def test_the_ico_draft_holds_no_question_codes_and_no_other_notices(
    closed_with_facts: Incident, runbook: Runbook
) -> None:
    at = closed_with_facts.closed_at
    assert at is not None
    text = draft("ico", closed_with_facts, runbook, at)
    assert not re.search(r"\bQ\d+\b|\(Q\d", text.replace("Acme's Q1 report", ""))
    assert "insurer" not in text.lower() and "Report the breach to the ICO" not in text


async def test_a_first_ico_draft_is_an_initial_report_and_in_time_says_so(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    found = sections(draft("ico", incident, runbook, SEED_T0 + timedelta(hours=1)))
    assert found["Report type"].startswith("Initial report.")
    assert found["Reason for any delay"].startswith("Not late")
    assert f"Remediation proposed: {TBC}" in found["Action taken"]
    assert f"How we learned of it: {TBC}" in found["How the breach was discovered"]
    assert "Acme's Q1 report shows Brightside's revenue" in found["How the breach was discovered"]


async def test_an_ico_draft_for_a_firm_without_its_registration_asks_for_it(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    firm = replace(runbook.firm, ico_registration="", address="")
    text = draft("ico", incident, replace(runbook, firm=firm), SEED_T0)
    assert f"ICO registration number (data protection fee): {TBC}" in text
    assert "ICO registration number (data protection fee); Address" in text  # listed on top


async def test_an_overdue_ico_draft_without_a_reason_asks_for_one(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    found = sections(draft("ico", incident, runbook, SEED_T0 + timedelta(hours=73)))
    assert found["Reason for any delay"].endswith(f"Reason: {TBC}")


@pytest.mark.parametrize("kind", KINDS)
def test_every_draft_is_for_its_owner_and_lists_what_is_left_to_complete_at_its_top(
    kind: str, closed: Incident, runbook: Runbook
) -> None:
    assert closed.closed_at is not None
    text = draft(kind, closed, runbook, closed.closed_at)
    head, _, body = text.partition("\n## ")
    assert head.startswith("# DRAFT — ") and "The bot never sends notifications" in head
    listed = re.search(r"To be completed before sending: (.*)\.\n", head)
    assert listed is not None and TBC in body
    for line in body.splitlines():
        label, colon, value = line.lstrip("- ").partition(":")
        if colon and value.strip() == TBC:
            assert label.strip() in listed.group(1)


@pytest.mark.parametrize("kind", KINDS)
def test_every_draft_prints_as_one_html_page(kind: str, closed: Incident, runbook: Runbook) -> None:
    assert closed.closed_at is not None
    page = draft_html(kind, closed, runbook, closed.closed_at)
    assert page.startswith("<!DOCTYPE html>") and "@page { size: A4" in page
    assert "To be completed before sending" in page and "<h2>" in page


@pytest.mark.parametrize("kind", ["client", "receiving_client"])
def test_the_seed_cases_draft_to_acme_names_neither_brightside_nor_its_figures(
    kind: str, closed_with_facts: Incident, runbook: Runbook
) -> None:
    at = closed_with_facts.closed_at
    assert at is not None
    text = draft(kind, closed_with_facts, runbook, at, "client_contract_acme")
    assert "Acme Ltd" in text
    for leaked in (*BRIGHTSIDE_FIGURES, *REGRESSION["bad_output"].split(" ... ")[1:]):
        assert leaked.lower() not in text.lower(), leaked
    assert "delete every copy" in text


def test_the_draft_to_the_owning_client_tells_of_its_data_without_naming_the_receiver(
    closed_with_facts: Incident, runbook: Runbook
) -> None:
    at = closed_with_facts.closed_at
    assert at is not None
    text = draft("client", closed_with_facts, runbook, at, "controller_art33_2")
    assert "Brightside Ltd" in text and "revenue figures and staff salaries" in text
    assert "Acme" not in text
    assert "your own 72 hours" in text  # we are the processor


def test_the_letter_to_people_is_plain_and_holds_no_title_id_or_hash(
    closed_with_facts: Incident, runbook: Runbook
) -> None:
    inc, at = closed_with_facts, closed_with_facts.closed_at
    assert at is not None
    text = draft("individuals", inc, runbook, at)
    found = sections(text)
    assert found["Letter"].startswith("Dear [name],")
    assert inc.title not in text and inc.key not in text
    assert "SHA" not in text.upper() and not re.search(r"[0-9a-f]{16}", text)
    assert not any(step in text for step in runbook.systems[0].containment)
    assert found["What information was involved"] == "revenue figures and staff salaries"
    assert "alex@harbourvale.example" in found["Who to contact"]
    assert "ICO" not in found["What we have done"]
    for part in ("What happened", "What this may mean for you", "What you can do"):
        assert found[part], part  # Art 34(2): nature, consequences, measures, contact


@pytest.mark.parametrize("kind", ["pi_insurer", "cyber_insurer"])
def test_each_insurer_notice_carries_what_a_policy_asks_for(
    kind: str, closed_with_facts: Incident, runbook: Runbook
) -> None:
    at = closed_with_facts.closed_at
    assert at is not None
    found = sections(draft(kind, closed_with_facts, runbook, at))
    aware = found["Who first became aware, and how"]
    assert "We became aware: Thu 26 Mar 2026 15:00" in aware and "Sam Okafor" in aware
    assert "Thu 05 Mar 2026" in found["Date of the act"]
    clients = found["Client and matter"]
    assert "Brightside Ltd" in clients and "Acme Ltd" in clients
    assert "Brightside Ltd; Acme Ltd" in found["Potential claimants"]
    assert "without admission of liability" in found["Liability"]
    assert "consent before any costs are incurred" in found["Consent before costs"]
    other = "PI" if kind == "cyber_insurer" else "Cyber"
    assert f"{other} policy" not in draft(kind, closed_with_facts, runbook, at)


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
