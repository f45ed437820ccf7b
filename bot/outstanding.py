"""What still stands between an incident and its close, in words people read: questions
unanswered and notices pending, each with its owner.

    outstanding(incident, runbook)
    # -> ["Q3 unanswered (Is it likely to risk those people …?)",
    #     "Report the breach to the ICO: pending, owner Alex Morgan"]
"""

from __future__ import annotations

from bot.classification import QUESTIONS, is_asked
from bot.incident import Incident
from bot.obligations import terms
from bot.runbook import Person, Runbook


def outstanding(incident: Incident, runbook: Runbook) -> list[str]:
    """What still stands between this incident and its close, in words."""
    answers = incident.answer_values
    items = [
        f"{q.id} unanswered ({q.text})"
        for q in QUESTIONS
        if is_asked(q, runbook.firm.profile, answers) and q.id not in answers
    ]
    for clock, r in incident.obligations.items():
        if r.status == "pending":
            owner = runbook.find_person(next(iter(terms(runbook, clock).owners), ""))
            items.append(f"{terms(runbook, clock).title}: pending, {_owned_by(owner)}")
    return items


def _owned_by(owner: Person | None) -> str:
    return f"owner {owner.name}" if owner else "no owner named"
