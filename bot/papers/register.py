"""The breach register UK GDPR Art 33(5) asks for: every personal-data breach, reported or not.

An incident is on it if Q2 (was the data disclosed, accessed, altered, lost or made
unavailable?) was answered yes or unsure at any point, even if later changed: the register
keeps the facts, the effects, the remedial action, whether and when the ICO was told, and
the reasons recorded for not reporting or for reporting late.

    entries = breach_register(incidents, runbook, now)
    register_csv(entries)       # one row per breach, times in UTC (ISO 8601)
    register_markdown(entries, runbook)
    register_html(entries, runbook)   # the same, one printable page
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime

from bot.classification import counts_as_yes
from bot.failures import FAILURE_TYPES
from bot.incident import Answer, Incident
from bot.not_notified import ruled_out_by_answer
from bot.obligations import obligation
from bot.papers.containment import contained
from bot.papers.document import Facts, Section, render_html, render_markdown
from bot.papers.moments import Moments, late_by, span
from bot.papers.register_decisions import details, said
from bot.papers.report_response import settled_text
from bot.runbook import Runbook

EFFECTS = (
    ("Q2", "data disclosed, accessed, altered, lost or unavailable"),
    ("Q3", "likely risk to people"),
    ("Q4", "high risk to people"),
    ("Q5", "our role"),
    ("Q7", "client confidential information"),
    ("Q8", "output left the firm or was relied on"),
    ("Q14", "harm still ongoing"),
)


@dataclass(frozen=True)
class BreachEntry:
    key: str
    title: str
    aware_at: datetime | None
    declared_at: datetime | None
    closed_at: datetime | None
    facts: str
    effects: str
    remedial_action: str
    ico_told: str  # yes, no, or "not yet"
    ico_told_at: datetime | None
    ico_reference: str
    reason_not_reported: str
    reason_for_delay: str
    # Filled by bot.register_decisions: the facts recorded and the Art 34 decision.
    began: str = ""  # an ISO date or time, "unknown", or "" while not recorded
    data_categories: str = ""
    people_categories: str = ""
    people_count: str = ""
    records_count: str = ""
    people_told: str = ""  # Art 34: yes, no, not yet, not decided
    people_told_at: datetime | None = None
    people_reason_not_told: str = ""
    people_not_told_by: str = ""
    people_not_told_at: datetime | None = None
    decided_not_to_notify_by: str = ""  # the ICO notice
    decided_not_to_notify_at: datetime | None = None
    original_aware_at: datetime | None = None  # T0 as declared
    aware_corrections: str = ""
    other_notices_not_given: str = ""  # the client we process for, EU authorities, PECR


def is_breach(incident: Incident) -> bool:
    return any(a.question == "Q2" and counts_as_yes(a.value) for a in incident.history)


def breach_register(
    incidents: Sequence[Incident], runbook: Runbook, now: datetime
) -> list[BreachEntry]:
    breaches = (i for i in incidents if is_breach(i))
    return [entry(i, runbook, now) for i in sorted(breaches, key=lambda i: i.key)]


def entry(incident: Incident, runbook: Runbook, now: datetime) -> BreachEntry:
    return replace(_entry(incident, runbook, now), **details(incident, runbook, now))


def _entry(incident: Incident, runbook: Runbook, now: datetime) -> BreachEntry:
    told, at, reference, not_reported, delay = _ico(incident, runbook, now)
    return BreachEntry(
        incident.key,
        incident.title,
        incident.aware_at,
        incident.declared_at,
        incident.closed_at,
        _facts(incident, runbook),
        _effects(incident),
        remedial_action(incident, runbook),
        told,
        at,
        reference,
        not_reported,
        delay,
    )


def _facts(incident: Incident, runbook: Runbook) -> str:
    system = runbook.system(incident.system)
    failure = FAILURE_TYPES.get(incident.failure_type, incident.failure_type)
    said = f"{failure} in {system.name if system else incident.system}: {incident.title}."
    return said + (f" Noticed: {incident.noticed}" if incident.noticed else "")


def _effects(incident: Incident) -> str:
    answers = incident.answers
    return "; ".join(f"{label}: {answers[q].value}" for q, label in EFFECTS if q in answers)


def remedial_action(incident: Incident, runbook: Runbook) -> str:
    done = contained(incident, runbook)
    parts = [f"Contained: {'; '.join(done)}."] if done else []
    remedy = incident.closing.get("remediation")
    return " ".join(parts + ([f"Remediation: {remedy}"] if remedy else [])) or "None recorded yet."


def _ico(
    incident: Incident, runbook: Runbook, now: datetime
) -> tuple[str, datetime | None, str, str, str]:
    """(told, when, reference, reason not reported, reason for delay) for the ICO notice."""
    if "ico_art33" not in incident.obligations:
        return ("no", None, "", _ruled_out(incident), "")
    ob = obligation(runbook, incident, "ico_art33", now)
    rec, late = ob.record, late_by(ob, now)
    delay = rec.overdue_reason or ("no reason recorded" if late else "")
    delay = f"late by {span(late)}: {delay}" if late else delay
    if ob.status == "done":
        return ("yes", rec.settled_at, rec.reference, "", delay)
    if ob.status == "waived":  # a decision not to notify: why, who decided, and when
        by = rec.settled_by.name if rec.settled_by else "unknown"
        at = rec.settled_at.isoformat() if rec.settled_at else "?"
        return ("no", None, "", f"{settled_text(ob)} (decided by {by} at {at})", delay)
    return ("not yet", None, "", "", delay)


def _ruled_out(incident: Incident) -> str:
    """Why no ICO clock ever ran: the answer that ruled it out, with its recorded reason."""
    ruled = ruled_out_by_answer(incident, "ico_art33")
    if ruled is not None:
        return said(ruled)
    latest = [incident.answers.get(q) for q in ("Q1", "Q2", "Q3")]
    no = next((a for a in latest if a is not None and a.value == "no"), None)
    return _said(no) if no else "Q3 (likely risk to people) not answered"


def _said(answer: Answer) -> str:
    reason = answer.reason or "no reason recorded"
    return f"{answer.question} answered no by {answer.by.name} at {answer.at.isoformat()}: {reason}"


FIELDS = tuple(BreachEntry.__dataclass_fields__)


def register_csv(entries: Sequence[BreachEntry]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for e in entries:
        writer.writerow(
            {k: v.isoformat() if isinstance(v, datetime) else v for k, v in asdict(e).items()}
        )
    return out.getvalue()


def register_markdown(entries: Sequence[BreachEntry], runbook: Runbook) -> str:
    when = Moments(runbook.firm.timezone)
    title = f"Breach register (UK GDPR Art 33(5)) — {runbook.firm.name}"
    sections = tuple(Section(f"{e.key}: {e.title}", (_facts_block(e, when),)) for e in entries)
    text = render_markdown(title, sections)
    return text if entries else text + "\nNo personal-data breaches recorded.\n"


def register_html(entries: Sequence[BreachEntry], runbook: Runbook) -> str:
    when = Moments(runbook.firm.timezone)
    title = f"Breach register (UK GDPR Art 33(5)) — {runbook.firm.name}"
    sections = tuple(Section(f"{e.key}: {e.title}", (_facts_block(e, when),)) for e in entries)
    return render_html(title, sections or (Section("Entries", ()),))


def _facts_block(e: BreachEntry, when: Moments) -> Facts:
    rows = (
        ("Aware (T0)", when(e.aware_at)),
        ("Declared", when(e.declared_at)),
        ("Closed", when(e.closed_at)),
        ("Facts", e.facts),
        ("Effects", e.effects or "—"),
        ("Remedial action", e.remedial_action),
        ("ICO told", e.ico_told + (f", {when(e.ico_told_at)}" if e.ico_told_at else "")),
        ("ICO reference", e.ico_reference or "—"),
        ("Reason not reported", e.reason_not_reported or "—"),
        ("Reason for delay", e.reason_for_delay or "—"),
        (
            "Decided not to notify the ICO",
            _decided(e.decided_not_to_notify_by, e.decided_not_to_notify_at, when),
        ),
        (
            "People told (Art 34)",
            e.people_told + (f", {when(e.people_told_at)}" if e.people_told_at else ""),
        ),
        ("Why people were not told", e.people_reason_not_told or "—"),
        ("Decided not to tell people", _decided(e.people_not_told_by, e.people_not_told_at, when)),
        ("Breach began", e.began or "not recorded"),
        ("Categories of personal data", e.data_categories or "not recorded"),
        ("Categories of people", e.people_categories or "not recorded"),
        ("Approximate number of people", e.people_count or "not recorded"),
        ("Approximate number of records", e.records_count or "not recorded"),
        ("T0 as declared", when(e.original_aware_at)),
        ("T0 corrections", e.aware_corrections or "none"),
        ("Other data-protection notices not given", e.other_notices_not_given or "none"),
    )
    return Facts(rows)


def _decided(by: str, at: datetime | None, when: Moments) -> str:
    return f"{by}, {when(at)}" if by else "—"
