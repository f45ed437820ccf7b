"""Closing an incident (what still stands in the way, and an override of it), and the
phase an incident has moved to.

    close(incident, runbook, priya, CloseForm("Cache keyed without the client id"))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.decisions_base import Draft, Refused, free, require, still_open, words
from bot.failures import FAILURE_TYPES
from bot.incident import Incident, phase_of
from bot.kinds import EventType
from bot.obligations import terms
from bot.runbook import Runbook
from bot.timeline import Actor


@dataclass(frozen=True)
class CloseForm:
    root_cause: str
    failure_type: str = ""
    criteria: Sequence[str] = ()
    lessons: str = ""
    remediation: str = ""
    override_reason: str = ""
    regression: dict[str, Any] = field(default_factory=dict)


def _close_blockers(incident: Incident, runbook: Runbook, form: CloseForm) -> list[str]:
    """What is left, by title, each with who owns it."""
    blockers = [
        f"{terms(runbook, c).title} — {_people(runbook, terms(runbook, c).owners[:1])}"
        for c, r in incident.obligations.items()
        if r.status == "pending" and c != "breach_log_art33_5"
    ]
    missing = [c for c in runbook.reenable_criteria if c not in form.criteria]
    lead = _people(runbook, (incident.owner,) if incident.owner else ())
    blockers += [f"re-enable criterion not confirmed: {c} — {lead}" for c in missing]
    return blockers


def _people(runbook: Runbook, ids: Sequence[str]) -> str:
    found = [runbook.find_person(i) for i in ids]
    return ", ".join(p.name for p in found if p) or "no owner named"


def close(incident: Incident, runbook: Runbook, actor: Actor, form: CloseForm) -> list[Draft]:
    still_open(incident)
    require(runbook, actor, "close", "close an incident")
    root_cause = words(form.root_cause, "the root cause (or what is known of it)")
    if form.failure_type and form.failure_type not in FAILURE_TYPES:
        raise Refused(f"Unknown failure type '{form.failure_type}'.")
    blockers = _close_blockers(incident, runbook, form)
    if blockers and not form.override_reason.strip():
        raise Refused("Cannot close yet. Still open:\n" + "\n".join(f"• {b}" for b in blockers))
    drafts = []
    if blockers:
        require(runbook, actor, "override_gate", "close with items still open")
        drafts.append(
            Draft(
                EventType.GATE_OVERRIDDEN,
                {"gate": "close", "reason": free(form.override_reason), "blockers": blockers},
            )
        )
    if incident.obligations.get("breach_log_art33_5", None) and (
        incident.obligations["breach_log_art33_5"].status == "pending"
    ):
        drafts.append(
            Draft(
                EventType.OBLIGATION_DONE,
                {"clock": "breach_log_art33_5", "reference": f"breach register: {incident.key}"},
            )
        )
    data = {
        "root_cause": root_cause,
        "failure_type": form.failure_type or incident.failure_type,
        "criteria": list(form.criteria),
        "lessons": free(form.lessons),
        "remediation": free(form.remediation),
        "regression": {k: free(v) if isinstance(v, str) else v for k, v in form.regression.items()},
    }
    return [*drafts, Draft(EventType.CLOSED, data)]


def phase_change(incident: Incident, runbook: Runbook) -> list[Draft]:
    phase = phase_of(incident, runbook)
    return (
        []
        if phase == incident.phase
        else [Draft(EventType.PHASE_CHANGED, {"from": incident.phase, "to": phase})]
    )
