"""The status cards' time left, kept true as time passes: once a minute at most, each open
incident's card is updated in place when what it says has changed since it was last shown
("5h 12m left" → "5h 11m left", "due now", "overdue by 0h 3m"), and only then.

    cards = CardClock()
    updated = await cards.refresh(deps)   # the ticker calls this on each wake

It is cheap: the open incidents are listed once a minute; an incident is loaded only when
its record changed or a time on its card is due to read differently; the card is updated
only when its words differ from what was last shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.acting import Deps
from bot.incident import Incident
from bot.kinds import NoticeKind
from bot.notices import Notice
from bot.obligations import obligations
from bot.ports import IncidentSummary
from bot.publish import RoomPublisher
from bot.runbook import Runbook
from bot.status_card import card_lines

log = logging.getLogger(__name__)
EVERY = timedelta(minutes=1)
_MINUTE, _HOUR, _DAY = 60.0, 3600.0, 86400.0


def reads_differently_in(due: datetime, now: datetime) -> timedelta:
    """How long until "time left" to `due` (bot.durations.time_left) next reads differently:
    it counts whole minutes under a day, whole hours beyond, and says "due now" within a
    minute either side of `due`; the status turns overdue at `due` itself."""
    left = (due - now).total_seconds()
    unit = _HOUR if abs(left) >= _DAY else _MINUTE
    if left >= _MINUTE:
        wait = left % unit  # until a whole unit less is left
        wait = min(wait, left - _MINUTE)  # or it is "due now"
    elif left > 0:
        wait = left  # overdue at `due`
    else:
        wait = unit - (-left % unit)  # until a whole unit more is overdue
    return timedelta(seconds=max(wait, 1.0))


def next_change(incident: Incident, runbook: Runbook, now: datetime) -> datetime | None:
    """When the card's words next change with time alone; None when nothing on it runs."""
    waits = [
        reads_differently_in(ob.due_at, now)
        for ob in obligations(runbook, incident, now)
        if ob.due_at is not None and ob.status != "done"
    ]
    return now + min(waits) if waits else None


@dataclass(frozen=True)
class _Seen:
    version: int  # the record's last event when the card was last looked at
    shown_at: datetime  # the time the card's words were last rendered for
    next_at: datetime | None  # when they next change with time alone


class CardClock:
    """What this process last knew of each open incident's card."""

    def __init__(self) -> None:
        self.checked_at: datetime | None = None
        self.seen: dict[str, _Seen] = {}

    async def refresh(self, deps: Deps) -> int:
        """Update each open card whose time left now reads differently; how many were."""
        now = deps.clock.now()
        if self.checked_at is not None and now - self.checked_at < EVERY:
            return 0
        self.checked_at = now
        updated = 0
        summaries = await deps.store.list_incidents(False)
        self.seen = {s.key: self.seen[s.key] for s in summaries if s.key in self.seen}
        for summary in summaries:
            if self._unchanged(summary, now):
                continue
            try:
                updated += await self._look(deps, summary.key, now)
            except Exception:  # one card that cannot be updated must not stop the others
                log.exception("could not refresh the card of %s", summary.key)
        return updated

    def _unchanged(self, summary: IncidentSummary, now: datetime) -> bool:
        seen = self.seen.get(summary.key)
        if summary.closed_at is not None or not summary.room_id:
            return True
        if seen is None or seen.version != summary.version:
            return False
        return seen.next_at is None or now < seen.next_at

    async def _look(self, deps: Deps, key: str, now: datetime) -> int:
        """Load the incident; update its card if its words have moved on since shown."""
        incident = await deps.store.load(key)
        if incident is None or incident.room is None or incident.last is None:
            return 0
        seen = self.seen.get(key)
        version = incident.last.seq
        # A change to the record refreshed the card as it was published.
        shown_at = seen.shown_at if seen and seen.version == version else incident.last.at
        changed = card_lines(incident, deps.runbook, now) != card_lines(
            incident, deps.runbook, shown_at
        )
        if changed:
            await self._update(deps, key, now)
        at = now if changed else shown_at
        self.seen[key] = _Seen(version, at, next_change(incident, deps.runbook, now))
        return 1 if changed else 0

    async def _update(self, deps: Deps, key: str, now: datetime) -> None:
        """In place, never posted; shown as the record is when it is sent."""
        async with deps.store.serial(key):
            incident = await deps.store.load(key)
            if incident is None:
                return
            room = RoomPublisher(deps.chat, deps.store, deps.runbook, incident, now)
            card = Notice(incident, NoticeKind.CARD, now=now)
            await room.refresh("card", card, post_if_missing=False)
