"""Regression cases from closed incidents, and how an output is judged against one."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from bot.incident import Incident
from bot.papers.learn import CaseError, all_cases, cases_jsonl, judge, parse_cases, regression_cases
from tests.unit.closed_seed import REGRESSION


def test_a_closed_incident_yields_its_regression_case(closed: Incident) -> None:
    [case] = regression_cases(closed)
    assert case == {
        "id": f"{closed.key}-1",
        "incident": closed.key,
        "failure_type": "context_leakage",
        "input": REGRESSION["input"],
        "bad_output": REGRESSION["bad_output"],
        "must_contain": ["Acme"],
        "must_not_contain": ["Brightside"],
        "notes": REGRESSION["notes"],
        "link": f"ai-incident export {closed.key} --format html",
    }


def test_several_inputs_make_several_cases(closed: Incident) -> None:
    regression = {**REGRESSION, "input": ["Draft Acme's Q1 report", "Summarise Acme's Q1"]}
    incident = replace(closed, closing={**closed.closing, "regression": regression})
    cases = regression_cases(incident)
    assert [c["id"] for c in cases] == [f"{closed.key}-1", f"{closed.key}-2"]
    assert cases[1]["input"] == "Summarise Acme's Q1"


def test_open_incidents_and_closes_without_an_input_yield_no_case(closed: Incident) -> None:
    assert regression_cases(replace(closed, closed_at=None)) == []
    assert regression_cases(replace(closed, closing={**closed.closing, "regression": {}})) == []


def test_cases_round_trip_through_jsonl_one_per_line(closed: Incident) -> None:
    other = replace(closed, key="AI-2026-0000")
    text = cases_jsonl(all_cases([closed, other]))
    lines = text.splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["AI-2026-0000-1", f"{closed.key}-1"]
    assert parse_cases(text) == all_cases([closed, other])


def test_a_bad_line_is_named(closed: Incident) -> None:
    text = cases_jsonl(regression_cases(closed)) + "{not json\n"
    with pytest.raises(CaseError, match="line 2"):
        parse_cases(text)
    with pytest.raises(CaseError, match="line 1: a case needs an 'input'"):
        parse_cases('{"id": "x"}\n')


def test_the_bad_output_fails_its_case(closed: Incident) -> None:
    [case] = regression_cases(closed)
    verdict = judge(case, str(case["bad_output"]))
    assert not verdict.passed and verdict.present == ("Brightside",)
    assert verdict.line() == f"FAIL {closed.key}-1: contains 'Brightside'"


def test_a_correct_output_passes_and_matching_ignores_case(closed: Incident) -> None:
    [case] = regression_cases(closed)
    assert judge(case, "ACME LTD Q1 report: revenue 0.8m").passed
    assert not judge(case, "Acme Ltd Q1: see BRIGHTSIDE ledger").passed


def test_missing_text_or_a_failed_command_fails_the_case(closed: Incident) -> None:
    [case] = regression_cases(closed)
    assert judge(case, "Q1 report").missing == ("Acme",)
    failed = judge(case, "Acme Ltd", "the command exited 2")
    assert failed.line() == f"FAIL {closed.key}-1: the command exited 2"
