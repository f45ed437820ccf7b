"""The incident's one live status card: phase, lead, T0, each running clock with its
deadline (the firm's zone and UTC), time left and owner, what is overdue, and the next
thing the room should do. Pinned in the room and updated in place on every change.

    card_lines(incident, runbook, now)
    # -> ("Next: Alex Morgan: answer Q3 — Is it likely to risk those people …?",
    #     "• Report the breach to the ICO — due Sat 28 Mar 2026 09:00 GMT (09:00 UTC), …")
"""

from __future__ import annotations

from datetime import UTC, datetime

from bot.classification import open_questions
from bot.durations import time_left
from bot.incident import Incident, classification_open
from bot.obligations import Obligation, obligations
from bot.runbook import Runbook


def _name(runbook: Runbook, person_id: str | None) -> str:
    person = runbook.find_person(person_id) if person_id else None
    return person.name if person else "nobody named"


def _deadline(ob: Obligation, runbook: Runbook) -> str:
    if ob.due_at is None:
        return "due at close"
    local = ob.due_at.astimezone(runbook.firm.timezone).strftime("%a %d %b %Y %H:%M %Z")
    return f"due {local} ({ob.due_at.astimezone(UTC).strftime('%H:%M UTC')})"


def clock_line(ob: Obligation, runbook: Runbook, now: datetime) -> str:
    owner = _name(runbook, next(iter(ob.terms.owners), None))
    left = f", {time_left(ob.due_at, now)}" if ob.due_at and ob.status != "done" else ""
    flag = "OVERDUE " if ob.status == "overdue" else ""
    return f"• {flag}{ob.terms.title} — {_deadline(ob, runbook)}{left}; owner {owner}; {ob.status}"


def next_action(incident: Incident, runbook: Runbook, now: datetime) -> str:
    """The one thing the room should do next, and who."""
    lead = incident.owner
    if incident.closed_at is not None:
        return "Nothing: the incident is closed."
    if lead is None:
        chain = runbook.roles.get("incident_lead", ())
        return f"{_name(runbook, next(iter(chain), None))}: acknowledge the page to lead."
    system = runbook.system(incident.system)
    if system and not classification_open(incident, runbook):  # the kill switch comes first
        step = next(i for i in range(len(system.containment)) if i not in incident.steps)
        return f"{_name(runbook, lead)}: contain — step {step + 1}, {system.containment[step]}"
    asked = open_questions(runbook.firm.profile, incident.answer_values)
    if asked:
        return f"{_name(runbook, lead)}: answer {asked[0].id} — {asked[0].text}"
    due = [ob for ob in obligations(runbook, incident, now) if ob.open]
    if due:
        first = min(due, key=lambda ob: ob.due_at or datetime.max.replace(tzinfo=UTC))
        return f"{_name(runbook, next(iter(first.terms.owners), None))}: {first.terms.title}"
    return f"{_name(runbook, lead)}: close the incident (/ai-incident close)."


def card_lines(incident: Incident, runbook: Runbook, now: datetime) -> tuple[str, ...]:
    clocks = [clock_line(ob, runbook, now) for ob in obligations(runbook, incident, now)]
    return (f"Next: {next_action(incident, runbook, now)}", *clocks)
