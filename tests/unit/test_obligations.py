from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.obligations import due_at, terms, triggered_clocks
from bot.runbook import ClockPolicy, Profile, Runbook
from bot.triggers import AI_ACT_FROM

T0 = datetime(2026, 3, 26, 15, 30, tzinfo=UTC)


def with_profile(runbook: Runbook, **flags: bool | str) -> Runbook:
    profile = replace(runbook.firm.profile, **flags)
    return replace(runbook, firm=replace(runbook.firm, profile=profile))


def test_unsure_counts_as_yes_for_the_ico_clock(runbook: Runbook) -> None:
    found = triggered_clocks(runbook, {"Q1": "unsure", "Q2": "yes", "Q3": "unsure"})
    assert found["ico_art33"] == "Q3"
    assert found["breach_log_art33_5"] == "Q2"


def test_a_no_to_personal_data_sets_aside_later_breach_answers(runbook: Runbook) -> None:
    found = triggered_clocks(runbook, {"Q1": "no", "Q2": "yes", "Q3": "yes"})
    assert "ico_art33" not in found and "breach_log_art33_5" not in found


def test_processor_firms_owe_the_client_notice_until_q5_says_controller(runbook: Runbook) -> None:
    answers = {"Q1": "yes", "Q2": "yes"}
    assert "controller_art33_2" in triggered_clocks(runbook, answers)
    assert "controller_art33_2" not in triggered_clocks(runbook, {**answers, "Q5": "controller"})
    controller_firm = with_profile(runbook, processor_for_clients=False)
    assert "controller_art33_2" not in triggered_clocks(controller_firm, answers)


def test_regulator_clocks_need_the_profile(runbook: Runbook) -> None:
    assert "fca_sup15" not in triggered_clocks(runbook, {"Q10": "yes"})
    fca = with_profile(runbook, fca_authorised=True)
    assert triggered_clocks(fca, {"Q10": "yes"})["fca_sup15"] == "Q10"


def test_ico_deadline_is_72_elapsed_hours_with_the_runbook_reminders(runbook: Runbook) -> None:
    ico = terms(runbook, "ico_art33")
    assert due_at(ico, T0) == T0 + timedelta(hours=72)
    assert ico.reminder_offsets == tuple(timedelta(hours=h) for h in (24, 48, 66, 71))
    assert ico.basis == "law"


def test_fca_immediately_reminds_at_two_hours(runbook: Runbook) -> None:
    fca = terms(with_profile(runbook, fca_authorised=True), "fca_sup15")
    assert fca.reminder_offsets == (timedelta(hours=2),) and fca.within == timedelta(hours=4)


def test_breach_register_is_due_at_close(runbook: Runbook) -> None:
    log = terms(runbook, "breach_log_art33_5")
    assert due_at(log, T0) is None and log.reminder_offsets == ()


def test_the_extra_contract_clock_fires_on_its_question(runbook: Runbook) -> None:
    extra = runbook.clocks.extra[0]
    found = triggered_clocks(runbook, {extra.question: extra.answers[0]})
    assert found[extra.id] == extra.question


def test_profile_defaults_switch_no_regime_on() -> None:
    profile = Profile()
    flags = {k: v for k, v in vars(profile).items() if isinstance(v, bool)}
    assert not any(flags.values()) and not profile.has_professional_body


def test_a_statutory_duration_stays_the_laws_whatever_the_runbook_holds(runbook: Runbook) -> None:
    policies = {"ico_art33": ClockPolicy(timedelta(hours=96), ("priya",))}
    changed = replace(runbook, clocks=replace(runbook.clocks, policies=policies))
    ico = terms(changed, "ico_art33")
    assert ico.within == timedelta(hours=72) and ico.owners == ("priya",)


def test_each_clock_names_the_awareness_it_runs_from_and_its_legal_source(
    runbook: Runbook,
) -> None:
    assert terms(runbook, "ico_art33").runs_from == "breach"
    assert terms(runbook, "pi_insurer").runs_from == "incident"
    assert terms(runbook, "eu_gdpr").source == "EU GDPR Art 33"


def test_with_an_eu_main_establishment_the_lead_authority_is_told(runbook: Runbook) -> None:
    lead = terms(with_profile(runbook, eu_main_establishment=True), "eu_gdpr")
    assert "lead EU supervisory authority" in lead.title
    assert "each EU supervisory authority" in terms(runbook, "eu_gdpr").title


def test_the_ai_act_clock_is_policy_only_before_it_applies(runbook: Runbook) -> None:
    before = terms(runbook, "ai_act_art73_death", AI_ACT_FROM - timedelta(days=1))
    after = terms(runbook, "ai_act_art73_death", AI_ACT_FROM)
    assert before.basis == "policy" and before.wording.startswith("not yet in force")
    assert after.basis == "law" and after.within == timedelta(days=10)


def test_an_acca_firm_never_sees_report_to_the_icaew(runbook: Runbook) -> None:
    acca = with_profile(runbook, professional_body="acca")
    found = triggered_clocks(acca, {"Q1": "no", "Q12": "yes"})
    assert list(found) == ["acca"] and terms(acca, "acca").title == "Report to the ACCA"
