"""The list rows the board pages through: every store keeps each incident's earliest
pending deadline with it and pages open, overdue and closed incidents the same way."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.ports import IncidentStore
from bot.schedule import ReminderSpec

from .test_store import T0, append, declare


def deadline(key: str, clock: str, due: datetime) -> ReminderSpec:
    return ReminderSpec(f"{key}:overdue:{clock}", key, "overdue", due, {"clock": clock})


def nudge(key: str, due: datetime) -> ReminderSpec:
    return ReminderSpec(f"{key}:nudge:1", key, "nudge", due, {})


async def test_the_list_row_keeps_the_earliest_pending_deadline_and_its_clock(
    store: IncidentStore,
) -> None:
    key = "AI-2026-0001"
    wanted = [
        deadline(key, "ico_art33", T0 + timedelta(hours=72)),
        deadline(key, "pi_insurer", T0 + timedelta(hours=48)),
        nudge(key, T0 + timedelta(hours=1)),  # a reminder, not a deadline
    ]
    incident = await declare(store, key, reminders=wanted)
    (row,) = await store.list_incidents()
    assert (row.next_due_at, row.next_clock) == (T0 + timedelta(hours=48), "pi_insurer")
    await append(store, incident, "note", {"text": "PI insurer told"}, reminders=wanted[:1])
    (row,) = await store.list_incidents()
    assert (row.next_due_at, row.next_clock) == (T0 + timedelta(hours=72), "ico_art33")


async def test_an_incident_with_no_pending_deadline_lists_none(store: IncidentStore) -> None:
    await declare(store, "AI-2026-0001", reminders=[nudge("AI-2026-0001", T0)])
    (row,) = await store.list_incidents()
    assert (row.next_due_at, row.next_clock) == (None, "")


async def test_pages_of_open_incidents_come_newest_first(store: IncidentStore) -> None:
    for n in range(1, 6):
        await declare(store, f"AI-2026-{n:04d}", at=T0 + timedelta(hours=n))
    first = await store.list_page("open", T0, offset=0, limit=2)
    second = await store.list_page("open", T0, offset=2, limit=2)
    last = await store.list_page("open", T0, offset=4, limit=2)
    assert [s.key for s in first] == ["AI-2026-0005", "AI-2026-0004"]
    assert [s.key for s in second] == ["AI-2026-0003", "AI-2026-0002"]
    assert [s.key for s in last] == ["AI-2026-0001"]


async def test_overdue_lists_open_incidents_past_a_deadline_most_overdue_first(
    store: IncidentStore,
) -> None:
    now = T0 + timedelta(hours=50)
    soon, late, later = "AI-2026-0001", "AI-2026-0002", "AI-2026-0003"
    await declare(store, soon, reminders=[deadline(soon, "ico_art33", T0 + timedelta(hours=72))])
    await declare(store, late, reminders=[deadline(late, "pi_insurer", T0 + timedelta(hours=48))])
    await declare(store, later, reminders=[deadline(later, "fca", T0 + timedelta(hours=2))])
    closed = await declare(
        store, "AI-2026-0004", reminders=[deadline("AI-2026-0004", "x", T0 + timedelta(hours=1))]
    )
    await append(store, closed, "closed", {"summary": "done"})
    overdue = await store.list_page("overdue", now, offset=0, limit=10)
    assert [s.key for s in overdue] == [later, late]


async def test_closed_lists_the_latest_closed_first(store: IncidentStore) -> None:
    first = await declare(store, "AI-2026-0001")
    second = await declare(store, "AI-2026-0002")
    await declare(store, "AI-2026-0003")
    await append(store, first, "closed", {"summary": "a"}, at=T0 + timedelta(hours=1))
    await append(store, second, "closed", {"summary": "b"}, at=T0 + timedelta(hours=2))
    closed = await store.list_page("closed", T0, offset=0, limit=10)
    assert [s.key for s in closed] == ["AI-2026-0002", "AI-2026-0001"]
    assert [s.key for s in await store.list_page("open", T0, 0, 10)] == ["AI-2026-0003"]
