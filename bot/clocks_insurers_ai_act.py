"""The insurers' clocks (PI and cyber policy terms) and the EU AI Act's."""

from __future__ import annotations

from dataclasses import replace

from bot.clock_rule import ClockRule, D, H

INSURERS = (
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


AI_ACT = (
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
