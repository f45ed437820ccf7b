"""The board's list: one page of incidents read from their list rows (phase, lead, the
earliest pending deadline and its owner), never from their timelines, so the board costs
the same with ten incidents or ten thousand.

    page = await board_page(deps, "overdue", number=1)   # -> Listing, rows most overdue first
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.durations import local_time, time_left
from bot.obligations import terms
from bot.ports import LIST_VIEWS, IncidentSummary
from bot.service import Deps

PER_PAGE = 50
URGENT = timedelta(hours=6)


class BadListing(ValueError):
    """A view or page number the board does not have; the message says what it has."""


@dataclass(frozen=True)
class NextDeadline:
    title: str
    due: str
    left: str
    status: str  # "pending" or "overdue"
    urgency: str  # "", "urgent" (under 6 hours) or "overdue"
    owner: str


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    phase: str
    lead: str
    aware: str
    closed: str
    next: NextDeadline | None


@dataclass(frozen=True)
class Listing:
    view: str
    number: int
    rows: list[Row]
    more: bool  # a later page exists


def _deadline(deps: Deps, s: IncidentSummary, now: datetime) -> NextDeadline | None:
    if s.next_due_at is None or s.closed_at is not None:
        return None
    title, owner = _clock_names(deps, s.next_clock)
    due = local_time(s.next_due_at, deps.runbook.firm.timezone)
    overdue = s.next_due_at <= now
    urgency = "overdue" if overdue else ("urgent" if s.next_due_at - now < URGENT else "")
    left = "" if overdue else time_left(s.next_due_at, now)
    return NextDeadline(title, due, left, urgency or "pending", urgency, owner)


def _clock_names(deps: Deps, clock_id: str) -> tuple[str, str]:
    """The clock's title and first owner's name; a clock the runbook no longer has shows
    its id (the list row was written under an earlier runbook)."""
    try:
        clock = terms(deps.runbook, clock_id)
    except KeyError:
        return clock_id, ""
    found = (deps.runbook.find_person(p) for p in clock.owners[:1])
    return clock.title, ", ".join(p.name for p in found if p is not None)


def _row(deps: Deps, s: IncidentSummary, now: datetime) -> Row:
    tz = deps.runbook.firm.timezone
    lead = deps.runbook.find_person(s.owner)
    return Row(
        s.key,
        s.title,
        "closed" if s.closed_at else s.phase,
        lead.name if lead else "not acknowledged",
        local_time(s.aware_at, tz) if s.aware_at else "?",
        local_time(s.closed_at, tz) if s.closed_at else "",
        _deadline(deps, s, now),
    )


def parse(view: str, page: str) -> tuple[str, int]:
    """The view and page number asked for; BadListing names what there is."""
    if view not in LIST_VIEWS:
        raise BadListing(f"There is no {view!r} list; there are {', '.join(LIST_VIEWS)}.")
    if not page.isdigit() or int(page) < 1:
        raise BadListing(f"The page is a whole number from 1, not {page!r}.")
    return view, int(page)


async def board_page(deps: Deps, view: str, number: int, now: datetime) -> Listing:
    offset = (number - 1) * PER_PAGE
    found = await deps.store.list_page(view, now, offset, PER_PAGE + 1)
    rows = [_row(deps, s, now) for s in found[:PER_PAGE]]
    return Listing(view, number, rows, more=len(found) > PER_PAGE)
