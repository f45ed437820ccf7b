"""The Art 33(5) breach register: every personal-data breach, reported or not, with reasons."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import timedelta

import pytest

from bot import service
from bot.incident import Incident
from bot.papers.register import (
    FIELDS,
    breach_register,
    register_csv,
    register_html,
    register_markdown,
)
from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.service import Deps
from storage.memory import MemoryStore
from tests.conftest import SEED_T0, person
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed, contained_seed
from tests.unit.closed_seed import CORRECTED, DELAY, ICO_REFERENCE, closed_seed

NO_RISK = "Business figures only; no individual could be identified"
NOT_NOTIFYING = "The leaked names were already public on the client's website"


@pytest.fixture
def store() -> IncidentStore:
    return MemoryStore()


async def not_reported_by_answer(deps: Deps) -> Incident:
    incident = await classified_seed(deps)
    alex = person(deps.runbook, "alex")
    return await service.answer(deps, incident.key, alex, "Q3", "no", NO_RISK)


async def test_a_breach_not_reported_is_listed_with_the_reason(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await not_reported_by_answer(deps)
    incident = await service.load(deps, incident.key, whole=True)
    [entry] = breach_register([incident], runbook, SEED_T0 + timedelta(hours=1))
    assert (entry.key, entry.ico_told, entry.ico_told_at) == (incident.key, "no", None)
    decided = "(decided by Alex Morgan at 2026-03-26T15:40:00+00:00)"
    assert entry.reason_not_reported == f"stopped by the answer to Q3: {NO_RISK} {decided}"


async def test_a_decision_not_to_notify_is_listed_with_its_reason(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    alex = person(runbook, "alex")
    incident = await service.mark_obligation(
        deps, incident.key, alex, "ico_art33", "waived", NOT_NOTIFYING
    )
    incident = await service.load(deps, incident.key, whole=True)
    [entry] = breach_register([incident], runbook, SEED_T0 + timedelta(hours=1))
    decided = f"{NOT_NOTIFYING} (decided by Alex Morgan at 2026-03-26T15:40:00+00:00)"
    assert (entry.ico_told, entry.reason_not_reported) == ("no", decided)


async def test_a_late_report_is_listed_with_when_the_ico_was_told_and_why_late(
    deps: Deps, clock: FakeClock, runbook: Runbook
) -> None:
    incident = await closed_seed(deps, clock)
    [entry] = breach_register([incident], runbook, clock.now())
    assert (entry.ico_told, entry.ico_reference) == ("yes", ICO_REFERENCE)
    assert entry.ico_told_at == SEED_T0 + timedelta(hours=75)
    assert entry.reason_for_delay == f"late by 3h 30m: {DELAY}"
    assert entry.closed_at == incident.closed_at and entry.aware_at == incident.aware_at
    assert "Contained: Turn off AI drafts for all users" in entry.remedial_action
    assert "Remediation: Client filter enforced" in entry.remedial_action
    assert "likely risk to people: unsure" in entry.effects
    assert "Acme's Q1 report shows Brightside's revenue" in entry.facts


async def test_a_breach_later_answered_no_stays_on_the_register(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    alex = person(runbook, "alex")
    reason = "The figures were the client's own"
    incident = await service.answer(deps, incident.key, alex, "Q2", "no", reason)
    incident = await service.load(deps, incident.key, whole=True)
    [entry] = breach_register([incident], runbook, SEED_T0 + timedelta(hours=1))
    assert reason in entry.reason_not_reported


async def test_incidents_without_a_personal_data_breach_are_left_off(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await contained_seed(deps)
    alex, why = person(runbook, "alex"), "Only the firm's own figures were shown"
    incident = await service.answer(deps, incident.key, alex, "Q1", "no", why)
    assert breach_register([incident], runbook, SEED_T0) == []


async def test_the_register_reads_as_csv_and_as_markdown(deps: Deps, runbook: Runbook) -> None:
    incident = await not_reported_by_answer(deps)
    incident = await service.load(deps, incident.key, whole=True)
    entries = breach_register([incident], runbook, SEED_T0 + timedelta(hours=1))
    [row] = list(csv.DictReader(io.StringIO(register_csv(entries))))
    assert row["key"] == incident.key
    assert row["aware_at"] == "2026-03-26T15:30:00+00:00"
    assert row["ico_told"] == "no" and NO_RISK in row["reason_not_reported"]
    markdown = register_markdown(entries, runbook)
    assert runbook.firm.name in markdown and f"## {incident.key}:" in markdown
    assert f"**Reason not reported:** stopped by the answer to Q3: {NO_RISK}" in markdown


def test_an_empty_register_says_so(runbook: Runbook) -> None:
    assert "No personal-data breaches recorded." in register_markdown([], runbook)
    assert register_csv([]).startswith("key,title,aware_at,")


async def test_a_breach_judged_no_risk_from_the_start_gives_that_answer_as_the_reason(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await contained_seed(deps)
    alex = person(runbook, "alex")
    for question, value in (("Q1", "yes"), ("Q2", "yes")):
        incident = await service.answer(deps, incident.key, alex, question, value)
    incident = await service.answer(deps, incident.key, alex, "Q3", "no", NO_RISK)
    incident = await service.load(deps, incident.key, whole=True)
    [entry] = breach_register([incident], runbook, SEED_T0 + timedelta(hours=1))
    assert "ico_art33" not in incident.obligations
    assert entry.ico_told == "no"
    assert entry.reason_not_reported.startswith("Q3 answered no by Alex Morgan")
    assert entry.reason_not_reported.endswith(NO_RISK)


def test_the_closed_seeds_row_carries_every_art_33_5_field_and_decision(
    closed_with_facts: Incident, runbook: Runbook
) -> None:
    at = closed_with_facts.closed_at
    assert at is not None
    entries = breach_register([closed_with_facts], runbook, at)
    [row] = list(csv.DictReader(io.StringIO(register_csv(entries))))
    assert set(FIELDS) == set(row) and all(row[f] for f in FILLED), row
    assert row["began"] == "2026-03-05" and row["people_count"] == "10-50"
    assert row["records_count"] == "about 120" and row["people_categories"] == "Brightside's staff"
    assert row["data_categories"] == "revenue figures and staff salaries"
    assert (row["people_told"], row["people_not_told_by"]) == ("no", "Alex Morgan")
    assert row["people_reason_not_told"].startswith("Q4 answered no")
    assert row["original_aware_at"] == SEED_T0.isoformat()
    assert row["aware_at"] == (SEED_T0 - timedelta(minutes=30)).isoformat()
    assert CORRECTED in row["aware_corrections"] and "Sam Okafor" in row["aware_corrections"]


async def test_who_decided_not_to_notify_the_ico_and_when_is_on_the_register(
    deps: Deps, clock: FakeClock, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    clock.advance(timedelta(hours=2))
    incident = await service.mark_obligation(
        deps, incident.key, person(runbook, "priya"), "ico_art33", "waived", NOT_NOTIFYING
    )
    incident = await service.load(deps, incident.key, whole=True)
    [entry] = breach_register([incident], runbook, clock.now())
    assert entry.decided_not_to_notify_by == "Priya Shah"
    assert entry.decided_not_to_notify_at == clock.now()
    html = register_html([entry], runbook)
    assert html.startswith("<!DOCTYPE html>") and "Decided not to notify the ICO" in html
    assert "Priya Shah" in html


FILLED = (
    "key",
    "aware_at",
    "facts",
    "effects",
    "remedial_action",
    "ico_told",
    "ico_told_at",
    "ico_reference",
    "reason_for_delay",
    "began",
    "data_categories",
    "people_categories",
    "people_count",
    "records_count",
    "people_told",
    "people_reason_not_told",
    "people_not_told_by",
    "people_not_told_at",
    "original_aware_at",
    "aware_corrections",
)


async def test_an_ico_notice_an_answer_kept_from_opening_names_who_decided_when_and_why(
    deps: Deps, clock: FakeClock, runbook: Runbook
) -> None:
    incident = await contained_seed(deps)
    alex = person(runbook, "alex")
    for question in ("Q1", "Q2"):
        incident = await service.answer(deps, incident.key, alex, question, "yes")
    clock.advance(timedelta(hours=3))
    incident = await service.answer(deps, incident.key, alex, "Q3", "no", NO_RISK)
    incident = await service.load(deps, incident.key, whole=True)
    [entry] = breach_register([incident], runbook, clock.now())
    assert entry.ico_told == "no" and "ico_art33" not in incident.obligations
    assert (
        entry.reason_not_reported
        == f"Q3 answered no by Alex Morgan at {clock.now().isoformat()}: {NO_RISK}"
    )
    assert (entry.decided_not_to_notify_by, entry.decided_not_to_notify_at) == (
        "Alex Morgan",
        clock.now(),
    )


async def test_the_eu_authorities_an_answer_kept_untold_are_on_the_register(
    deps: Deps, clock: FakeClock, runbook: Runbook
) -> None:
    profile = replace(runbook.firm.profile, eu_data_subjects=True)
    eu = replace(runbook, firm=replace(runbook.firm, profile=profile))
    deps = replace(deps, runbook=eu)
    incident = await classified_seed(deps)
    why = "Every affected person lives in the UK"
    incident = await service.answer(deps, incident.key, person(eu, "alex"), "Q6", "no", why)
    incident = await service.load(deps, incident.key, whole=True)
    [entry] = breach_register([incident], eu, clock.now())
    said = f"Q6 answered no by Alex Morgan at {clock.now().isoformat()}: {why}"
    assert entry.other_notices_not_given == (
        f"Report to each EU supervisory authority concerned — {said}"
    )
    [row] = list(csv.DictReader(io.StringIO(register_csv([entry]))))
    assert row["other_notices_not_given"].endswith(why)
    assert "**Other data-protection notices not given:** Report to each EU" in (
        register_markdown([entry], eu)
    )
