"""The rule paths every platform is driven through, each with exactly the obligations it
must produce (none missing, none extra), and the firm each runs in.

    firm_for(runbook, PATHS[0])   # the runbook with that path's profile
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from bot.runbook import Runbook


@dataclass(frozen=True)
class RulePath:
    name: str
    answers: tuple[tuple[str, str], ...]
    expected: frozenset[str]
    profile: dict[str, bool] = field(default_factory=dict)


PATHS = (
    # A definite processor tells its client; no ICO, individuals or EU clock and no ICO draft.
    RulePath(
        "processor",
        (("Q1", "yes"), ("Q5", "processor"), ("Q2", "yes"), ("Q3", "yes"), ("Q4", "yes")),
        frozenset({"breach_log_art33_5", "controller_art33_2", "cyber_insurer"}),
    ),
    # High risk with Q3 unanswered: the ICO clock opens, and the individuals clock with it.
    RulePath(
        "high-risk-without-risk",
        (("Q1", "yes"), ("Q5", "controller"), ("Q2", "yes"), ("Q4", "yes")),
        frozenset({"breach_log_art33_5", "ico_art33", "data_subjects_art34", "cyber_insurer"}),
    ),
    # EU people affected but no risk: no EU clock and no ICO clock.
    RulePath(
        "eu-without-risk",
        (("Q1", "yes"), ("Q5", "controller"), ("Q2", "yes"), ("Q6", "yes"), ("Q3", "no")),
        frozenset({"breach_log_art33_5", "cyber_insurer"}),
        {"eu_data_subjects": True},
    ),
    # EU people with a risk: one clock per member state named with Q6 (FR, IE).
    RulePath(
        "eu-with-risk-per-state",
        (("Q1", "yes"), ("Q5", "controller"), ("Q2", "yes"), ("Q3", "yes"), ("Q6", "yes")),
        frozenset({"breach_log_art33_5", "ico_art33", "eu_gdpr_fr", "eu_gdpr_ie", "cyber_insurer"}),
        {"eu_data_subjects": True},
    ),
    # An output reached a court: correct the record there; the PI insurer is told.
    RulePath(
        "court",
        (("Q1", "no"), ("Q8", "yes"), ("Q8a", "no"), ("Q8b", "yes"), ("Q8c", "no"), ("Q8d", "no")),
        frozenset({"pi_insurer", "court_correction"}),
    ),
    # An SRA firm whose client's information is involved: candour to the client (and the
    # runbook's own contract clause on Q7).
    RulePath(
        "sra-candour",
        (("Q1", "no"), ("Q7", "yes")),
        frozenset({"client_candour", "client_contract_acme"}),
        {"sra_regulated": True},
    ),
)


def firm_for(runbook: Runbook, path: RulePath) -> Runbook:
    profile = replace(runbook.firm.profile, **path.profile)
    return replace(runbook, firm=replace(runbook.firm, profile=profile))
