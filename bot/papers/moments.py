"""How the close-and-learn artefacts state moments, spans and lateness.

when = Moments(runbook.firm.timezone)
when(at)                  # -> "Sun 29 Mar 2026 16:30 BST (2026-03-29 15:30 UTC)"
span(timedelta(hours=27)) # -> "1d 3h"
late_by(ob, as_of)        # -> timedelta(hours=3, minutes=30) for a notice given late
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.durations import local_time
from bot.incident import Incident
from bot.obligations import Obligation
from bot.runbook import Runbook
from bot.timeline import Actor


@dataclass(frozen=True)
class Moments:
    """Formats a moment as '<firm local time> (<UTC>)'; '—' for no moment."""

    tz: ZoneInfo

    def __call__(self, at: datetime | None) -> str:
        return f"{self.local(at)} ({self.utc(at)})" if at else "—"

    def local(self, at: datetime | None) -> str:
        return local_time(at, self.tz) if at else "—"

    def utc(self, at: datetime | None) -> str:
        return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if at else "—"


def as_of(incident: Incident, now: datetime) -> datetime:
    """The moment an artefact describes: the close for a closed incident, else now.

    A closed incident's report, pack and drafts then read the same whenever they are made.
    """
    return incident.closed_at or now


def span(delta: timedelta) -> str:
    """'2d 3h 5m' in whole minutes, largest unit first; zero parts are left out."""
    minutes = max(int(delta.total_seconds()) // 60, 0)
    days, rest = divmod(minutes, 24 * 60)
    parts = [f"{n}{unit}" for n, unit in ((days, "d"), (rest // 60, "h"), (rest % 60, "m")) if n]
    return " ".join(parts) or "0m"


def late_by(ob: Obligation, now: datetime) -> timedelta | None:
    """How late a notice was given or decided (while open, how overdue it is); None if on
    time. A clock an answer stopped was never late."""
    settled = ob.record.settled_at if not ob.open else None
    end = settled or now
    if ob.due_at is None or end <= ob.due_at or ob.record.by_answer:
        return None
    return end - ob.due_at


def name(actor: Actor | None) -> str:
    return actor.name if actor else "—"


def person(runbook: Runbook, person_id: str | None) -> str:
    """'Sam Okafor (Operations Director)', or the bare id of someone the runbook lost."""
    found = runbook.find_person(person_id)
    return f"{found.name} ({found.title})" if found else str(person_id or "—")
