"""The report's account of the response: obligations (those given, waived, and those an
answer ruled out), people, evidence and the close.

sections(incident, runbook, Moments(tz), now)  # -> Obligations … Regression case
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.failures import EVIDENCE_ITEMS, FAILURE_TYPES
from bot.incident import Evidence, Incident
from bot.kinds import EventType
from bot.not_notified import decided_against
from bot.obligations import ClockTerms, Obligation, obligations, terms
from bot.papers.document import Block, Facts, Paragraph, Section, Table
from bot.papers.moments import Moments, late_by, name, person, span
from bot.runbook import Runbook

NOT_CLOSED = "Not recorded: the incident is not closed yet."


def sections(
    incident: Incident, runbook: Runbook, when: Moments, now: datetime
) -> tuple[Section, ...]:
    closing = incident.closing
    return (
        Section("Obligations", (_obligations(incident, runbook, when, now),)),
        Section("People involved", _people(incident, runbook, when)),
        Section("Evidence", (_evidence(incident, when),)),
        Section("Root cause and remediation", (_cause(incident),)),
        Section("Re-enable sign-off", _sign_off(incident, runbook, when)),
        Section("Lessons", (Paragraph(str(closing.get("lessons") or NOT_CLOSED)),)),
        Section("Regression case", (_regression(closing.get("regression") or {}),)),
    )


def _obligations(incident: Incident, runbook: Runbook, when: Moments, now: datetime) -> Table:
    header: tuple[str, ...] = ("Obligation", "Due", "Status", "Done / decided")
    header += ("Reference or reason", "Late by", "Reason for delay")
    rows = tuple(_obligation(ob, when, now) for ob in obligations(runbook, incident, now))
    return Table(header, rows + _ruled_out(incident, runbook, when))


def _ruled_out(incident: Incident, runbook: Runbook, when: Moments) -> tuple[tuple[str, ...], ...]:
    """The notifications an answer kept from opening: a decision not to notify, on the same
    table as those given and waived, with who decided it, when and why."""
    return tuple(
        (
            f"{ob.title} [{_basis(ob)}]",
            "—",
            "ruled out",
            f"{when(n.at)} by {name(n.by)}",
            f"{n.how}: {n.reason or 'no reason given'}",
            "—",
            "—",
        )
        for n in decided_against(incident)
        if n.value
        for ob in (terms(runbook, n.clock, incident.declared_at),)
    )


def settled_text(ob: Obligation) -> str:
    """The reference of a notice given, or the reason recorded for not giving it."""
    rec = ob.record
    if rec.by_answer:
        return f"stopped by the answer to {rec.by_answer}: {rec.reason or 'no reason given'}"
    return rec.reference or rec.reason or "—"


def _obligation(ob: Obligation, when: Moments, now: datetime) -> tuple[str, ...]:
    rec = ob.record
    settled = f"{when(rec.settled_at)} by {name(rec.settled_by)}" if rec.settled_at else "—"
    delay = late_by(ob, now)
    late = span(delay) if delay else "—"
    due = when(ob.due_at) if ob.due_at else "at close"
    title = f"{ob.terms.title} [{_basis(ob.terms)}]"
    return (title, due, ob.status, settled, settled_text(ob), late, rec.overdue_reason or "—")


def _basis(clock: ClockTerms) -> str:
    return "law" if clock.basis == "law" else f"{clock.basis} target"


def _people(incident: Incident, runbook: Runbook, when: Moments) -> tuple[Block, ...]:
    rows = [
        (person(runbook, p.person), f"paged as {_role(p.role)} (attempt {p.attempt + 1})", at)
        for p in incident.pages
        for at in (when(p.at),)
    ]
    rows += [
        (person(runbook, pid), f"acknowledged as {_role(role)}", when(at))
        for role, (pid, at) in incident.acks.items()
    ]
    rows += _involved(incident, when)
    acted = Counter(e.actor.name for e in incident.events)
    said = "; ".join(f"{who} ({n} entries)" for who, n in acted.items())
    return (Table(("Who", "Part", "When"), tuple(rows)), Paragraph(f"On the record: {said}."))


def _role(role: str) -> str:
    return role.replace("_", " ")


def _involved(incident: Incident, when: Moments) -> list[tuple[str, str, str]]:
    at = {str(e.data["id"]): e.at for e in incident.events if e.type == EventType.INVOLVED}
    return [
        (str(v["who"]), f"brought in because of the answer to {v['because']}", when(at.get(i)))
        for i, v in incident.involved.items()
    ]


def _evidence(incident: Incident, when: Moments) -> Table:
    rows = tuple(
        (
            str(e.seq),
            f"{e.item}: {EVIDENCE_ITEMS.get(e.item, '')}" if e.item else "—",
            e.text + (f" [{e.filename}]" if e.filename else "") + _kept(e),
            f"{e.by.name}, {when(e.at)}, via {e.source}, {e.size} bytes",
            e.sha256,
        )
        for e in incident.evidence
    )
    return Table(
        ("#", "Item", "Description", "Collected", "SHA-256"), rows, ("", "", "", "", "hash")
    )


def _kept(e: Evidence) -> str:
    """Where a file's bytes are, or that a link was recorded without fetching its target."""
    if e.link:
        return " (link, not retrieved)"
    kind = f", {e.content_type}" if e.content_type else ""
    return f" (kept at RECORDS_DIR/{e.stored}{kind})" if e.stored else ""


def _cause(incident: Incident) -> Facts:
    closing = incident.closing
    failure = str(closing.get("failure_type") or incident.failure_type)
    return Facts(
        (
            ("Root cause", str(closing.get("root_cause") or NOT_CLOSED)),
            ("Failure type at close", FAILURE_TYPES.get(failure, failure)),
            ("Remediation", str(closing.get("remediation") or NOT_CLOSED)),
        )
    )


def _sign_off(incident: Incident, runbook: Runbook, when: Moments) -> tuple[Block, ...]:
    confirmed = set(incident.closing.get("criteria", ()))
    rows = tuple(
        (c, "confirmed" if c in confirmed else "NOT confirmed") for c in runbook.reenable_criteria
    )
    closed = next((e for e in incident.events if e.type == EventType.CLOSED), None)
    facts = [("Closed by", f"{closed.actor.name}, {when(closed.at)}" if closed else NOT_CLOSED)]
    facts += [
        (f"Override: {e.data['gate']}", f"{e.data['reason']} ({e.actor.name}, {when(e.at)})")
        for e in incident.events
        if e.type == EventType.GATE_OVERRIDDEN
    ]
    return (Table(("Criterion", "At close"), rows), Facts(tuple(facts)))


def _regression(case: Mapping[str, Any]) -> Block:
    if not case:
        return Paragraph("No regression case recorded.")
    return Facts(
        (
            ("Input", _joined(case.get("input"))),
            ("Bad output", str(case.get("bad_output") or "—")),
            ("Must contain", _joined(case.get("must_contain"))),
            ("Must not contain", _joined(case.get("must_not_contain"))),
            ("Notes", str(case.get("notes") or "—")),
        )
    )


def _joined(value: Any) -> str:
    items = [value] if isinstance(value, str) else list(value or ())
    return "; ".join(str(i) for i in items) or "—"
