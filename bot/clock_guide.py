"""The clocks in words, for the one-page runbook and the README: the legal source, what
starts each, and which awareness it runs from.

    clock_rows(runbook.firm.profile)
    # -> (("Report the breach to the ICO (UK GDPR Art 33)", "Q3 or Q4 yes/unsure, as
    #      controller — 72 hours from awareness of the breach [law]"), ...)
"""

from __future__ import annotations

from bot.clock_rule import ClockRule
from bot.clock_rules import CLOCKS
from bot.runbook import Profile

STARTS: dict[str, str] = {
    "ico_art33": "a risk to people (Q3 or Q4 yes/unsure), as controller",
    "data_subjects_art34": "a high risk (Q4 yes/unsure), as controller; only with the ICO clock",
    "controller_art33_2": "a breach (Q2) of data we process for a client (Q5 processor/unsure)",
    "breach_log_art33_5": "every personal-data breach (Q2 yes/unsure), reported or not",
    "eu_gdpr": "EU/EEA people affected (Q6) and a risk (Q3 or Q4), as controller",
    "fca_sup15": "serious detriment, reputation or systems failure (Q10), before 18 Mar 2027",
    "fca_ps26_initial": "Q10 from 18 Mar 2027, enhanced firm",
    "fca_ps26_final": "Q10 from 18 Mar 2027, enhanced firm",
    "fca_ps26_report": "Q10 from 18 Mar 2027, standard firm",
    "sra": "a possible serious breach (Q11)",
    "client_candour": "a client affected (Q7 or Q8), SRA firm",
    "court_correction": "an affected output reached a court or tribunal (Q8 → where)",
    "client_recall": "an affected output reached a client (Q8 → where)",
    "regulator_correction": "an affected output reached a regulator (Q8 → where)",
    "public_correction": "an affected output was published (Q8 → where)",
    "icaew": "possible disciplinary action (Q12), ICAEW firm",
    "acca": "possible disciplinary action (Q12), ACCA firm",
    "pecr_reg5a": "a personal-data breach (Q2) in a public communications service",
    "nis_reg11_12": "a significant or substantial impact on the service (Q15)",
    "pi_insurer": "an affected output left the firm or was relied on (Q8)",
    "cyber_insurer": "an attacker (Q9), or any breach (Q2) if the policy covers privacy",
    "ai_act_art73": "serious harm (Q13, severity 'other'), provider; from 2 Dec 2027",
    "ai_act_art73_death": "a death (Q13, severity), provider; from 2 Dec 2027",
    "ai_act_art73_widespread": "widespread or critical infrastructure (Q13), provider",
    "ai_act_provider": "serious harm from a high-risk use (Q13), deployer",
}
FROM = {"breach": "awareness of the breach", "incident": "awareness of the incident"}


def applies(rule: ClockRule, profile: Profile) -> bool:
    """Whether a clock can run for a firm with this profile at all."""
    needs = {
        "eu_gdpr": profile.eu_data_subjects,
        "sra": profile.sra_regulated,
        "client_candour": profile.sra_regulated,
        "icaew": profile.body == "icaew",
        "acca": profile.body == "acca",
        "pecr_reg5a": profile.pecr,
        "nis_reg11_12": profile.nis,
    }
    if rule.id.startswith("fca_"):
        return profile.fca_authorised
    if rule.id.startswith("ai_act_"):
        role = "provider" if rule.id != "ai_act_provider" else "deployer"
        return profile.eu_high_risk_ai and profile.ai_act_role == role
    return needs.get(rule.id, True)


def _deadline(rule: ClockRule) -> str:
    if rule.within is None:
        return "at close"
    hours = rule.within.total_seconds() / 3600
    span = f"{hours / 24:.0f} days" if hours > 72 and hours % 24 == 0 else f"{hours:.0f} hours"
    kind = "law" if rule.basis == "law" else "policy target"
    return f"{span} from {FROM[rule.runs_from]} [{kind}]"


def clock_rows(profile: Profile | None = None) -> tuple[tuple[str, str], ...]:
    """(clock and its source, what starts it and by when); every clock without a profile."""
    return tuple(
        (f"{rule.title} ({rule.source})", f"{STARTS[rule.id]} — {_deadline(rule)}")
        for rule in CLOCKS.values()
        if profile is None or applies(rule, profile)
    )
