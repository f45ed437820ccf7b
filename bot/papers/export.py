"""The incident record as data: a stable JSON contract (the Markdown report is papers.report).

export_json(incident, reminders, runbook, now)["obligations"][0]["due_at"]
# -> "2026-03-29T15:30:00+00:00"
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime
from typing import Any

from bot.anchor import head_of
from bot.facts import facts_of
from bot.incident import Incident
from bot.obligations import obligations
from bot.runbook import Runbook
from bot.schedule import Reminder
from bot.timeline import Actor


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def _actor(actor: Actor | None) -> dict[str, Any] | None:
    return {"id": actor.id, "name": actor.name, "person": actor.person_id} if actor else None


def _answers(incident: Incident) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for qid, latest in incident.answers.items():
        history = [
            {"value": a.value, "by": _actor(a.by), "at": _iso(a.at), "reason": a.reason}
            for a in incident.history
            if a.question == qid
        ]
        out[qid] = {
            "value": latest.value,
            "by": _actor(latest.by),
            "at": _iso(latest.at),
            "reason": latest.reason,
            "history": history,
        }
    return out


def _obligations(incident: Incident, runbook: Runbook, now: datetime) -> list[dict[str, Any]]:
    return [
        {
            "id": ob.id,
            "title": ob.terms.title,
            "recipient": ob.terms.recipient,
            "basis": ob.terms.basis,
            "owner": list(ob.terms.owners),
            "due_at": _iso(ob.due_at),
            "status": ob.status,
            "reference": ob.record.reference,
            "reason": ob.record.reason,
            "opened_at": _iso(ob.record.opened_at),
            "settled_at": _iso(ob.record.settled_at),
            "settled_by": _actor(ob.record.settled_by),
            "overdue_reason": ob.record.overdue_reason,
        }
        for ob in obligations(runbook, incident, now)
    ]


def _reminders(reminders: Sequence[Reminder]) -> list[dict[str, Any]]:
    return [
        {
            "key": r.dedupe_key,
            "kind": r.kind,
            "obligation": r.data.get("clock"),
            "due_at": _iso(r.due_at),
            "status": r.status,
            "sent_at": _iso(r.sent_at),
            "attempts": r.attempts,
            "late_by_s": r.late_by_s,
            "last_error": r.last_error,
        }
        for r in reminders
    ]


def _evidence(incident: Incident) -> list[dict[str, Any]]:
    return [
        {
            "seq": e.seq,
            "item": e.item,
            "text": e.text,
            "sha256": e.sha256,
            "size": e.size,
            "source": e.source,
            "by": _actor(e.by),
            "at": _iso(e.at),
            "filename": e.filename,
            "content_type": e.content_type,
            "stored": e.stored,
            "link": e.link,
        }
        for e in incident.evidence
    ]


def _timeline(incident: Incident) -> list[dict[str, Any]]:
    return [
        {
            "seq": e.seq,
            "at": _iso(e.at),
            "actor": _actor(e.actor),
            "type": e.type,
            "data": dict(e.data),
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in incident.events
    ]


def export_json(
    incident: Incident, reminders: Sequence[Reminder], runbook: Runbook, now: datetime
) -> dict[str, Any]:
    return {
        "key": incident.key,
        "title": incident.title,
        "system": incident.system,
        "failure_type": incident.failure_type,
        "phase": incident.phase,
        "noticed": incident.noticed,
        "owner": incident.owner,
        "aware_at": _iso(incident.aware_at),
        "declared_at": _iso(incident.declared_at),
        "closed_at": _iso(incident.closed_at),
        "declared_by": _actor(incident.declared_by),
        "answers": _answers(incident),
        "obligations": _obligations(incident, runbook, now),
        "involved": [dict(v) for v in incident.involved.values()],
        "reminders": _reminders(reminders),
        "evidence": _evidence(incident),
        "facts": asdict(facts_of(incident)),
        "closing": dict(incident.closing),
        "head_hash": head_of(incident.events),  # for `ai-incident verify KEY --expect-head`
        "timeline": _timeline(incident),
    }
