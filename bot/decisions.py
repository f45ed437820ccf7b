"""Pure decisions: given an incident, the runbook, who acts and when, which events follow.

Each function either returns the events to append (possibly none: a repeat changes nothing)
or raises Refused with a message for the person who asked. Nothing here does I/O.

    drafts = answer(incident, runbook, actor, "Q3", "unsure", "", now)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.awareness import awareness_problem, learned_record
from bot.classification import BY_ID, involvements, is_asked, member_states
from bot.failures import EVIDENCE_ITEMS, FAILURE_TYPES
from bot.incident import Incident, classification_open, phase_of
from bot.kinds import EventType
from bot.notice_rules import late_without_reason, waiver_barred
from bot.obligations import terms, triggered_clocks
from bot.runbook import Runbook
from bot.timeline import Actor
from bot.tokens import scrub
from bot.triggers import escalated_clocks

MAX_TITLE = 150
LINK = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
MAX_TEXT = 3000
FUTURE_SLACK = timedelta(minutes=5)


class Refused(Exception):
    """A request the bot will not carry out; the message says why and who may."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class Busy(Refused):
    """The incident stayed busy with other writers past every attempt. Said as a refusal
    where the person waits for the answer; a kept request is left to be worked again."""


class Forbidden(Refused):
    """Refused because the runbook gives this person no say in it: the attempt itself goes
    on the timeline (who, and what they were told), so the record shows it."""


@dataclass(frozen=True)
class Draft:
    type: EventType
    data: dict[str, Any] = field(default_factory=dict)


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


@dataclass(frozen=True)
class CloseForm:
    root_cause: str
    failure_type: str = ""
    criteria: Sequence[str] = ()
    lessons: str = ""
    remediation: str = ""
    override_reason: str = ""
    regression: dict[str, Any] = field(default_factory=dict)


def _names(runbook: Runbook, action: str) -> str:
    people = [f"{p.name} ({p.title})" for p in runbook.who_may(action)]
    return " or ".join(people) if people else "nobody (the runbook grants it to no one)"


def require(runbook: Runbook, actor: Actor, action: str, verb: str) -> None:
    if not runbook.may(actor.person_id, action):
        raise Forbidden(f"Only {_names(runbook, action)} may {verb}.")


def _free(value: str) -> str:
    """Text a person entered, as entered: trimmed, and unable to write the bot's tokens."""
    return scrub(value).strip()


def _text(value: str, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = _free(value)
    if required and not value:
        raise Refused(f"Please give {what}.")
    if len(value) > limit:
        raise Refused(f"{what.capitalize()} is {len(value)} characters; the limit is {limit}.")
    return value


def _line(value: str) -> str:
    """A one-line field (a title, a reference, a file name): line breaks become spaces, so
    no paper made from the record can be given a forged heading or list by it."""
    return " ".join(value.split())


def _open(incident: Incident) -> None:
    if incident.closed_at is not None:
        raise Refused(f"{incident.key} is closed; nothing more can be changed.")


def declare(runbook: Runbook, form: DeclareForm, now: datetime) -> list[Draft]:
    title = _line(_text(form.title, "a title", limit=MAX_TITLE))
    if runbook.system(form.system) is None:
        known = ", ".join(s.id for s in runbook.systems)
        raise Refused(f"Unknown AI system '{form.system}'. The runbook lists: {known}.")
    if form.failure_type not in FAILURE_TYPES:
        raise Refused(f"Unknown failure type '{form.failure_type}'.")
    aware = (form.aware_at or form.vendor_notice_at or now).astimezone(UTC)
    if aware > now + FUTURE_SLACK:
        raise Refused("The time we became aware cannot be in the future.")
    problem = awareness_problem(aware, now)
    if problem and not _free(form.t0_reason):
        raise Refused(f"T0 {problem}: give a reason to confirm it.")
    data = {
        "title": title,
        "system": form.system,
        "failure_type": form.failure_type,
        "noticed": _text(form.noticed, "what was noticed", required=False),
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
        data["t0_reason"] = _text(form.t0_reason, "the reason for this T0")
    return data


def acknowledge(incident: Incident, runbook: Runbook, actor: Actor, role: str) -> list[Draft]:
    _open(incident)
    if role in incident.acks:
        who = runbook.find_person(incident.acks[role][0])
        raise Refused(f"Already acknowledged by {who.name if who else incident.acks[role][0]}.")
    in_chain = actor.person_id in runbook.roles.get(role, ())
    lead_allowed = role == "incident_lead" and runbook.may(actor.person_id, "acknowledge")
    if not (in_chain or lead_allowed):
        names = ", ".join(p.name for p in runbook.chain(role)) or "nobody"
        raise Forbidden(f"Only the {role.replace('_', ' ')} chain ({names}) may acknowledge.")
    return [Draft(EventType.ACKNOWLEDGED, {"role": role, "person": actor.person_id})]


def handover(
    incident: Incident, runbook: Runbook, actor: Actor, to: str, reason: str
) -> list[Draft]:
    """The incident lead passes to `to` (someone who may acknowledge); the lead hands over,
    or another who may acknowledge takes over (the lead off sick, off shift)."""
    _open(incident)
    lead = incident.owner
    if lead is None:
        raise Refused("Nobody leads this incident yet: acknowledge the page first.")
    if actor.person_id != lead and not runbook.may(actor.person_id, "acknowledge"):
        raise Forbidden(f"Only the lead or {_names(runbook, 'acknowledge')} may hand over.")
    if to == lead:
        person = runbook.find_person(to)
        raise Refused(f"{person.name if person else to} already leads this incident.")
    if not runbook.may(to, "acknowledge"):
        raise Refused(f"The lead goes to {_names(runbook, 'acknowledge')}.")
    reason = _text(reason, "the reason", required=False)
    return [
        Draft(
            EventType.HANDED_OVER,
            {"role": "incident_lead", "from": lead, "to": to, "reason": reason},
        )
    ]


def contain(
    incident: Incident, runbook: Runbook, step: int, status: str, reason: str
) -> list[Draft]:
    _open(incident)
    system = runbook.system(incident.system)
    if system is None or not 0 <= step < len(system.containment):
        raise Refused(f"There is no containment step {step + 1} for this system.")
    if status not in ("done", "not_possible"):
        raise Refused("A containment step is either done or not possible.")
    reason = _text(reason, "the reason it is not possible", required=status == "not_possible")
    current = incident.steps.get(step)
    if current and current.status == status and current.reason == reason:
        return []
    return [Draft(EventType.CONTAINMENT_STEP, {"step": step, "status": status, "reason": reason})]


def override_gate(
    incident: Incident, runbook: Runbook, actor: Actor, gate: str, reason: str
) -> list[Draft]:
    _open(incident)
    require(runbook, actor, "override_gate", f"override the {gate} gate")
    reason = _text(reason, "a reason for the override")
    return [Draft(EventType.GATE_OVERRIDDEN, {"gate": gate, "reason": reason})]


def _classification_open(incident: Incident, runbook: Runbook) -> None:
    if classification_open(incident, runbook):
        return
    raise Refused(
        "Classification opens once the kill switch (containment step 1) is done or "
        "recorded as not possible; the other steps carry on meanwhile (or a permitted "
        "person may override with a reason)."
    )


def answer(
    incident: Incident, runbook: Runbook, actor: Actor, question: str, value: str, reason: str
) -> list[Draft]:
    _open(incident)
    _classification_open(incident, runbook)
    q = BY_ID.get(question)
    if q is None or value not in q.options:
        options = ", ".join(q.options) if q else "Q1–Q14"
        raise Refused(f"'{value}' is not an answer to {question}; choose {options}.")
    before = incident.answer_values
    if not is_asked(q, runbook.firm.profile, before):
        raise Refused(f"{question} does not apply to this incident (skipped).")
    named = member_states(_free(reason)) if question == "Q6" else ()
    states = named or incident.eu_states
    if before.get(question) == value and states == incident.eu_states:
        return []
    after = {**before, question: value}
    stops = [
        d
        for d in _clock_changes(incident, runbook, after, question, "", states)
        if d.type == EventType.OBLIGATION_WAIVED
    ]
    if stops:
        require(runbook, actor, "waive_obligation", "stop a running clock")
        reason = _text(reason, f"a reason: this answer stops {_clock_list(stops, runbook)}")
    changes = _clock_changes(incident, runbook, after, question, _free(reason), states)
    data = {
        "question": question,
        "value": value,
        "reason": _free(reason),
        "previous": before.get(question),
    }
    return [Draft(EventType.ANSWERED, data), *changes, *_new_involvements(incident, runbook, after)]


def _clock_list(drafts: Sequence[Draft], runbook: Runbook) -> str:
    """The clocks by their titles, as people read them."""
    return ", ".join(f"“{terms(runbook, str(d.data['clock'])).title}”" for d in drafts)


def _clock_changes(
    incident: Incident,
    runbook: Runbook,
    after: dict[str, str],
    question: str,
    reason: str,
    states: Sequence[str] = (),
) -> list[Draft]:
    wanted = triggered_clocks(runbook, after, incident.declared_at, states)
    escalated = escalated_clocks(incident, runbook, after, states)
    drafts = []
    for clock, because in wanted.items():
        record = incident.obligations.get(clock)
        if record is None:
            drafts.append(Draft(EventType.OBLIGATION_OPENED, {"clock": clock, "because": because}))
        elif record.status == "waived" and (record.by_answer or clock in escalated):
            drafts.append(
                Draft(EventType.OBLIGATION_REOPENED, {"clock": clock, "because": because})
            )
    for clock, record in incident.obligations.items():
        if record.status == "pending" and clock not in wanted:
            data = {"clock": clock, "reason": reason, "by_answer": question}
            drafts.append(Draft(EventType.OBLIGATION_WAIVED, data))
    return drafts


def _new_involvements(incident: Incident, runbook: Runbook, after: dict[str, str]) -> list[Draft]:
    return [
        Draft(
            EventType.INVOLVED,
            {"id": inv.id, "who": inv.who, "because": inv.because, "role": inv.role},
        )
        for inv in involvements(runbook.firm.profile, after)
        if inv.id not in incident.involved
    ]


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
    _open(incident)
    if item is not None and item not in EVIDENCE_ITEMS:
        raise Refused(f"Unknown evidence item '{item}'; the checklist runs E1–E15.")
    text = _text(text, "a description or link for the evidence")
    body = content if content is not None else text.encode("utf-8")
    data = {
        "item": item,
        "text": text,
        "sha256": hashlib.sha256(body).hexdigest(),
        "size": len(body),
        "source": source,
        "filename": _line(_free(filename)),
    }
    extra = {"content_type": _free(content_type)[:200], "stored": stored}
    data |= {k: v for k, v in extra.items() if v}
    if content is None and is_link(text):
        data["link"] = True
    return [Draft(EventType.EVIDENCE_ADDED, data)]


def is_link(text: str) -> bool:
    """Evidence given as a bare link: what it points at is not fetched, only its text hashed."""
    return LINK.fullmatch(text.strip()) is not None


def note(incident: Incident, text: str) -> list[Draft]:
    _open(incident)
    return [Draft(EventType.NOTE, {"text": _text(text, "the note's text")})]


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
    _open(incident)
    require(runbook, actor, "correct_awareness", "correct when the firm became aware (T0)")
    reason = _text(reason, "the reason for correcting T0")
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
    _open(incident)
    _pending(incident, clock)
    if now is not None:
        _delay_explained(incident, runbook, clock, now)
    # The clock's named owner is the one reminded to do it, so may record that it is done.
    if actor.person_id not in terms(runbook, clock).owners:
        require(runbook, actor, "mark_notified", "mark a notification as sent")
    reference = _line(_text(reference, "the reference (case number, email subject, who was told)"))
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
    _open(incident)
    require(runbook, actor, "waive_obligation", "decide not to notify")
    _pending(incident, clock)
    _statutory_and_definite(incident, runbook, clock)
    reason = _text(reason, "the reason for deciding not to notify")
    return [Draft(EventType.OBLIGATION_WAIVED, {"clock": clock, "reason": reason})]


def explain_delay(incident: Incident, clock: str, reason: str) -> list[Draft]:
    _open(incident)
    if clock not in incident.obligations:
        raise Refused(f"There is no '{clock}' obligation on {incident.key}.")
    return [
        Draft(EventType.OVERDUE_REASON, {"clock": clock, "reason": _text(reason, "the reason")})
    ]


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
    _open(incident)
    require(runbook, actor, "close", "close an incident")
    root_cause = _text(form.root_cause, "the root cause (or what is known of it)")
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
                {"gate": "close", "reason": _free(form.override_reason), "blockers": blockers},
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
        "lessons": _free(form.lessons),
        "remediation": _free(form.remediation),
        "regression": {
            k: _free(v) if isinstance(v, str) else v for k, v in form.regression.items()
        },
    }
    return [*drafts, Draft(EventType.CLOSED, data)]


def phase_change(incident: Incident, runbook: Runbook) -> list[Draft]:
    phase = phase_of(incident, runbook)
    return (
        []
        if phase == incident.phase
        else [Draft(EventType.PHASE_CHANGED, {"from": incident.phase, "to": phase})]
    )
