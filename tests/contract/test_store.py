"""The IncidentStore contract: every store (memory, SQLite, PostgreSQL) behaves the same."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

from bot.incident import Incident, replay
from bot.ports import Conflict, IncidentStore
from bot.schedule import Reminder, ReminderSpec
from bot.timeline import Actor, Event, chain, first_broken_link

from .conftest import Backend

T0 = datetime(2026, 3, 2, 9, 15, 30, 123456, tzinfo=UTC)
ALEX = Actor("U01", "Alex Doe", "alex")
LEASE = timedelta(minutes=2)


def declaration(aware_at: datetime) -> dict[str, Any]:
    return {
        "title": "Intake bot quoted another client's matter",
        "system": "intake-bot",
        "failure_type": "data_leak",
        "noticed": "a client saw someone else's name",
        "aware_at": aware_at.isoformat(),
    }


def grow(
    key: str,
    events: Sequence[Event],
    type_: str,
    data: Mapping[str, Any],
    at: datetime | None = None,
    actor: Actor = ALEX,
) -> list[Event]:
    prev = events[-1] if events else None
    when = at or (prev.at + timedelta(minutes=1) if prev else T0)
    return [*events, chain(prev, key, when, actor, type_, data)]


async def declare(
    store: IncidentStore,
    key: str,
    at: datetime = T0,
    reminders: Sequence[ReminderSpec] = (),
) -> Incident:
    events = grow(key, [], "declared", declaration(at - timedelta(minutes=20)), at)
    incident = replay(key, events)
    await store.save(incident, events, reminders)
    return incident


async def append(
    store: IncidentStore,
    incident: Incident,
    type_: str,
    data: Mapping[str, Any],
    reminders: Sequence[ReminderSpec] = (),
    at: datetime | None = None,
) -> Incident:
    events = grow(incident.key, incident.events, type_, data, at)
    grown = replay(incident.key, events)
    await store.save(grown, events[len(incident.events) :], reminders)
    return grown


def spec(key: str, name: str, due: datetime, **data: Any) -> ReminderSpec:
    return ReminderSpec(f"{key}:{name}", key, "deadline", due, data)


def by_name(reminders: list[Reminder]) -> dict[str, Reminder]:
    return {r.dedupe_key.split(":", 1)[1]: r for r in reminders}


async def reminders_due(store: IncidentStore, key: str, *dues: datetime) -> list[int]:
    """Declare `key` with one reminder per due time; their ids, in the order given."""
    specs = [spec(key, f"r{i}", due) for i, due in enumerate(dues)]
    await declare(store, key, reminders=specs)
    ids = {r.dedupe_key: r.id for r in await store.reminders(key)}
    return [ids[s.dedupe_key] for s in specs]


# Timeline


async def test_saved_events_load_back_identical_and_the_chain_verifies(
    store: IncidentStore,
) -> None:
    incident = await declare(store, "AI-2026-0001")
    noted_at = datetime(2026, 3, 2, 11, 16, 0, 7, tzinfo=timezone(timedelta(hours=2)))
    note = {"text": "Modèle coupé ✓", "links": ["https://x"], "nested": {"b": 1, "a": [1, 2]}}
    grown = await append(store, incident, "note", note, at=noted_at)
    loaded = await store.load("AI-2026-0001")
    assert loaded is not None
    assert loaded.events == grown.events
    assert loaded.events[1].at.utcoffset() == timedelta(hours=2)
    assert first_broken_link("AI-2026-0001", loaded.events) is None
    assert (loaded.title, loaded.system, loaded.aware_at) == (
        grown.title,
        grown.system,
        grown.aware_at,
    )


async def test_loading_an_unknown_incident_gives_none(store: IncidentStore) -> None:
    assert await store.load("AI-2026-0404") is None


async def test_appending_a_taken_seq_conflicts_and_saves_nothing(store: IncidentStore) -> None:
    base = await declare(store, "AI-2026-0001")
    await append(store, base, "note", {"text": "first"}, [spec(base.key, "a", T0)])
    with pytest.raises(Conflict):
        await append(store, base, "phase_changed", {"to": "evidence"}, [spec(base.key, "b", T0)])
    loaded = await store.load(base.key)
    assert loaded is not None
    assert [e.data for e in loaded.events[1:]] == [{"text": "first"}]
    assert list(by_name(await store.reminders(base.key))) == ["a"]
    assert [s.phase for s in await store.list_incidents()] == ["containment"]


# Keys


async def test_keys_count_up_per_year(store: IncidentStore) -> None:
    keys = [await store.next_key(year) for year in (2026, 2026, 2027, 2026)]
    assert keys == ["AI-2026-0001", "AI-2026-0002", "AI-2027-0001", "AI-2026-0003"]


async def test_twenty_concurrent_keys_are_all_different(backend: Backend) -> None:
    stores = [backend.open(), backend.open()]
    keys = await asyncio.gather(*(stores[i % 2].next_key(2026) for i in range(20)))
    assert sorted(keys) == [f"AI-2026-{n:04d}" for n in range(1, 21)]


# Reconciling reminders


async def test_reconcile_inserts_new_reminders_and_moves_changed_ones(store: IncidentStore) -> None:
    incident = await declare(store, "AI-2026-0001", reminders=[spec("AI-2026-0001", "a", T0)])
    later = T0 + timedelta(hours=1)
    wanted = [spec(incident.key, "a", later, clock="ico"), spec(incident.key, "c", T0)]
    await append(store, incident, "note", {"text": "x"}, wanted)
    stored = by_name(await store.reminders(incident.key))
    assert {name: (r.status, r.due_at, r.data) for name, r in stored.items()} == {
        "a": ("scheduled", later, {"clock": "ico"}),
        "c": ("scheduled", T0, {}),
    }


async def test_reconcile_cancels_what_is_no_longer_wanted_and_revives_it_later(
    store: IncidentStore,
) -> None:
    specs = [spec("AI-2026-0001", "a", T0), spec("AI-2026-0001", "b", T0)]
    incident = await declare(store, "AI-2026-0001", reminders=specs)
    incident = await append(store, incident, "note", {"text": "x"}, specs[:1])
    cancelled = by_name(await store.reminders(incident.key))["b"]
    assert cancelled.status == "cancelled"
    await append(store, incident, "note", {"text": "y"}, specs)
    revived = by_name(await store.reminders(incident.key))
    assert (revived["b"].status, revived["b"].id) == ("scheduled", cancelled.id)
    assert len(revived) == 2


async def test_reconcile_never_touches_sent_or_claimed_reminders(store: IncidentStore) -> None:
    key = "AI-2026-0001"
    sent_id, claimed_id = await reminders_due(store, key, T0, T0 + timedelta(minutes=1))
    await store.claim_due(T0 + timedelta(minutes=1), LEASE, 10)
    await store.finish_reminder(sent_id, "sent", T0, "m-1")
    incident = await store.load(key)
    assert incident is not None
    elsewhere = T0 + timedelta(days=1)
    await append(store, incident, "note", {"text": "x"}, [spec(key, "r0", elsewhere)])
    stored = {r.id: r for r in await store.reminders(key)}
    assert (stored[sent_id].status, stored[sent_id].due_at) == ("sent", T0)
    assert stored[claimed_id].status == "claimed"


async def test_reconcile_keeps_a_retry_back_off_while_the_deadline_is_unchanged(
    store: IncidentStore,
) -> None:
    key = "AI-2026-0001"
    (reminder_id,) = await reminders_due(store, key, T0)
    await store.claim_due(T0, LEASE, 10)
    await store.retry_reminder(reminder_id, T0 + timedelta(minutes=5), "rate limited")
    incident = await store.load(key)
    assert incident is not None
    await append(store, incident, "note", {"text": "x"}, [spec(key, "r0", T0)])
    assert await store.claim_due(T0 + timedelta(minutes=1), LEASE, 10) == []
    assert await store.next_due() == T0 + timedelta(minutes=5)


async def test_a_dedupe_key_cannot_belong_to_two_incidents(store: IncidentStore) -> None:
    await declare(store, "AI-2026-0001", reminders=[spec("AI-2026-0001", "a", T0)])
    with pytest.raises(ValueError):
        await declare(store, "AI-2026-0002", reminders=[spec("AI-2026-0001", "a", T0)])
    assert await store.load("AI-2026-0002") is None


# Claiming


async def test_claim_returns_due_reminders_oldest_first_and_not_future_ones(
    store: IncidentStore,
) -> None:
    now = T0 + timedelta(hours=1)
    late, early, future = await reminders_due(
        store,
        "AI-2026-0001",
        now - timedelta(minutes=1),
        now - timedelta(minutes=30),
        now + timedelta(seconds=1),
    )
    claimed = await store.claim_due(now, LEASE, 10)
    assert [r.id for r in claimed] == [early, late]
    assert {r.status for r in claimed} == {"claimed"}
    assert [r.attempts for r in claimed] == [0, 0]
    assert future not in {r.id for r in await store.claim_due(now, LEASE, 10)}


async def test_a_claim_holds_until_its_lease_expires(store: IncidentStore) -> None:
    (reminder_id,) = await reminders_due(store, "AI-2026-0001", T0)
    assert [r.id for r in await store.claim_due(T0, LEASE, 10)] == [reminder_id]
    assert await store.claim_due(T0 + LEASE - timedelta(microseconds=1), LEASE, 10) == []
    again = await store.claim_due(T0 + LEASE, LEASE, 10)
    assert [(r.id, r.status) for r in again] == [(reminder_id, "claimed")]


async def test_a_claim_takes_at_most_the_limit_oldest_first(store: IncidentStore) -> None:
    ids = await reminders_due(store, "AI-2026-0001", *(T0 + timedelta(seconds=s) for s in range(5)))
    first = await store.claim_due(T0 + timedelta(minutes=1), LEASE, 2)
    rest = await store.claim_due(T0 + timedelta(minutes=1), LEASE, 10)
    assert [r.id for r in first] == ids[:2]
    assert [r.id for r in rest] == ids[2:]


async def test_concurrent_claimers_never_get_the_same_reminder(backend: Backend) -> None:
    stores = [backend.open() for _ in range(3)]
    dues = [T0 + timedelta(seconds=s) for s in range(12)]
    ids = await reminders_due(stores[0], "AI-2026-0001", *dues)
    now = T0 + timedelta(minutes=1)
    batches = await asyncio.gather(*(stores[i % 3].claim_due(now, LEASE, 3) for i in range(5)))
    batches.append(await stores[0].claim_due(now, LEASE, 100))
    claimed = [r.id for batch in batches for r in batch]
    assert sorted(claimed) == sorted(ids)


# Finishing and retrying


async def test_a_sent_reminder_records_the_attempt_lateness_and_message(
    store: IncidentStore,
) -> None:
    (reminder_id,) = await reminders_due(store, "AI-2026-0001", T0)
    sent_at = T0 + timedelta(minutes=3, seconds=7)
    await store.claim_due(sent_at, LEASE, 10)
    await store.finish_reminder(reminder_id, "sent", sent_at, message_id="1700000000.0001")
    (sent,) = await store.reminders("AI-2026-0001")
    assert (sent.status, sent.attempts, sent.message_id) == ("sent", 1, "1700000000.0001")
    assert (sent.sent_at, sent.late_by_s) == (sent_at, 187.0)
    assert await store.next_due() is None


async def test_a_reminder_sent_on_time_is_not_late(store: IncidentStore) -> None:
    (reminder_id,) = await reminders_due(store, "AI-2026-0001", T0)
    await store.claim_due(T0, LEASE, 10)
    await store.finish_reminder(reminder_id, "sent", T0 - timedelta(seconds=1), "m")
    assert (await store.reminders("AI-2026-0001"))[0].late_by_s == 0.0


async def test_a_cancelled_reminder_counts_no_attempt(store: IncidentStore) -> None:
    (reminder_id,) = await reminders_due(store, "AI-2026-0001", T0)
    await store.claim_due(T0, LEASE, 10)
    await store.finish_reminder(reminder_id, "cancelled", T0, error="incident closed")
    (cancelled,) = await store.reminders("AI-2026-0001")
    assert (cancelled.status, cancelled.attempts, cancelled.sent_at) == ("cancelled", 0, None)
    assert cancelled.last_error == "incident closed"
    assert await store.claim_due(T0 + timedelta(days=1), LEASE, 10) == []


async def test_finishing_a_finished_reminder_changes_nothing(store: IncidentStore) -> None:
    (reminder_id,) = await reminders_due(store, "AI-2026-0001", T0)
    await store.claim_due(T0, LEASE, 10)
    await store.finish_reminder(reminder_id, "sent", T0, "m-1")
    await store.finish_reminder(reminder_id, "cancelled", T0 + timedelta(hours=1), "m-2")
    await store.retry_reminder(reminder_id, T0, "late")
    (sent,) = await store.reminders("AI-2026-0001")
    assert (sent.status, sent.message_id, sent.attempts) == ("sent", "m-1", 1)


async def test_finishing_needs_a_known_reminder_and_a_final_status(store: IncidentStore) -> None:
    (reminder_id,) = await reminders_due(store, "AI-2026-0001", T0)
    with pytest.raises(KeyError):
        await store.finish_reminder(reminder_id + 1000, "sent", T0, "m")
    with pytest.raises(KeyError):
        await store.retry_reminder(reminder_id + 1000, T0, "x")
    with pytest.raises(ValueError):
        await store.finish_reminder(reminder_id, "claimed", T0)


async def test_retry_counts_the_attempt_and_waits_until_retry_at(store: IncidentStore) -> None:
    (reminder_id,) = await reminders_due(store, "AI-2026-0001", T0)
    retry_at = T0 + timedelta(seconds=30)
    await store.claim_due(T0, LEASE, 10)
    await store.retry_reminder(reminder_id, retry_at, "chat said 429")
    (waiting,) = await store.reminders("AI-2026-0001")
    assert (waiting.status, waiting.attempts, waiting.last_error) == (
        "scheduled",
        1,
        "chat said 429",
    )
    assert waiting.due_at == T0
    assert await store.claim_due(retry_at - timedelta(seconds=1), LEASE, 10) == []
    assert [r.id for r in await store.claim_due(retry_at, LEASE, 10)] == [reminder_id]
    await store.finish_reminder(reminder_id, "sent", retry_at + timedelta(seconds=2), "m")
    (sent,) = await store.reminders("AI-2026-0001")
    assert (sent.attempts, sent.late_by_s) == (2, 32.0)


async def test_next_due_is_the_earliest_ready_reminder_or_expiring_claim(
    store: IncidentStore,
) -> None:
    assert await store.next_due() is None
    first, _second = await reminders_due(store, "AI-2026-0001", T0, T0 + timedelta(hours=1))
    assert await store.next_due() == T0
    await store.claim_due(T0, LEASE, 10)
    assert await store.next_due() == T0 + LEASE
    await store.finish_reminder(first, "sent", T0, "m")
    assert await store.next_due() == T0 + timedelta(hours=1)


# Reading reminders


async def test_reminders_are_listed_per_incident_by_due_time(store: IncidentStore) -> None:
    a_late, a_early = await reminders_due(store, "AI-2026-0001", T0 + timedelta(hours=2), T0)
    await reminders_due(store, "AI-2026-0002", T0 + timedelta(hours=1))
    assert [r.id for r in await store.reminders("AI-2026-0001")] == [a_early, a_late]
    assert await store.reminders("AI-2026-0404") == []


async def test_datetimes_come_back_as_aware_utc(store: IncidentStore) -> None:
    india = timezone(timedelta(hours=5, minutes=30))
    await reminders_due(store, "AI-2026-0001", T0.astimezone(india))
    (reminder,) = await store.reminders("AI-2026-0001")
    assert reminder.due_at == T0
    assert reminder.due_at.utcoffset() == timedelta(0)
    (summary,) = await store.list_incidents()
    assert summary.declared_at is not None
    assert summary.declared_at.utcoffset() == timedelta(0)


# The incident list, rooms and message slots


async def test_incidents_list_open_newest_first_then_closed(store: IncidentStore) -> None:
    older = await declare(store, "AI-2026-0001", at=T0)
    await declare(store, "AI-2026-0002", at=T0 + timedelta(hours=1))
    await declare(store, "AI-2026-0003", at=T0 + timedelta(hours=2))
    await append(store, older, "closed", {"summary": "done"})
    listed = await store.list_incidents()
    assert [s.key for s in listed] == ["AI-2026-0003", "AI-2026-0002", "AI-2026-0001"]
    assert listed[-1].closed_at == T0 + timedelta(minutes=1)
    open_only = await store.list_incidents(include_closed=False)
    assert [s.key for s in open_only] == ["AI-2026-0003", "AI-2026-0002"]


async def test_the_list_row_follows_the_incident(store: IncidentStore) -> None:
    incident = await declare(store, "AI-2026-0001")
    incident = await append(
        store, incident, "acknowledged", {"role": "incident_lead", "person": "sam"}
    )
    await append(store, incident, "phase_changed", {"to": "classification"})
    (row,) = await store.list_incidents()
    assert (row.title, row.system, row.phase, row.owner) == (
        "Intake bot quoted another client's matter",
        "intake-bot",
        "classification",
        "sam",
    )
    assert (row.declared_at, row.aware_at) == (T0, T0 - timedelta(minutes=20))


async def test_an_older_copy_never_overwrites_a_newer_list_row(store: IncidentStore) -> None:
    old = await declare(store, "AI-2026-0001")
    await append(store, old, "phase_changed", {"to": "evidence"})
    await store.save(old, [], [])
    assert [s.phase for s in await store.list_incidents()] == ["evidence"]


async def test_an_incident_is_found_by_its_room(store: IncidentStore) -> None:
    incident = await declare(store, "AI-2026-0001")
    await declare(store, "AI-2026-0002")
    await append(store, incident, "room_opened", {"platform": "slack", "id": "C042", "name": "x"})
    assert await store.find_by_room("slack", "C042") == "AI-2026-0001"
    assert await store.find_by_room("teams", "C042") is None
    assert await store.find_by_room("slack", "C999") is None


async def test_message_slots_remember_the_latest_id(store: IncidentStore) -> None:
    assert await store.message_id("AI-2026-0001", "card") is None
    await store.remember_message("AI-2026-0001", "card", "111.1")
    await store.remember_message("AI-2026-0001", "card", "222.2")
    await store.remember_message("AI-2026-0001", "summary", "333.3")
    assert await store.message_id("AI-2026-0001", "card") == "222.2"
    assert await store.message_id("AI-2026-0001", "summary") == "333.3"
    assert await store.message_id("AI-2026-0002", "card") is None
