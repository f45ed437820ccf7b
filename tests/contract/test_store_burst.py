"""Finishing a burst: every store finishes several claimed reminders in one call exactly as
it finishes each alone, and a reminder finished before stays as it was."""

from __future__ import annotations

from datetime import timedelta

from bot.ports import IncidentStore

from .test_store import LEASE, T0, reminders_due


async def test_several_reminders_finish_together_each_as_it_would_alone(
    store: IncidentStore,
) -> None:
    first, second, third = await reminders_due(store, "AI-2026-0001", T0, T0, T0)
    await store.claim_due(T0, LEASE, 10)
    await store.finish_reminder(third, "sent", T0, "m-3")
    at = T0 + timedelta(seconds=4)
    await store.finish_reminders(
        [(first, "sent", "m-1"), (second, "cancelled", ""), (third, "cancelled", "")], at
    )
    rows = {r.id: r for r in await store.reminders("AI-2026-0001")}
    assert (rows[first].status, rows[first].message_id, rows[first].late_by_s) == (
        "sent",
        "m-1",
        4.0,
    )
    assert (rows[second].status, rows[second].attempts) == ("cancelled", 0)
    assert (rows[third].status, rows[third].message_id) == ("sent", "m-3")
    assert await store.next_due() is None


async def test_finishing_nothing_changes_nothing(store: IncidentStore) -> None:
    (only,) = await reminders_due(store, "AI-2026-0001", T0)
    await store.finish_reminders([], T0)
    assert [r.status for r in await store.reminders("AI-2026-0001")] == ["scheduled"]
    assert only > 0
