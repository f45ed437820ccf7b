"""What the law says about settling a statutory notice: not waived while its trigger is a
definite yes, and not marked done late without the reason for the delay (Art 33(1)).

Each check returns the message for the person, or None when the step is allowed:

    waiver_barred(incident, runbook, "ico_art33")
    # -> "'ico_art33' is required by law while Q3 is a definite yes; ..."
"""

from __future__ import annotations

from datetime import datetime

from bot.incident import Incident
from bot.obligations import obligation, terms
from bot.runbook import Runbook
from bot.triggers import definitely_triggered


def late_without_reason(
    incident: Incident, runbook: Runbook, clock: str, now: datetime
) -> str | None:
    """A statutory notice given after its deadline must say why; the draft carries it."""
    ob = obligation(runbook, incident, clock, now)
    if ob.terms.basis == "law" and ob.status == "overdue" and not ob.record.overdue_reason:
        return (
            f"{ob.terms.title} is past its deadline: record the reason for the delay first "
            "(it goes into the notice), then mark it done."
        )
    return None


def waiver_barred(incident: Incident, runbook: Runbook, clock: str) -> str | None:
    """A clock the law requires cannot be 'decided not to notify' while its trigger is a
    definite yes (an unsure trigger may still be decided against, with a reason)."""
    if terms(runbook, clock, incident.declared_at).basis != "law":
        return None
    answers, states = incident.answer_values, incident.eu_states
    definite = definitely_triggered(runbook, answers, incident.declared_at, states)
    if clock not in definite:
        return None
    return (
        f"'{clock}' is required by law while {definite[clock]} is a definite yes; it cannot "
        "be marked 'decided not to notify'. Change that answer (with a reason) if it is wrong."
    )
