"""Declaring an incident, and who leads it: the acknowledgement and a hand-over.

declare(runbook, DeclareForm(title, "drafting-assistant", "context_leakage"), now)
acknowledge(incident, runbook, actor, "incident_lead")   # -> [Draft(acknowledged)]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.awareness import awareness_problem, learned_record
from bot.decisions_base import (
    Draft,
    Forbidden,
    Refused,
    free,
    names,
    one_line,
    still_open,
    words,
)
from bot.failures import FAILURE_TYPES
from bot.incident import Incident
from bot.kinds import EventType
from bot.runbook import Runbook
from bot.timeline import Actor

MAX_TITLE = 150
FUTURE_SLACK = timedelta(minutes=5)


@dataclass(frozen=True)
class DeclareForm:
    title: str
    system: str
    failure_type: str
    noticed: str = ""
    aware_at: datetime | None = None
    learned_via: str = ""  # own_staff, client, vendor_notice, monitoring_alert
    vendor_notice_at: datetime | None = None  # when the vendor's notice reached us
    vendor_aware_at: datetime | None = None  # when the vendor says it became aware
    t0_reason: str = ""  # confirms a T0 more than 30 days back


def declare(runbook: Runbook, form: DeclareForm, now: datetime) -> list[Draft]:
    title = one_line(words(form.title, "a title", limit=MAX_TITLE))
    if runbook.system(form.system) is None:
        known = ", ".join(s.id for s in runbook.systems)
        raise Refused(f"Unknown AI system '{form.system}'. The runbook lists: {known}.")
    if form.failure_type not in FAILURE_TYPES:
        raise Refused(f"Unknown failure type '{form.failure_type}'.")
    aware = (form.aware_at or form.vendor_notice_at or now).astimezone(UTC)
    if aware > now + FUTURE_SLACK:
        raise Refused("The time we became aware cannot be in the future.")
    problem = awareness_problem(aware, now)
    if problem and not free(form.t0_reason):
        raise Refused(f"T0 {problem}: give a reason to confirm it.")
    data = {
        "title": title,
        "system": form.system,
        "failure_type": form.failure_type,
        "noticed": words(form.noticed, "what was noticed", required=False),
        "aware_at": aware.isoformat(),
        **_learned(form, now),
    }
    return [Draft(EventType.DECLARED, data)]


def _learned(form: DeclareForm, now: datetime) -> dict[str, Any]:
    try:
        data = learned_record(form.learned_via, form.vendor_notice_at, form.vendor_aware_at, now)
    except ValueError as error:
        raise Refused(str(error)) from None
    if form.t0_reason:
        data["t0_reason"] = words(form.t0_reason, "the reason for this T0")
    return data


def acknowledge(incident: Incident, runbook: Runbook, actor: Actor, role: str) -> list[Draft]:
    still_open(incident)
    if role in incident.acks:
        who = runbook.find_person(incident.acks[role][0])
        raise Refused(f"Already acknowledged by {who.name if who else incident.acks[role][0]}.")
    in_chain = actor.person_id in runbook.roles.get(role, ())
    lead_allowed = role == "incident_lead" and runbook.may(actor.person_id, "acknowledge")
    if not (in_chain or lead_allowed):
        chain = ", ".join(p.name for p in runbook.chain(role)) or "nobody"
        raise Forbidden(f"Only the {role.replace('_', ' ')} chain ({chain}) may acknowledge.")
    return [Draft(EventType.ACKNOWLEDGED, {"role": role, "person": actor.person_id})]


def handover(
    incident: Incident, runbook: Runbook, actor: Actor, to: str, reason: str
) -> list[Draft]:
    """The incident lead passes to `to` (someone who may acknowledge); the lead hands over,
    or another who may acknowledge takes over (the lead off sick, off shift)."""
    still_open(incident)
    lead = incident.owner
    if lead is None:
        raise Refused("Nobody leads this incident yet: acknowledge the page first.")
    if actor.person_id != lead and not runbook.may(actor.person_id, "acknowledge"):
        raise Forbidden(f"Only the lead or {names(runbook, 'acknowledge')} may hand over.")
    if to == lead:
        person = runbook.find_person(to)
        raise Refused(f"{person.name if person else to} already leads this incident.")
    if not runbook.may(to, "acknowledge"):
        raise Refused(f"The lead goes to {names(runbook, 'acknowledge')}.")
    reason = words(reason, "the reason", required=False)
    return [
        Draft(
            EventType.HANDED_OVER,
            {"role": "incident_lead", "from": lead, "to": to, "reason": reason},
        )
    ]
