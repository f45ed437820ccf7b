"""The data-protection clocks: UK and EU GDPR, and the ICO's PECR and NIS reports."""

from __future__ import annotations

from dataclasses import replace

from bot.clock_rule import ClockRule, H, law72

GDPR = (
    replace(
        law72("ico_art33", "Report the breach to the ICO", "ICO", "Q3", "UK GDPR Art 33", "ico"),
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
        law72(
            "eu_gdpr",
            "Report to each EU supervisory authority concerned",
            "EU supervisory authorities",
            "Q6",
            "EU GDPR Art 33",
        ),
        name="EU supervisory authorities",
    ),
)

# Reports to the ICO (or the NIS competent authority) that are not about personal data.
NETWORKS = (
    law72(
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
)
