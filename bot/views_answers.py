"""The answers to `/ai-incident status`, `list`, `help`, `runbook` and `evidence`, built
once for every edge:

    status_view(incident, runbook, now).lines[0]   # -> "Phase: classification"
    runbook_view(runbook).title   # -> "AI incident runbook — Harbour & Vale Advisory LLP"
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.commands import HELP
from bot.direction import isolated
from bot.durations import time_left
from bot.failures import EVIDENCE_ITEMS
from bot.incident import Incident
from bot.obligations import Obligation, obligations
from bot.outstanding import outstanding
from bot.papers.document import Facts, Items, Paragraph, Section, Table
from bot.papers.onepager import outline, title
from bot.ports import IncidentSummary
from bot.runbook import Runbook
from bot.tokens import mention, moment, room, strong
from bot.view_model import Button, View, utc

MAX_LABEL = 75


def _lead(person: str | None) -> str:
    return mention(person) if person else "not yet acknowledged"


def _clock_line(ob: Obligation, now: datetime) -> str:
    if ob.due_at is None:
        return f"{ob.terms.title}: due at close; {ob.status}"
    left = time_left(ob.due_at, now)
    return f"{ob.terms.title}: due {moment(ob.due_at)} = {utc(ob.due_at)} ({left}); {ob.status}"


def status_view(incident: Incident, runbook: Runbook, now: datetime) -> View:
    """Phase, lead, each clock with its deadline and time left, and what is still open."""
    lines = [f"Phase: {incident.phase}", f"Lead: {_lead(incident.owner)}"]
    lines += [_clock_line(ob, now) for ob in obligations(runbook, incident, now)]
    items = outstanding(incident, runbook)
    lines.append("Open items: " + ("; ".join(items) if items else "none"))
    return View(f"{incident.key} status: {isolated(incident.title)}", tuple(lines))


def list_view(incidents: Sequence[IncidentSummary], rooms_on: str = "") -> View:
    """The open incidents, newest first, each with its lead; with `rooms_on` (a platform),
    the room of each incident on that platform as a room token."""

    def where(i: IncidentSummary) -> str:
        return f" in {room(i.room_id)}" if rooms_on and i.room_platform == rooms_on else ""

    lines = tuple(
        f"{i.key}: {isolated(i.title)} — {i.phase}, lead {_lead(i.owner)}{where(i)}"
        for i in sorted(incidents, key=lambda i: i.key, reverse=True)
    )
    return View("Open incidents", lines or ("No open incidents.",))


def help_view(error: str = "") -> View:
    """The command list, after what was wrong with the command typed (if anything)."""
    return View("Commands", (*((error,) if error else ()), *HELP.splitlines()))


def _section_lines(section: Section) -> list[str]:
    """A section of the one-pager as chat lines: the same outline the printed page draws."""
    lines = [strong(section.title)]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Items):
            lines += [f"• {item}" for item in block.items]
        elif isinstance(block, Facts | Table):
            lines += [f"{label}: {value}" for label, value, *_ in block.rows]
    return lines


def runbook_view(runbook: Runbook) -> View:
    lines = [line for section in outline(runbook) for line in _section_lines(section)]
    return View(title(runbook), tuple(lines))


def _label(item: str, name: str) -> str:
    label = f"{item}: {name}"
    return label if len(label) <= MAX_LABEL else item


def evidence_view(incident: Incident) -> View:
    """DOMAIN.md's checklist: what is recorded so far, and a button per item to add to it."""
    counts = {item: incident.evidence_counts.get(item, 0) for item in EVIDENCE_ITEMS}
    lines = [
        f"{item} {name} — " + (f"{counts[item]} recorded" if counts[item] else "nothing yet")
        for item, name in EVIDENCE_ITEMS.items()
    ]
    loose = incident.evidence_counts.get("", 0)
    lines.append(f"Other evidence (notes, links, files shared here): {loose} recorded")
    buttons = tuple(
        Button(_label(item, name), f"evidence:{item}", "", "evidence")
        for item, name in EVIDENCE_ITEMS.items()
    )
    return View(f"{incident.key} evidence checklist", tuple(lines), (), buttons)
