"""The notifications themselves: one marked as given (with its reference), a decision not
to notify (with its reason), and the reason a notice is late.

    mark_done(incident, runbook, alex, "ico_art33", "ICO-2026-0042", now)
    waive(incident, runbook, priya, "pi_insurer", "Broker confirms no claim arises")
"""

from __future__ import annotations

from datetime import datetime

from bot.decisions_base import Draft, Refused, one_line, require, still_open, words
from bot.incident import Incident
from bot.kinds import EventType
from bot.notice_rules import late_without_reason, waiver_barred
from bot.obligations import terms
from bot.runbook import Runbook
from bot.timeline import Actor


def _pending(incident: Incident, clock: str) -> None:
    record = incident.obligations.get(clock)
    if record is None:
        raise Refused(f"There is no '{clock}' obligation on {incident.key}.")
    if record.status != "pending":
        raise Refused(f"'{clock}' is already {record.status}.")


def mark_done(
    incident: Incident,
    runbook: Runbook,
    actor: Actor,
    clock: str,
    reference: str,
    now: datetime | None = None,
) -> list[Draft]:
    still_open(incident)
    _pending(incident, clock)
    if now is not None:
        _delay_explained(incident, runbook, clock, now)
    # The clock's named owner is the one reminded to do it, so may record that it is done.
    if actor.person_id not in terms(runbook, clock).owners:
        require(runbook, actor, "mark_notified", "mark a notification as sent")
    reference = one_line(
        words(reference, "the reference (case number, email subject, who was told)")
    )
    return [Draft(EventType.OBLIGATION_DONE, {"clock": clock, "reference": reference})]


def _delay_explained(incident: Incident, runbook: Runbook, clock: str, now: datetime) -> None:
    problem = late_without_reason(incident, runbook, clock, now)
    if problem:
        raise Refused(problem)


def _statutory_and_definite(incident: Incident, runbook: Runbook, clock: str) -> None:
    problem = waiver_barred(incident, runbook, clock)
    if problem:
        raise Refused(problem)


def waive(
    incident: Incident, runbook: Runbook, actor: Actor, clock: str, reason: str
) -> list[Draft]:
    still_open(incident)
    require(runbook, actor, "waive_obligation", "decide not to notify")
    _pending(incident, clock)
    _statutory_and_definite(incident, runbook, clock)
    reason = words(reason, "the reason for deciding not to notify")
    return [Draft(EventType.OBLIGATION_WAIVED, {"clock": clock, "reason": reason})]


def explain_delay(incident: Incident, clock: str, reason: str) -> list[Draft]:
    still_open(incident)
    if clock not in incident.obligations:
        raise Refused(f"There is no '{clock}' obligation on {incident.key}.")
    return [
        Draft(EventType.OVERDUE_REASON, {"clock": clock, "reason": words(reason, "the reason")})
    ]
