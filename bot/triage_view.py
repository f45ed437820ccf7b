"""The suspected-incident card an alert posts in the triage room, as a neutral View.

alert_view(record, runbook, now).buttons   # Declare, Dismiss (while it is open)
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.alerts import AlertRecord
from bot.runbook import Runbook
from bot.tokens import moment, strong


def _system(record: AlertRecord, runbook: Runbook) -> str:
    system = runbook.system(record.alert.system)
    if system is not None:
        return system.name
    named = record.alert.system or "(none given)"
    return f"unknown system '{named}' (not in the runbook)"


def _fields(record: AlertRecord, runbook: Runbook) -> tuple[tuple[str, str], ...]:
    alert = record.alert
    fired = moment(alert.occurred_at) if alert.occurred_at else moment(record.received_at)
    fields = [("AI system", _system(record, runbook)), ("Noticed", fired)]
    fields += [("Severity", alert.severity)] if alert.severity else []
    fields += [("From", alert.source)]
    if record.deliveries > 1 or alert.count > 1:
        fields.append(("Repeats", f"{record.deliveries} deliveries, {alert.count} firing"))
    return tuple(fields)


def _state(record: AlertRecord) -> tuple[str, ...]:
    lines: list[str] = []
    if record.alert.status == "resolved":
        since = moment(record.updated_at)
        lines.append(f"{strong('Resolved')} — the monitoring says so ({since}).")
    if record.state == "dismissed":
        lines.append(f"Dismissed by {record.settled_by}: {record.reason}")
    elif record.state == "declared":
        lines.append(f"Declared by {record.settled_by} as {record.incident_key}.")
    return tuple(lines)


@dataclass(frozen=True)
class AlertCard:
    title: str
    lines: tuple[str, ...]
    fields: tuple[tuple[str, str], ...]
    buttons: tuple[tuple[str, str, str, str], ...]  # label, action id, style, needs


def alert_card(record: AlertRecord, runbook: Runbook) -> AlertCard:
    alert = record.alert
    lines = (alert.summary, *((alert.link,) if alert.link else ()), *_state(record))
    buttons: tuple[tuple[str, str, str, str], ...] = ()
    if record.state == "open":
        buttons = (
            ("Declare", f"alert:declare:{record.id}", "primary", ""),
            ("Dismiss", f"alert:dismiss:{record.id}", "", "reason"),
        )
    title = f"Suspected incident: {alert.summary}"[:150]
    return AlertCard(title, lines, _fields(record, runbook), buttons)
