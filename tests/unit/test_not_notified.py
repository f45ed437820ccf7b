"""A decision not to notify is a decision: which notifications an answer keeps from opening
(compared with the other answers to the same question, the questions not answered yet read
as unsure), and who they would have told."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.incident import Answer, Incident, ObligationRecord
from bot.not_notified import ruled_out, told
from bot.runbook import Runbook
from bot.timeline import Actor
from tests.unit.test_triggers import firm

AT = datetime(2026, 3, 26, 15, 40, tzinfo=UTC)
ALEX = Actor("alex", "Alex Morgan", "alex")
BREACH = {"Q1": "yes", "Q2": "yes"}


def incident(answers: dict[str, str], *running: str) -> Incident:
    return Incident(
        "AI-2026-0001",
        declared_at=AT,
        answers={q: Answer(q, v, ALEX, AT) for q, v in answers.items()},
        obligations={c: ObligationRecord(c, AT, "Q2") for c in running},
    )


CASES = [
    pytest.param(
        {},
        BREACH,
        "Q3",
        "no",
        {"ico_art33", "data_subjects_art34"},
        id="no-risk-keeps-the-ico-and-the-people-untold",
    ),
    pytest.param(
        {},
        {**BREACH, "Q4": "no"},
        "Q3",
        "no",
        {"ico_art33"},
        id="no-risk-when-the-people-are-already-ruled-out",
    ),
    pytest.param(
        {}, {**BREACH, "Q3": "yes"}, "Q4", "no", {"data_subjects_art34"}, id="not-high-risk"
    ),
    pytest.param(
        {"eu_data_subjects": True},
        {**BREACH, "Q3": "yes"},
        "Q6",
        "no",
        {"eu_gdpr"},
        id="no-eu-people-keeps-the-eu-authorities-untold",
    ),
    pytest.param(
        {},
        {**BREACH, "Q3": "yes", "Q4": "yes"},
        "Q5",
        "processor",
        {"ico_art33", "data_subjects_art34"},
        id="a-processor-leaves-the-ico-to-its-client",
    ),
    pytest.param(
        {"sra_regulated": True},
        {},
        "Q11",
        "no",
        {"sra"},
        id="a-regulator-question-skips-its-clock",
    ),
    pytest.param(
        {},
        {},
        "Q8",
        "no",
        {"pi_insurer", "client_recall", "court_correction", "regulator_correction"}
        | {"public_correction"},
        id="no-output-left-the-firm-so-none-is-recalled-or-corrected",
    ),
    pytest.param(
        {"processor_for_clients": True},
        {"Q1": "yes"},
        "Q2",
        "no",
        {"controller_art33_2", "ico_art33", "data_subjects_art34"},
        id="not-a-breach-tells-no-one-and-the-register-is-no-one-told",
    ),
]


@pytest.mark.parametrize(("flags", "answers", "question", "value", "expected"), CASES)
def test_an_answer_rules_out_what_another_answer_would_open(
    runbook: Runbook,
    flags: dict[str, Any],
    answers: dict[str, str],
    question: str,
    value: str,
    expected: set[str],
) -> None:
    found = ruled_out(incident(answers), firm(runbook, **flags), question, value)
    assert set(found) == expected and len(found) == len(expected)


@pytest.mark.parametrize("value", ["yes", "unsure"])
def test_yes_and_unsure_rule_out_nothing(runbook: Runbook, value: str) -> None:
    assert ruled_out(incident(BREACH), firm(runbook), "Q3", value) == ()


def test_a_no_given_first_rules_out_as_much_as_one_given_last(runbook: Runbook) -> None:
    processor = firm(runbook, processor_for_clients=True)
    first = ruled_out(incident({}), processor, "Q1", "no")
    last = ruled_out(incident({"Q2": "yes", "Q3": "yes", "Q4": "yes"}), processor, "Q1", "no")
    assert set(first) == set(last) == {"ico_art33", "data_subjects_art34", "controller_art33_2"}


def test_a_clock_already_running_is_stopping_not_ruling_out(runbook: Runbook) -> None:
    running = incident({**BREACH, "Q3": "yes", "Q4": "yes"}, "ico_art33", "data_subjects_art34")
    assert ruled_out(running, firm(runbook), "Q3", "no") == ()


def test_a_severity_that_only_changes_the_deadline_rules_out_nothing(runbook: Runbook) -> None:
    provider = firm(runbook, eu_high_risk_ai=True, ai_act_role="provider")
    assert ruled_out(incident({"Q13": "yes"}), provider, "Q13a", "other") == ()


def test_a_runbook_clock_is_ruled_out_by_its_title(runbook: Runbook) -> None:
    with_extras = replace(firm(runbook), clocks=runbook.clocks)
    found = ruled_out(incident({}), with_extras, "Q7", "no")
    assert found == ("client_contract_acme",)
    assert told(with_extras, found) == "“Tell Acme Ltd (contract clause 14.2)”"


def test_who_would_have_been_told_reads_as_people_say_it(runbook: Runbook) -> None:
    assert told(runbook, ("ico_art33",)) == "the ICO"
    assert told(runbook, ("ico_art33", "data_subjects_art34")) == "the ICO and the affected people"
    three = ("pi_insurer", "cyber_insurer", "controller_art33_2")
    assert told(runbook, three) == "the PI insurer, the cyber insurer and the client"
