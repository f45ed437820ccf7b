"""What the store holds, read back for the hardening tests: per incident its events, checked
as `ai-incident verify` checks them (the hash chain re-walked from the first event).

    before = await snapshot(store)
    ...                                   # hostile requests
    await assert_only_whole_appends(store, before)
"""

from __future__ import annotations

from bot.ports import IncidentStore
from bot.timeline import Event, first_broken_link

Snapshot = dict[str, tuple[Event, ...]]


async def snapshot(store: IncidentStore) -> Snapshot:
    held: Snapshot = {}
    for summary in await store.list_incidents(include_closed=True):
        incident = await store.load(summary.key)
        assert incident is not None, f"{summary.key} is listed but cannot be loaded"
        held[summary.key] = tuple(incident.events)
    return held


def refused_attempts_only(before: Snapshot, after: Snapshot) -> list[str]:
    """The refusals recorded since `before`, asserting nothing else changed."""
    assert before.keys() == after.keys(), "an incident appeared or disappeared"
    said = []
    for key, events in after.items():
        old = before[key]
        assert events[: len(old)] == old, f"{key}: recorded events were changed"
        added = events[len(old) :]
        assert all(e.type == "refused" for e in added), [e.type for e in added]
        said += [str(e.data["said"]) for e in added]
    return said


def event_count(held: Snapshot) -> int:
    return sum(len(events) for events in held.values())


async def assert_only_whole_appends(store: IncidentStore, before: Snapshot) -> Snapshot:
    """Every incident's timeline is as it was, or it with whole events appended; the chain
    of each verifies; a new incident starts with its declaration. Returns the new state."""
    after = await snapshot(store)
    assert before.keys() <= after.keys(), "an incident disappeared"
    for key, events in after.items():
        assert first_broken_link(key, events) is None, f"{key}: the hash chain is broken"
        old = before.get(key, ())
        assert events[: len(old)] == old, f"{key}: recorded events were changed"
        assert events, f"{key}: an incident without a single event"
        assert events[0].type == "declared", f"{key}: the first event is {events[0].type}"
    return after
