"""Which clocks the answers start: one row per rule of DOMAIN.md, the whole set asserted."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.runbook import Runbook
from bot.triggers import definitely_triggered, triggered_clocks

BEFORE_PS26 = datetime(2027, 3, 17, 23, 59, tzinfo=UTC)
FROM_PS26 = datetime(2027, 3, 18, 0, 0, tzinfo=UTC)
BREACH = {"Q1": "yes", "Q2": "yes"}
CONTROLLER = {**BREACH, "Q5": "controller"}
PROCESSOR = {**BREACH, "Q5": "processor"}
QUIET = {"cyber_policy_covers_privacy": False, "processor_for_clients": False}


def firm(runbook: Runbook, **flags: Any) -> Runbook:
    profile = replace(runbook.firm.profile, **{**QUIET, **flags})
    no_extras = replace(runbook.clocks, extra=())
    return replace(runbook, firm=replace(runbook.firm, profile=profile), clocks=no_extras)


RULES = [
    # 1. Processor: the client is told; no ICO, individuals or EU clock of its own.
    pytest.param(
        {"eu_data_subjects": True},
        {**PROCESSOR, "Q3": "yes", "Q4": "yes", "Q6": "yes"},
        {"breach_log_art33_5", "controller_art33_2"},
        id="1-definite-processor-tells-only-the-client",
    ),
    pytest.param(
        {"eu_data_subjects": True},
        {**BREACH, "Q5": "unsure", "Q3": "yes", "Q4": "yes", "Q6": "yes"},
        {"breach_log_art33_5", "controller_art33_2", "ico_art33", "data_subjects_art34", "eu_gdpr"},
        id="1-unsure-role-keeps-both-paths",
    ),
    pytest.param(
        {},
        {**CONTROLLER, "Q3": "yes"},
        {"breach_log_art33_5", "ico_art33"},
        id="1-controller-reports-to-the-ico",
    ),
    # 2. High risk implies risk; Art 34 never without Art 33.
    pytest.param(
        {},
        {**CONTROLLER, "Q4": "yes"},
        {"breach_log_art33_5", "ico_art33", "data_subjects_art34"},
        id="2-high-risk-without-a-q3-answer-opens-the-ico-clock",
    ),
    pytest.param(
        {},
        {**CONTROLLER, "Q3": "no", "Q4": "yes"},
        {"breach_log_art33_5"},
        id="2-q3-no-skips-q4",
    ),
    pytest.param(
        {},
        {**PROCESSOR, "Q4": "yes"},
        {"breach_log_art33_5", "controller_art33_2"},
        id="2-no-individuals-clock-without-the-ico-clock",
    ),
    # 4. EU authorities need a risk, as controller.
    pytest.param(
        {"eu_data_subjects": True},
        {**CONTROLLER, "Q3": "no", "Q6": "yes"},
        {"breach_log_art33_5"},
        id="4-eu-people-without-a-risk-open-no-eu-clock",
    ),
    pytest.param(
        {"eu_data_subjects": True},
        {**CONTROLLER, "Q3": "unsure", "Q6": "yes"},
        {"breach_log_art33_5", "ico_art33", "eu_gdpr"},
        id="4-eu-people-with-a-risk-open-the-eu-clock",
    ),
    # 6. Where the output went.
    pytest.param(
        {},
        {"Q1": "no", "Q8": "yes", "Q8a": "yes", "Q8b": "unsure", "Q8c": "no", "Q8d": "no"},
        {"pi_insurer", "client_recall", "court_correction"},
        id="6-output-to-a-client-and-maybe-a-court",
    ),
    pytest.param(
        {},
        {"Q1": "no", "Q8": "no", "Q8b": "yes"},
        set(),
        id="6-where-is-not-asked-when-nothing-left-the-firm",
    ),
    pytest.param(
        {},
        {"Q1": "no", "Q8": "yes", "Q8c": "yes", "Q8d": "yes"},
        {"pi_insurer", "regulator_correction", "public_correction"},
        id="6-output-to-a-regulator-and-the-public",
    ),
    # 7. SRA candour to an affected client.
    pytest.param(
        {"sra_regulated": True},
        {"Q1": "no", "Q7": "yes"},
        {"client_candour"},
        id="7-sra-firm-tells-the-affected-client",
    ),
    pytest.param(
        {"sra_regulated": True},
        {"Q1": "no", "Q7": "no", "Q8": "unsure"},
        {"client_candour", "pi_insurer"},
        id="7-sra-candour-also-when-an-output-left-the-firm",
    ),
    pytest.param(
        {},
        {"Q1": "no", "Q7": "yes"},
        set(),
        id="7-no-candour-clock-for-a-firm-the-sra-does-not-regulate",
    ),
    # 11. Professional body, PECR and NIS from the profile.
    pytest.param(
        {"professional_body": "acca"},
        {"Q1": "no", "Q12": "yes"},
        {"acca"},
        id="11-an-acca-firm-reports-to-the-acca-not-the-icaew",
    ),
    pytest.param(
        {"professional_body": "none"},
        {"Q1": "no", "Q12": "yes"},
        set(),
        id="11-no-professional-body-no-disciplinary-question",
    ),
    pytest.param(
        {"pecr": True},
        {**CONTROLLER, "Q3": "no"},
        {"breach_log_art33_5", "pecr_reg5a"},
        id="11-pecr-service-reports-its-breach",
    ),
    pytest.param(
        {"nis": True},
        {"Q1": "no", "Q15": "yes"},
        {"nis_reg11_12"},
        id="11-nis-significant-impact",
    ),
    pytest.param(
        {},
        {"Q1": "no", "Q15": "yes"},
        set(),
        id="11-nis-question-needs-the-profile",
    ),
    # 9. AI Act Art 73: deployer tells the provider; a provider reports by severity.
    pytest.param(
        {"eu_high_risk_ai": True},
        {"Q1": "no", "Q13": "yes"},
        {"ai_act_provider"},
        id="9-deployer-tells-the-provider",
    ),
    pytest.param(
        {"eu_high_risk_ai": True, "ai_act_role": "provider"},
        {"Q1": "no", "Q13": "yes", "Q13a": "death"},
        {"ai_act_art73_death"},
        id="9-provider-reports-a-death-in-10-days",
    ),
    pytest.param(
        {"eu_high_risk_ai": True, "ai_act_role": "provider"},
        {"Q1": "no", "Q13": "yes", "Q13a": "other"},
        {"ai_act_art73"},
        id="9-provider-reports-other-serious-harm-in-15-days",
    ),
    pytest.param(
        {"eu_high_risk_ai": True, "ai_act_role": "provider"},
        {"Q1": "no", "Q13": "unsure"},
        {"ai_act_art73_widespread"},
        id="9-severity-not-yet-known-runs-the-shortest",
    ),
]


@pytest.mark.parametrize(("profile", "answers", "expected"), RULES)
def test_each_rule_opens_exactly_its_clocks(
    runbook: Runbook, profile: dict[str, Any], answers: dict[str, str], expected: set[str]
) -> None:
    assert set(triggered_clocks(firm(runbook, **profile), answers)) == expected


FCA = [
    pytest.param("standard", BEFORE_PS26, {"fca_sup15"}, id="8-before-18-march-2027-sup15"),
    pytest.param("enhanced", BEFORE_PS26, {"fca_sup15"}, id="8-enhanced-before-ps26-sup15"),
    pytest.param("standard", FROM_PS26, {"fca_ps26_report"}, id="8-standard-firm-one-report"),
    pytest.param(
        "enhanced",
        FROM_PS26,
        {"fca_ps26_initial", "fca_ps26_final"},
        id="8-enhanced-firm-initial-and-final",
    ),
]


@pytest.mark.parametrize(("tier", "declared", "expected"), FCA)
def test_fca_reports_follow_the_regime_in_force_at_declaration(
    runbook: Runbook, tier: str, declared: datetime, expected: set[str]
) -> None:
    fca = firm(runbook, fca_authorised=True, fca_firm=tier)
    assert set(triggered_clocks(fca, {"Q1": "no", "Q10": "yes"}, declared)) == expected


def test_an_unsure_trigger_is_not_a_definite_one(runbook: Runbook) -> None:
    plain = firm(runbook)
    assert "ico_art33" not in definitely_triggered(plain, {**CONTROLLER, "Q3": "unsure"})
    assert "ico_art33" in definitely_triggered(plain, {**CONTROLLER, "Q3": "yes"})
    assert "ico_art33" not in definitely_triggered(plain, {**BREACH, "Q5": "unsure", "Q3": "yes"})


EU_RISK = {**CONTROLLER, "Q3": "yes", "Q6": "yes"}


@pytest.mark.parametrize(
    ("flags", "states", "expected"),
    [
        pytest.param({}, ("FR", "IE"), {"eu_gdpr_fr", "eu_gdpr_ie"}, id="4-one-clock-per-state"),
        pytest.param({}, (), {"eu_gdpr"}, id="4-states-not-yet-named-one-clock"),
        pytest.param(
            {"eu_main_establishment": True}, ("FR", "IE"), {"eu_gdpr"}, id="4-lead-authority"
        ),
    ],
)
def test_eu_clocks_follow_the_member_states_or_the_lead_authority(
    runbook: Runbook, flags: dict[str, bool], states: tuple[str, ...], expected: set[str]
) -> None:
    eu = firm(runbook, eu_data_subjects=True, **flags)
    found = set(triggered_clocks(eu, EU_RISK, None, states))
    assert {c for c in found if c.startswith("eu_gdpr")} == expected


def test_member_states_are_read_from_the_answer_text() -> None:
    from bot.classification import member_states

    assert member_states("France (FR), ie and DE; not UK or US") == ("FR", "IE", "DE")
