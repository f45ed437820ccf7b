"""What the core asks a chat to show: plain values that each platform renders its own way.

Renderers (Block Kit, Adaptive Cards, the web chat) are pure functions of these values and
the runbook. Buttons carry action ids the edges route back into the same service calls:

    classify:<question id>:<value>     ack:<role>           contain:<step>:<done|not_possible>
    obligation:<clock>:<done|waived>   delay:<clock>        evidence:<item id>
    draft:<clock>   (changes nothing: the clock's draft notice, shown to the presser alone)
    killswitch:<step>   (asks to confirm the request first: Button.needs "confirm")
    alert:declare:<id>  alert:dismiss:<id>   (on a suspected-incident card, bot.triage)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.alerts import AlertRecord
from bot.durations import time_left
from bot.incident import Incident
from bot.kinds import NoticeKind, ReminderKind
from bot.obligations import terms
from bot.runbook import Runbook
from bot.schedule import Reminder
from bot.tokens import mention, mentions


@dataclass(frozen=True)
class Notice:
    incident: Incident
    kind: NoticeKind
    text: str = ""
    question: str = ""
    clock: str = ""
    role: str = ""
    person: str = ""
    mentions: tuple[str, ...] = field(default_factory=tuple)
    now: datetime | None = None
    late_by_s: float = 0.0
    alert: AlertRecord | None = None  # kind "alert": a suspected incident (bot.triage)
    slot: str = ""  # `KEY/slot`: which message this is, for a platform to find it again
    thread: str = ""  # the slot of the message it answers (a clock's reminders: its obligation)
    loud: bool = False  # in a thread, shown in the room too (a clock due or overdue)
    unsure: bool = False  # it may be in the room already (its slot's claim was taken over)


def fields_of(notice: Notice) -> dict[str, object]:
    """A notice as data, its incident left out: what an undelivered message keeps, to be
    built again (with the incident as it then is) and sent later."""
    return {
        "kind": notice.kind,
        "text": notice.text,
        "question": notice.question,
        "clock": notice.clock,
        "role": notice.role,
        "person": notice.person,
        "mentions": list(notice.mentions),
        "late_by_s": notice.late_by_s,
    }


def from_fields(incident: Incident, data: Mapping[str, object], now: datetime) -> Notice:
    mentions = data.get("mentions") or []
    return Notice(
        incident,
        NoticeKind(str(data["kind"])),
        text=str(data.get("text", "")),
        question=str(data.get("question", "")),
        clock=str(data.get("clock", "")),
        role=str(data.get("role", "")),
        person=str(data.get("person", "")),
        mentions=tuple(str(m) for m in mentions) if isinstance(mentions, list) else (),
        now=now,
        late_by_s=float(str(data.get("late_by_s", 0.0))),
    )


def card(incident: Incident) -> Notice:
    return Notice(incident, NoticeKind.CARD)


def page(incident: Incident, role: str, person: str, attempt: int) -> Notice:
    text = f"Paging {mention(person)} ({role.replace('_', ' ')}, attempt {attempt + 1})"
    return Notice(
        incident, NoticeKind.PAGE, text=text, role=role, person=person, mentions=(person,)
    )


def text(incident: Incident, message: str, mentions: tuple[str, ...] = ()) -> Notice:
    return Notice(incident, NoticeKind.TEXT, text=message, mentions=mentions)


def _above(runbook: Runbook, owners: tuple[str, ...]) -> tuple[str, ...]:
    """Whom an overdue clock escalates to: the managing partner, never the owner herself;
    where she is the partner, the next in the clock's chain."""
    owner = owners[0] if owners else ""
    partners = tuple(p for p in runbook.roles.get("managing_partner", ()) if p != owner)
    return partners or tuple(p for p in owners[1:2] if p != owner)


def deadline_reminder(runbook: Runbook, inc: Incident, r: Reminder, now: datetime) -> Notice:
    """A clock's reminder (kind deadline) or escalation (overdue), as sent at `now`; the
    same again from the reminder's row and its sent_at, to update it later in place."""
    clock = str(r.data["clock"])
    t = terms(runbook, clock)
    if r.kind == ReminderKind.OVERDUE:
        above = _above(runbook, t.owners)
        escalating = f" — escalating to {mentions(above)}" if above else ""
        said = (
            f"OVERDUE: {t.title}{escalating}. "
            f"{mentions(t.owners[:1])}, record the reason for the delay."
        )
        named = (*t.owners[:1], *above)
    else:
        due = (inc.aware_from(t.runs_from) or now) + (t.within or timedelta(0))
        said = f"Reminder: {t.title} — {time_left(due, now)}. Owner {mentions(t.owners[:1])}."
        named = t.owners[:1]
    late = max((now - r.due_at).total_seconds(), 0.0)
    return Notice(
        inc, NoticeKind.REMINDER, said, clock=clock, mentions=named, now=now, late_by_s=late
    )
