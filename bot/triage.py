"""Suspected incidents: an alert posts a card in the runbook's triage room, with Declare and
Dismiss; repeats update that card; what people decided is kept.

    record = await receive(deps, triage_deps, alert)     # posts or updates the card
    await dismiss(deps, triage_deps, record.id, actor, "Known flaky check")
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.alerts import Alert, AlertRecord, AlertStore
from bot.decisions import Refused
from bot.incident import Incident, Room
from bot.kinds import NoticeKind
from bot.notices import Notice
from bot.ports import ChatError
from bot.runbook import Runbook
from bot.service import Deps
from bot.timeline import Actor

REPEAT_WINDOW = timedelta(hours=4)  # Alertmanager's default repeat_interval
MAX_REASON = 1000


def triage_room(runbook: Runbook) -> Room | None:
    """rooms.triage as a room: #name in the web chat, 19:… in Teams, else a Slack channel."""
    where = runbook.rooms.triage
    if not where:
        return None
    if where.startswith("#"):
        return Room("web", where, where.lstrip("#"))
    return Room("teams" if where.startswith("19:") else "slack", where, where)


def card(record: AlertRecord, now: datetime) -> Notice:
    return Notice(Incident(key=record.key), NoticeKind.ALERT, now=now, alert=record)


async def show(deps: Deps, store: AlertStore, record: AlertRecord) -> None:
    """Post the card, or update it where it already is."""
    room = triage_room(deps.runbook)
    if room is None:
        return
    notice = card(record, deps.clock.now())
    try:
        if record.message_id and record.room_id == room.id:
            await deps.chat.update(room, record.message_id, notice)
            return
        message_id = await deps.chat.post(room, notice)
    except ChatError:
        return  # the alert is kept; the next repeat or `ai-incident alerts` shows it
    await store.placed(record.id, room, message_id)


async def receive(deps: Deps, store: AlertStore, alert: Alert) -> AlertRecord:
    record = await store.receive(alert, deps.clock.now(), REPEAT_WINDOW)
    await show(deps, store, record)
    return record


async def _open(store: AlertStore, alert_id: int) -> AlertRecord:
    record = await store.get(alert_id)
    if record is None:
        raise Refused(f"There is no alert {alert_id}.")
    if record.state != "open":
        said = record.incident_key or record.reason
        raise Refused(f"That alert was already {record.state} by {record.settled_by} ({said}).")
    return record


async def dismiss(deps: Deps, store: AlertStore, alert_id: int, actor: Actor, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise Refused("Please give the reason for dismissing the alert.")
    await _settle(deps, store, alert_id, "dismissed", actor, reason[:MAX_REASON], "")


async def declared(deps: Deps, store: AlertStore, alert_id: int, actor: Actor, key: str) -> None:
    await _settle(deps, store, alert_id, "declared", actor, "", key)


async def _settle(
    deps: Deps, store: AlertStore, alert_id: int, state: str, actor: Actor, reason: str, key: str
) -> None:
    await _open(store, alert_id)
    record = await store.settle(alert_id, state, actor, reason, key, deps.clock.now())
    if record is None:
        await _open(store, alert_id)  # settled meanwhile: refuse, saying by whom
        return
    await show(deps, store, record)


@dataclass(frozen=True)
class Prefill:
    """The declare form as an alert fills it: T0 is left to the person (default: now)."""

    title: str
    system: str
    noticed: str


def prefill(record: AlertRecord, runbook: Runbook) -> Prefill:
    alert = record.alert
    known = runbook.system(alert.system) is not None
    at = alert.occurred_at or record.received_at
    noticed = f"Noticed by monitoring at {at.astimezone(runbook.firm.timezone):%d %b %Y %H:%M %Z}"
    lines = [f"{noticed}: {alert.summary}"]
    lines += [f"Severity: {alert.severity}"] if alert.severity else []
    lines += [f"Link: {alert.link}"] if alert.link else []
    return Prefill(alert.summary[:150], alert.system if known else "", "\n".join(lines))
