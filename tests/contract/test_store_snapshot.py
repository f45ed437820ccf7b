"""Every store loads an incident from its snapshot and the events after it, and what it
loads is exactly what replaying the whole timeline gives: after many saves, after a T0
correction, and when the snapshot was written by code whose state had another shape."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot import snapshot
from bot.incident import Incident, replay
from bot.ports import IncidentStore
from bot.timeline import BOT, Actor, Event, first_broken_link

from .test_store import T0, declaration, grow

KEY = "AI-2026-0007"
SAM = Actor("U02", "Sam Lee", "sam")
EVIDENCE = {"text": "log", "sha256": "a" * 64, "size": 3}

# One of each kind of change the state keeps, in the order an incident might see them.
STORY: list[tuple[str, dict[str, Any], Actor]] = [
    ("room_opened", {"platform": "slack", "id": "C07", "name": "ai-2026-0007"}, BOT),
    ("paged", {"role": "incident_lead", "person": "sam", "attempt": 0}, BOT),
    ("acknowledged", {"role": "incident_lead", "person": "sam"}, SAM),
    ("containment_step", {"step": 0, "status": "done", "reason": ""}, SAM),
    ("answered", {"question": "Q1", "value": "yes", "reason": ""}, SAM),
    ("answered", {"question": "Q6", "value": "yes", "reason": "Ireland, France"}, SAM),
    ("obligation_opened", {"clock": "ico_art33", "because": "Q3"}, BOT),
    ("awareness_corrected", {"to": (T0 - timedelta(hours=5)).isoformat(), "reason": "x"}, SAM),
    ("pinned", {"platform": "slack", "message_id": "1.2", "text": "it leaked"}, SAM),
    ("facts_recorded", {"receiving_client": "Acme Ltd", "records": "40"}, SAM),
    ("kill_switch_sent", {"step": 0, "method": "POST", "url": "https://k"}, SAM),
    ("kill_switch_result", {"step": 0, "ok": True, "status": 200}, BOT),
    ("reminded", {"key": f"{KEY}:nudge:3", "kind": "nudge", "late_by_s": 0.5}, BOT),
    ("undelivered", {"notice": {"kind": "card"}, "slot": "card"}, BOT),
    ("evidence_added", EVIDENCE, SAM),
    ("obligation_done", {"clock": "ico_art33", "reference": "ICO-1"}, SAM),
    ("unpinned", {"platform": "slack", "message_id": "1.2"}, SAM),
    ("evidence_added", EVIDENCE | {"item": "E2", "source": "chat"}, SAM),
    ("note", {"text": "bot says"}, BOT),
]


def _events() -> list[Event]:
    events = grow(KEY, [], "declared", declaration(T0 - timedelta(minutes=20)), T0)
    for type_, data, actor in STORY:
        events = grow(KEY, events, type_, {"source": "chat"} | data, actor=actor)
    return events


def _same_state(loaded: Incident | None, whole: Incident) -> None:
    """The loaded incident is the replayed one: every field of the state, its head, and its
    logs' lengths and last items (a load holds only their end)."""
    assert loaded is not None
    assert snapshot.dump(loaded) == snapshot.dump(whole)
    assert (loaded.last, len(loaded.events)) == (whole.last, len(whole.events))
    assert len(loaded.evidence) == len(whole.evidence)
    assert loaded.evidence[-1:] == whole.evidence[-1:]


async def test_after_many_saves_a_load_is_the_replay_of_every_event(store: IncidentStore) -> None:
    events = _events()
    incident = replay(KEY, events[:1])
    await store.save(incident, events[:1], [])
    for n in range(1, len(events)):
        incident = replay(KEY, events[: n + 1])
        await store.save(incident, events[n : n + 1], [])
        _same_state(await store.load(KEY, whole=False), incident)
    whole = await store.load(KEY, whole=True)
    assert whole == replay(KEY, events)
    assert first_broken_link(KEY, whole.events) is None
    assert whole.pinned == frozenset() and whole.facts["receiving_client"] == "Acme Ltd"
    assert whole.aware_at == T0 - timedelta(hours=5)  # the T0 correction holds


async def test_a_load_reads_only_the_events_after_the_snapshot(store: IncidentStore) -> None:
    events = _events()
    await store.save(replay(KEY, events[:-3]), events[:-3], [])
    await store.save(replay(KEY, events), events[-3:], [])
    loaded = await store.load(KEY, whole=False)
    assert loaded is not None and len(loaded.events) == len(events)
    assert not loaded.events.complete and loaded.events.tail == tuple(events[-1:])
    _same_state(loaded, replay(KEY, events))


async def test_an_older_copy_saved_later_leaves_the_newer_snapshot(store: IncidentStore) -> None:
    events = _events()
    await store.save(replay(KEY, events), events, [])
    await store.save(replay(KEY, events[:-1]), [], [])  # a slow writer's stale copy
    _same_state(await store.load(KEY, whole=False), replay(KEY, events))


async def test_a_snapshot_of_an_older_shape_is_rebuilt_from_the_events(
    store: IncidentStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    events = _events()
    monkeypatch.setattr(snapshot, "version", lambda: "0:older-shape")
    await store.save(replay(KEY, events[:-1]), events[:-1], [])
    monkeypatch.undo()
    loaded = await store.load(KEY, whole=False)
    assert loaded is not None and loaded.events.complete  # not read: the whole timeline was
    assert loaded == replay(KEY, events[:-1])
    await store.save(replay(KEY, events), events[-1:], [])  # the next change writes it anew
    again = await store.load(KEY, whole=False)
    assert again is not None and not again.events.complete
    _same_state(again, replay(KEY, events))


async def test_a_whole_load_holds_every_event_and_every_evidence_item(
    store: IncidentStore,
) -> None:
    events = _events()
    await store.save(replay(KEY, events), events, [])
    whole = await store.load(KEY, whole=True)
    assert whole is not None and list(whole.events) == events
    assert [e.item for e in whole.evidence] == [None, "E2"]
