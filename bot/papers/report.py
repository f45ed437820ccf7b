"""The complete incident report, as a partner would send it to a client or an insurer.

    at = as_of(incident, now)   # the close time for a closed incident
    report_markdown(incident, runbook, at)
    report_html(incident, runbook, at, picture=timeline_png(incident, runbook, at))

Every moment is shown in the firm's timezone and in UTC. `now` is the moment open clocks
are measured against.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from bot.classification import BY_ID, open_questions
from bot.facts import LABELS, facts_of
from bot.failures import FAILURE_TYPES
from bot.incident import Incident
from bot.kinds import EventType
from bot.papers import report_response as close
from bot.papers.document import (
    Block,
    Facts,
    Paragraph,
    Section,
    Table,
    render_html,
    render_markdown,
)
from bot.papers.moments import Moments, name, span
from bot.runbook import Runbook
from bot.timeline import Event


def report_markdown(incident: Incident, runbook: Runbook, now: datetime) -> str:
    return render_markdown(_title(incident), report_sections(incident, runbook, now))


def report_html(
    incident: Incident, runbook: Runbook, now: datetime, picture: bytes | None = None
) -> str:
    """One self-contained HTML file for A4; `picture` (PNG bytes) is inlined as a data: URI."""
    return render_html(_title(incident), report_sections(incident, runbook, now), picture)


def _title(incident: Incident) -> str:
    return f"Incident report {incident.key}: {incident.title}"


def report_sections(incident: Incident, runbook: Runbook, now: datetime) -> tuple[Section, ...]:
    when = Moments(runbook.firm.timezone)
    return (
        Section("Summary", (_summary(incident, runbook, when),)),
        Section("T0: when the firm became aware", _awareness(incident, when)),
        Section("Timeline", (_timeline(incident, when),)),
        Section("Phases", (_phases(incident, when, now),)),
        Section("Containment", _containment(incident, runbook, when)),
        Section("Classification", _classification(incident, runbook, when)),
        Section("Facts for the notices", (_facts(incident),)),
        *close.sections(incident, runbook, when, now),
    )


def _facts(incident: Incident) -> Facts:
    """What was recorded with `facts` (the parties, the data, the numbers), or that it wasn't."""
    known = facts_of(incident)
    return Facts(
        tuple(
            (label, getattr(known, name) or "not recorded") for name, (_, label) in LABELS.items()
        )
    )


def _summary(incident: Incident, runbook: Runbook, when: Moments) -> Facts:
    system = runbook.system(incident.system)
    lead = runbook.find_person(incident.owner)
    t0, end = incident.aware_at, incident.closed_at
    return Facts(
        (
            ("Incident", incident.key),
            ("Title", incident.title),
            ("AI system", system.name if system else incident.system),
            ("Failure type", FAILURE_TYPES.get(incident.failure_type, incident.failure_type)),
            ("What was noticed", incident.noticed or "—"),
            ("Phase", incident.phase),
            ("Incident lead", lead.name if lead else "not acknowledged"),
            ("Declared by", name(incident.declared_by)),
            ("Aware (T0)", when(t0)),
            ("Declared", when(incident.declared_at)),
            ("Closed", when(end)),
            ("T0 to close", span(end - t0) if end and t0 else "—"),
        )
    )


def _awareness(incident: Incident, when: Moments) -> tuple[Block, ...]:
    declared = next((e for e in incident.events if e.type == EventType.DECLARED), None)
    if declared is None:
        return (Paragraph("Not declared."),)
    first = when(_moment(declared.data["aware_at"]))
    said = f"Declared with T0 {first} by {declared.actor.name} at {when(declared.at)}."
    rows = tuple(
        _correction(e, when) for e in incident.events if e.type == EventType.AWARENESS_CORRECTED
    )
    fixes = Table(("Corrected at", "By", "From", "To", "Why"), rows)
    return (Paragraph(said), fixes if rows else Paragraph("T0 was not corrected."))


def _correction(e: Event, when: Moments) -> tuple[str, ...]:
    was, now = when(_moment(e.data.get("from"))), when(_moment(e.data["to"]))
    return (when(e.at), e.actor.name, was, now, str(e.data.get("reason", "")))


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _timeline(incident: Incident, when: Moments) -> Table:
    rows = tuple(
        (str(e.seq), when.local(e.at), when.utc(e.at), e.actor.name, _words(e.type), detail(e))
        for e in incident.events
    )
    styles = ("nowrap", "nowrap", "nowrap", "", "", "wrap")
    return Table(("#", "Firm time", "UTC", "Who", "Event", "Details"), rows, styles)


def _words(name: str) -> str:
    return name.replace("_", " ")


def detail(event: Event) -> str:
    """An event's data as 'key: value; …', leaving out empty values."""
    return "; ".join(
        f"{k}: {text(v)}" for k, v in event.data.items() if v not in (None, "", [], {})
    )


def text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _phases(incident: Incident, when: Moments, now: datetime) -> Table:
    starts = [("containment", incident.declared_at)] if incident.declared_at else []
    starts += [
        (str(e.data["to"]), e.at) for e in incident.events if e.type == EventType.PHASE_CHANGED
    ]
    ends = [at for _, at in starts[1:]] + [None]
    rows = tuple(
        (phase, when(start), when(end), _lasted(phase, start, end, now))
        for (phase, start), end in zip(starts, ends, strict=True)
    )
    return Table(("Phase", "From", "To", "Duration"), rows)


def _lasted(phase: str, start: datetime, end: datetime | None, now: datetime) -> str:
    if end is not None:
        return span(end - start)
    return "—" if phase == "closed" else f"{span(now - start)} so far"


def _containment(incident: Incident, runbook: Runbook, when: Moments) -> tuple[Block, ...]:
    system = runbook.system(incident.system)
    rows = []
    for i, step in enumerate(system.containment if system else ()):
        rec = incident.steps.get(i)
        said = (rec.status.replace("_", " "), rec.by.name, when(rec.at), rec.reason) if rec else ()
        rows.append((f"{i + 1}. {step}", *(said or ("not recorded", "—", "—", ""))))
    blocks: list[Block] = [Table(("Step", "Status", "By", "When", "Reason"), tuple(rows))]
    gates = tuple((f"Gate overridden: {g}", r) for g, r in incident.overrides.items())
    return (*blocks, Facts(gates)) if gates else tuple(blocks)


def _classification(incident: Incident, runbook: Runbook, when: Moments) -> tuple[Block, ...]:
    rows = tuple(
        (f"{a.question}. {BY_ID[a.question].text}", a.value, a.by.name, when(a.at), a.reason, now)
        for a in incident.history
        for now in ("current" if incident.answers[a.question] is a else "superseded",)
    )
    header = ("Question", "Answer", "By", "When", "Reason", "Standing")
    waiting = ", ".join(q.id for q in open_questions(runbook.firm.profile, incident.answer_values))
    said = f"Not answered: {waiting}." if waiting else "Every question that applies was answered."
    return (Table(header, rows), Paragraph(said))
