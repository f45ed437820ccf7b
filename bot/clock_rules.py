"""The clocks of DOMAIN.md as data: who is told, by when, on what basis, from which moment.

    CLOCKS["ico_art33"].within      # -> 72 hours (UK GDPR Art 33; no runbook may change it)
    CLOCKS["ico_art33"].runs_from   # -> "breach": awareness of a personal-data breach
    CLOCKS["pi_insurer"].runs_from  # -> "incident": awareness of the incident itself

Which clocks an incident's answers start is bot.triggers; how this firm runs each (its
policy targets and owners) is bot.obligations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

H = timedelta(hours=1)
D = timedelta(days=1)


@dataclass(frozen=True)
class ClockRule:
    id: str
    title: str
    recipient: str
    question: str  # the answer that starts it
    within: timedelta | None  # None: due at close (the internal breach register)
    basis: str  # "law" or "policy"
    wording: str  # what the law actually says
    owner_roles: tuple[str, ...]
    style: str = "default"  # "72h", "immediate", "default" or "close"
    draft: str = ""  # the bot.papers.drafts kind its owner can start from; "" for none
    statutory: bool = False  # a duration set by law: the runbook may not change it
    runs_from: str = "incident"  # "incident" or "breach": which awareness time is its T0
    source: str = ""  # the legal source, for the one-pager and the README
    name: str = ""  # a short plain name, where the title is too long for a list or picture

    @property
    def label(self) -> str:
        """The clock's plain name in lists and the timeline picture."""
        return self.name or self.title


def _law72(
    clock_id: str, title: str, recipient: str, question: str, source: str, draft: str = ""
) -> ClockRule:
    return ClockRule(
        clock_id,
        title,
        recipient,
        question,
        72 * H,
        "law",
        f"within 72 hours of awareness ({source})",
        ("dpo",),
        "72h",
        draft=draft,
        statutory=True,
        runs_from="breach",
        source=source,
    )


def _promptly(
    clock_id: str, title: str, recipient: str, question: str, source: str, owners: tuple[str, ...]
) -> ClockRule:
    return ClockRule(
        clock_id,
        title,
        recipient,
        question,
        72 * H,
        "policy",
        f"promptly ({source})",
        owners,
        "72h",
        source=source,
    )


def _art73(clock_id: str, days: int, when: str) -> ClockRule:
    return ClockRule(
        clock_id,
        f"Report the serious incident to the market surveillance authority ({when})",
        "market surveillance authority",
        "Q13a",
        days * D,
        "law",
        f"within {days} days of awareness, {when} (EU AI Act Art 73); do not alter the "
        "system before telling the authority",
        ("compliance",),
        statutory=True,
        source="EU AI Act Art 73",
    )


_RULES = (
    replace(
        _law72("ico_art33", "Report the breach to the ICO", "ICO", "Q3", "UK GDPR Art 33", "ico"),
        name="ICO (UK GDPR Art 33)",
    ),
    ClockRule(
        "data_subjects_art34",
        "Tell the affected people",
        "affected people",
        "Q4",
        72 * H,
        "policy",
        "without undue delay (UK GDPR Art 34)",
        ("dpo",),
        "72h",
        draft="individuals",
        runs_from="breach",
        source="UK GDPR Art 34",
        name="Tell affected people (UK GDPR Art 34)",
    ),
    ClockRule(
        "controller_art33_2",
        "Tell the client (we are its processor)",
        "the client",
        "Q5",
        24 * H,
        "policy",
        "without undue delay (UK GDPR Art 33(2))",
        ("dpo",),
        draft="client",
        runs_from="breach",
        source="UK GDPR Art 33(2)",
        name="Tell the client we process data for (Art 33(2))",
    ),
    ClockRule(
        "breach_log_art33_5",
        "Record the breach in the breach register",
        "internal register",
        "Q2",
        None,
        "law",
        "every breach, reported or not (UK GDPR Art 33(5))",
        ("dpo",),
        "close",
        runs_from="breach",
        source="UK GDPR Art 33(5)",
        name="Internal breach log (Art 33(5))",
    ),
    replace(
        _law72(
            "eu_gdpr",
            "Report to each EU supervisory authority concerned",
            "EU supervisory authorities",
            "Q6",
            "EU GDPR Art 33",
        ),
        name="EU supervisory authorities",
    ),
    ClockRule(
        "fca_sup15",
        "Notify the FCA",
        "FCA",
        "Q10",
        4 * H,
        "policy",
        "immediately (FCA SUP 15.3)",
        ("compliance",),
        "immediate",
        source="FCA SUP 15.3",
        name="FCA (SUP 15)",
    ),
    ClockRule(
        "fca_ps26_initial",
        "Initial operational incident report to the FCA",
        "FCA",
        "Q10",
        24 * H,
        "law",
        "within 24 hours of the threshold being met, then intermediate updates (FCA PS26/2, "
        "enhanced firm)",
        ("compliance",),
        source="FCA PS26/2",
    ),
    ClockRule(
        "fca_ps26_final",
        "Final operational incident report to the FCA",
        "FCA",
        "Q10",
        42 * D,
        "law",
        "within 30 working days (FCA PS26/2, enhanced firm; shown as six calendar weeks: "
        "bring it forward for bank holidays)",
        ("compliance",),
        source="FCA PS26/2",
    ),
    ClockRule(
        "fca_ps26_report",
        "Operational incident report to the FCA",
        "FCA",
        "Q10",
        72 * H,
        "policy",
        "one report (FCA PS26/2, standard firm)",
        ("compliance",),
        "72h",
        source="FCA PS26/2",
    ),
    replace(
        _promptly(
            "sra",
            "Report to the SRA via the COLP/COFA",
            "SRA",
            "Q11",
            "SRA Code for Firms 3.9",
            ("compliance",),
        ),
        name="SRA",
    ),
    ClockRule(
        "client_candour",
        "Tell the client what happened and its likely impact",
        "the client",
        "Q7",
        72 * H,
        "policy",
        "promptly (SRA Code for Solicitors 7.11)",
        ("incident_lead",),
        "72h",
        draft="client",
        source="SRA Code for Solicitors 7.11",
    ),
    ClockRule(
        "court_correction",
        "Correct the record with the court or tribunal",
        "the court or tribunal",
        "Q8b",
        24 * H,
        "policy",
        "promptly (duty not to mislead the court; SRA Code for Solicitors 2.4, 2.7)",
        ("supervising_solicitor", "compliance"),
        source="SRA Code for Solicitors 2.4, 2.7",
    ),
    ClockRule(
        "client_recall",
        "Recall or correct the output and tell the client",
        "the client",
        "Q8a",
        24 * H,
        "policy",
        "promptly (the firm's duty of care to its client)",
        ("incident_lead",),
        draft="client",
        source="duty of care",
    ),
    ClockRule(
        "regulator_correction",
        "Correct the output given to the regulator",
        "the regulator",
        "Q8c",
        24 * H,
        "policy",
        "promptly (a regulated firm must not leave a regulator misled)",
        ("compliance",),
        source="regulator's rules",
    ),
    ClockRule(
        "public_correction",
        "Withdraw or correct the published output",
        "the public",
        "Q8d",
        24 * H,
        "policy",
        "promptly (the firm's policy)",
        ("incident_lead",),
        source="firm policy",
    ),
    replace(
        _promptly("icaew", "Report to the ICAEW", "ICAEW", "Q12", "ICAEW DBL 6.1", ("compliance",)),
        name="ICAEW",
    ),
    _promptly(
        "acca",
        "Report to the ACCA",
        "ACCA",
        "Q12",
        "ACCA Rulebook, duty to report",
        ("compliance",),
    ),
    _law72(
        "pecr_reg5a",
        "Report the PECR breach to the ICO",
        "ICO (and subscribers if adversely affected)",
        "Q2",
        "PECR reg 5A",
    ),
    ClockRule(
        "nis_reg11_12",
        "Report the incident to the NIS competent authority",
        "competent authority (the ICO for digital service providers)",
        "Q15",
        72 * H,
        "law",
        "within 72 hours of awareness (NIS Regulations 2018 regs 11-12)",
        ("compliance",),
        "72h",
        statutory=True,
        source="NIS Regulations 2018 regs 11-12",
    ),
    ClockRule(
        "pi_insurer",
        "Notify the PI insurer",
        "PI insurer",
        "Q8",
        48 * H,
        "policy",
        "as soon as practicable (policy terms)",
        ("managing_partner",),
        draft="insurer",
        source="PI policy terms",
        name="PI insurer",
    ),
    ClockRule(
        "cyber_insurer",
        "Give the cyber insurer formal notice",
        "cyber insurer",
        "Q9",
        24 * H,
        "policy",
        "as soon as practicable (policy terms)",
        ("managing_partner",),
        draft="insurer",
        source="cyber policy terms",
        name="Cyber insurer",
    ),
    replace(_art73("ai_act_art73", 15, "serious harm"), name="EU AI Act Art 73 authority"),
    _art73("ai_act_art73_death", 10, "a death"),
    _art73("ai_act_art73_widespread", 2, "widespread infringement or critical infrastructure"),
    ClockRule(
        "ai_act_provider",
        "Tell the AI system's provider",
        "the provider",
        "Q13",
        4 * H,
        "policy",
        "immediately (EU AI Act Art 26(5), Art 73)",
        ("compliance",),
        "immediate",
        source="EU AI Act Art 26(5)",
    ),
)

CLOCKS: dict[str, ClockRule] = {r.id: r for r in _RULES}
# Durations set by law (the runbook may name owners, never the time allowed).
STATUTORY = tuple(r.id for r in _RULES if r.statutory)
