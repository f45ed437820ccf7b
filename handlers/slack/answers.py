"""What `/ai-incident` answers to the person who typed it, as core Views (pure).

    runbook_view(runbook).title   # -> "AI incident runbook — Harbourvale Accountants"

`status`, `list` and `help` are built once for every edge in bot.views. Rendered like every other
message (handlers.slack.blocks.render), shown only to that person.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import views
from bot.failures import EVIDENCE_ITEMS
from bot.incident import Incident
from bot.onepager import Facts, Items, Paragraph, Section, Table, outline
from bot.ports import IncidentSummary
from bot.runbook import Runbook
from bot.views import Button, View, help_view, status_view

__all__ = ["evidence_view", "help_view", "list_view", "runbook_view", "status_view"]

MAX_LABEL = 75


def list_view(incidents: Sequence[IncidentSummary]) -> View:
    """The open incidents (bot.views.list_view), each with a link to its Slack channel."""
    return views.list_view(incidents, rooms_on="slack")


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
