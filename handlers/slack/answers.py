"""What `/ai-incident` answers to the person who typed it, as core Views (pure).

    status_view(incident, runbook, now).lines[0]   # -> "Phase: classification"

Rendered like every other message (handlers.slack.blocks.render), shown only to that person.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.commands import HELP
from bot.failures import EVIDENCE_ITEMS
from bot.incident import Incident
from bot.obligations import Obligation, obligations
from bot.onepager import Facts, Items, Paragraph, Section, Table, outline
from bot.ports import IncidentSummary
from bot.runbook import Runbook
from bot.service import open_items
from bot.views import Button, View, moment, time_left

MAX_LABEL = 75


def _lead(person: str | None) -> str:
    return "{@" + person + "}" if person else "not yet acknowledged"


def _clock(ob: Obligation, now: datetime) -> str:
    if ob.due_at is None:
        return f"{ob.terms.title}: due at close; {ob.status}"
    return f"{ob.terms.title}: due {moment(ob.due_at)} ({time_left(ob.due_at, now)}); {ob.status}"


def status_view(incident: Incident, runbook: Runbook, now: datetime) -> View:
    """Phase, lead, each clock with its deadline and time left, and what is still open."""
    lines = [f"Phase: {incident.phase}", f"Lead: {_lead(incident.owner)}"]
    lines += [_clock(ob, now) for ob in obligations(runbook, incident, now)]
    items = open_items(incident, runbook)
    lines.append("Open items: " + ("; ".join(items) if items else "none"))
    return View(f"{incident.key} status: {incident.title}", tuple(lines))


def _room(summary: IncidentSummary) -> str:
    return f" in {{#{summary.room_id}}}" if summary.room_platform == "slack" else ""


def list_view(incidents: Sequence[IncidentSummary]) -> View:
    """The open incidents, newest first, each with its lead and channel."""
    lines = tuple(
        f"{i.key}: {i.title} — {i.phase}, lead {_lead(i.owner)}{_room(i)}"
        for i in sorted(incidents, key=lambda i: i.key, reverse=True)
    )
    return View("Open incidents", lines or ("No open incidents.",))


def help_view(error: str = "") -> View:
    return View("Commands", (*((error,) if error else ()), *HELP.splitlines()))


def _said(text: str) -> str:
    """The one-pager's **bold** as Slack's *bold*."""
    return text.replace("**", "*")


def _section_lines(section: Section) -> list[str]:
    lines = [f"*{section.title}*"]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            lines.append(_said(block.text))
        elif isinstance(block, Items):
            lines += [f"• {_said(item)}" for item in block.items]
        elif isinstance(block, Facts | Table):
            lines += [f"{label}: {value}" for label, value in block.rows]
    return lines


def runbook_view(runbook: Runbook) -> View:
    lines = [line for section in outline(runbook) for line in _section_lines(section)]
    return View(f"AI incident runbook — {runbook.firm.name}", tuple(lines))


def _label(item: str, name: str) -> str:
    label = f"{item}: {name}"
    return label if len(label) <= MAX_LABEL else item


def evidence_view(incident: Incident) -> View:
    """DOMAIN.md's checklist: what is recorded so far, and a button per item to add to it."""
    counts = {item: sum(1 for e in incident.evidence if e.item == item) for item in EVIDENCE_ITEMS}
    lines = [
        f"{item} {name} — " + (f"{counts[item]} recorded" if counts[item] else "nothing yet")
        for item, name in EVIDENCE_ITEMS.items()
    ]
    loose = sum(1 for e in incident.evidence if e.item is None)
    lines.append(f"Other evidence (notes, links, files shared here): {loose} recorded")
    buttons = tuple(
        Button(_label(item, name), f"evidence:{item}", "", "evidence")
        for item, name in EVIDENCE_ITEMS.items()
    )
    return View(f"{incident.key} evidence checklist", tuple(lines), (), buttons)
