"""Which reminders an incident wants right now; the store reconciles its table to this.

Every reminder has a dedupe key unique across incidents, so a reminder re-derived after a
restart, a retry or another replica's tick is the same row, never a second one.

    desired_reminders(incident, runbook)[0].dedupe_key
    # -> "AI-2026-0001:deadline:ico_art33:86400"
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.incident import Incident
from bot.kinds import ReminderKind
from bot.obligations import due_at, terms, triggered_clocks
from bot.runbook import Runbook

PAGED_ROLES = ("incident_lead", "dpo", "compliance")
REPOST_AFTER = timedelta(minutes=1)  # a message the platform refused, tried again
# A room the platform would not open at declare, tried again: later than the slowest open at
# declare can take (three calls each waiting out 429s, ~90 s apart), so the two never race.
ROOM_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class ReminderSpec:
    dedupe_key: str
    incident_key: str
    kind: ReminderKind
    due_at: datetime
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Reminder:
    """A reminder row as stored: the spec plus its delivery record."""

    id: int
    dedupe_key: str
    incident_key: str
    kind: str  # a ReminderKind's value, as stored
    due_at: datetime
    data: Mapping[str, Any]
    status: str  # scheduled, claimed, sent, cancelled
    attempts: int = 0
    sent_at: datetime | None = None
    message_id: str = ""
    late_by_s: float = 0.0
    last_error: str = ""


def _deadlines(incident: Incident, runbook: Runbook) -> list[ReminderSpec]:
    specs = []
    for clock, record in incident.obligations.items():
        clock_terms = terms(runbook, clock)
        aware = incident.aware_from(clock_terms.runs_from)
        due = due_at(clock_terms, aware) if aware else None
        if record.status != "pending" or due is None or aware is None:
            continue
        for offset in clock_terms.reminder_offsets:
            key = f"{incident.key}:deadline:{clock}:{int(offset.total_seconds())}"
            data = {"clock": clock, "offset_s": int(offset.total_seconds())}
            specs.append(
                ReminderSpec(key, incident.key, ReminderKind.DEADLINE, aware + offset, data)
            )
        specs.append(
            ReminderSpec(
                f"{incident.key}:overdue:{clock}",
                incident.key,
                ReminderKind.OVERDUE,
                due,
                {"clock": clock},
            )
        )
    return specs


def _pages(incident: Incident, runbook: Runbook) -> list[ReminderSpec]:
    specs = []
    for role in PAGED_ROLES:
        pages = [p for p in incident.pages if p.role == role]
        if role in incident.acks or not pages:
            continue
        chain = runbook.roles.get(role, ())
        attempt = len(pages)
        step = "unanswered" if attempt >= len(chain) else str(attempt)
        if attempt > len(chain):
            continue
        due = pages[-1].at + runbook.escalation.ack_timeout
        key = f"{incident.key}:page:{role}:{step}"
        specs.append(
            ReminderSpec(
                key, incident.key, ReminderKind.PAGE, due, {"role": role, "attempt": attempt}
            )
        )
    return specs


def _unsure(incident: Incident, runbook: Runbook) -> list[ReminderSpec]:
    return [
        ReminderSpec(
            f"{incident.key}:unsure:{qid}:{int(a.at.timestamp())}",
            incident.key,
            ReminderKind.UNSURE,
            resolve_by(incident, runbook, qid, a.at),
            {"question": qid},
        )
        for qid, a in incident.answers.items()
        if a.value == "unsure"
    ]


def _due(incident: Incident, runbook: Runbook, clock: str) -> datetime | None:
    clock_terms = terms(runbook, clock)
    aware = incident.aware_from(clock_terms.runs_from)
    return due_at(clock_terms, aware) if aware else None


def kept_running(incident: Incident, runbook: Runbook, question: str) -> tuple[str, ...]:
    """The clocks that an unsure answer to `question` alone keeps running."""
    answers, declared, states = incident.answer_values, incident.declared_at, incident.eu_states
    running = triggered_clocks(runbook, answers, declared, states)
    without = triggered_clocks(runbook, {**answers, question: "no"}, declared, states)
    return tuple(clock for clock in running if clock not in without)


def resolve_by(incident: Incident, runbook: Runbook, question: str, at: datetime) -> datetime:
    """When an unsure answer must be settled: the runbook's wait, but no later than half-way
    from the answer to the earliest deadline that the answer alone keeps running."""
    latest = at + runbook.escalation.unsure_resolve_by
    kept = (_due(incident, runbook, clock) for clock in kept_running(incident, runbook, question))
    dues = [due for due in kept if due is not None]
    if not dues:
        return latest
    return min(latest, max(at + (min(dues) - at) / 2, at))


def _nudge(incident: Incident, runbook: Runbook) -> list[ReminderSpec]:
    last = incident.last_human
    if last is None:
        return []
    due = last.at + runbook.escalation.status_nudge
    return [
        ReminderSpec(f"{incident.key}:nudge:{last.seq}", incident.key, ReminderKind.NUDGE, due, {})
    ]


def _archive(incident: Incident, runbook: Runbook) -> list[ReminderSpec]:
    """A closed incident's room is archived after the runbook's delay (never when it is ~)."""
    wait, closed = runbook.rooms.archive_after, incident.closed_at
    if wait is None or closed is None or incident.room is None:
        return []
    return [
        ReminderSpec(
            f"{incident.key}:archive", incident.key, ReminderKind.ARCHIVE, closed + wait, {}
        )
    ]


def _records(incident: Incident) -> list[ReminderSpec]:
    """Writing the report, register entry and regression case happens once, after close."""
    key, closed = incident.key, incident.closed_at
    return (
        []
        if closed is None
        else [ReminderSpec(f"{key}:records", key, ReminderKind.RECORDS, closed, {})]
    )


def _room(incident: Incident) -> list[ReminderSpec]:
    """An incident whose room could not be opened at declare: open it (and page the lead)
    later, on the ticker's backoff until the platform takes it."""
    if incident.room is not None or incident.declared_at is None:
        return []
    due = incident.declared_at + ROOM_AFTER
    return [ReminderSpec(f"{incident.key}:room", incident.key, ReminderKind.ROOM, due, {})]


def _reposts(incident: Incident) -> list[ReminderSpec]:
    """Each room message that could not be posted, sent again a little later (then on the
    ticker's backoff until the platform takes it), before and after close alike."""
    return [
        ReminderSpec(
            f"{incident.key}:repost:{e.seq}",
            incident.key,
            ReminderKind.REPOST,
            e.at + REPOST_AFTER,
            {"seq": e.seq},
        )
        for e in incident.reposts  # each undelivered message to send again
    ]


def desired_reminders(incident: Incident, runbook: Runbook) -> list[ReminderSpec]:
    if incident.closed_at is not None:
        return [*_records(incident), *_archive(incident, runbook), *_reposts(incident)]
    return [
        *_room(incident),
        *_deadlines(incident, runbook),
        *_pages(incident, runbook),
        *_unsure(incident, runbook),
        *_nudge(incident, runbook),
        *_reposts(incident),
    ]


def late_by(reminder_due: datetime, now: datetime) -> timedelta:
    return max(now - reminder_due, timedelta(0))
