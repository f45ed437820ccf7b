"""The response on the record: containment steps, a gate overridden, evidence, notes, and
a corrected awareness time (T0).

    contain(incident, runbook, 3, "not_possible", "The vendor holds the key")
    add_evidence(incident, "https://status.vendor.example/123", "E4", None, "chat")
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from typing import Any

from bot.awareness import awareness_problem
from bot.decisions_base import Draft, Refused, free, one_line, require, still_open, words
from bot.decisions_start import FUTURE_SLACK
from bot.failures import EVIDENCE_ITEMS
from bot.incident import Incident
from bot.kinds import EventType
from bot.runbook import Runbook
from bot.timeline import Actor

LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


def contain(
    incident: Incident, runbook: Runbook, step: int, status: str, reason: str
) -> list[Draft]:
    still_open(incident)
    system = runbook.system(incident.system)
    if system is None or not 0 <= step < len(system.containment):
        raise Refused(f"There is no containment step {step + 1} for this system.")
    if status not in ("done", "not_possible"):
        raise Refused("A containment step is either done or not possible.")
    reason = words(reason, "the reason it is not possible", required=status == "not_possible")
    current = incident.steps.get(step)
    if current and current.status == status and current.reason == reason:
        return []
    return [Draft(EventType.CONTAINMENT_STEP, {"step": step, "status": status, "reason": reason})]


def override_gate(
    incident: Incident, runbook: Runbook, actor: Actor, gate: str, reason: str
) -> list[Draft]:
    still_open(incident)
    require(runbook, actor, "override_gate", f"override the {gate} gate")
    reason = words(reason, "a reason for the override")
    return [Draft(EventType.GATE_OVERRIDDEN, {"gate": gate, "reason": reason})]


def add_evidence(
    incident: Incident,
    text: str,
    item: str | None,
    content: bytes | None,
    source: str,
    filename: str = "",
    content_type: str = "",
    stored: str = "",
) -> list[Draft]:
    """`stored`: where the file's bytes were kept (bot.evidence_files); a bare link given
    without content is marked as a link, its target not retrieved."""
    still_open(incident)
    if item is not None and item not in EVIDENCE_ITEMS:
        raise Refused(f"Unknown evidence item '{item}'; the checklist runs E1–E15.")
    text = words(text, "a description or link for the evidence")
    body = content if content is not None else text.encode("utf-8")
    data = {
        "item": item,
        "text": text,
        "sha256": hashlib.sha256(body).hexdigest(),
        "size": len(body),
        "source": source,
        "filename": one_line(free(filename)),
    }
    extra = {"content_type": free(content_type)[:200], "stored": stored}
    data |= {k: v for k, v in extra.items() if v}
    if content is None and is_link(text):
        data["link"] = True
    return [Draft(EventType.EVIDENCE_ADDED, data)]


def is_link(text: str) -> bool:
    """Evidence given as a bare link: what it points at is not fetched, only its text hashed."""
    return LINK.fullmatch(text.strip()) is not None


def note(incident: Incident, text: str) -> list[Draft]:
    still_open(incident)
    return [Draft(EventType.NOTE, {"text": words(text, "the note's text")})]


def correct_awareness(
    incident: Incident,
    runbook: Runbook,
    actor: Actor,
    aware_at: datetime,
    reason: str,
    now: datetime,
    which: str = "incident",
    confirmed: bool = False,
) -> list[Draft]:
    """Correct one awareness time ("incident" or "breach"); only its clocks move."""
    still_open(incident)
    require(runbook, actor, "correct_awareness", "correct when the firm became aware (T0)")
    reason = words(reason, "the reason for correcting T0")
    if aware_at.tzinfo is None:
        raise Refused("Give the time with its offset or zone, e.g. 2026-03-26T15:30+00:00.")
    if aware_at > now + FUTURE_SLACK:
        raise Refused("The time we became aware cannot be in the future.")
    new = aware_at.astimezone(UTC)
    problem = awareness_problem(new, incident.declared_at)
    if problem and not confirmed:
        raise Refused(f"That T0 {problem}. If it is right, say so: aware <time> confirm <why>.")
    current = incident.aware_from(which)
    if new == current and (which == "incident" or incident.breach_aware_at is not None):
        return []
    data: dict[str, Any] = {"from": current.isoformat() if current else None}
    data |= {"to": new.isoformat(), "reason": reason, "which": which, "confirmed": confirmed}
    return [Draft(EventType.AWARENESS_CORRECTED, data)]
