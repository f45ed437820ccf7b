"""The record's anchors: what `ai-incident verify` checks an incident's timeline against
besides its own hash chain. The incident row keeps the event count and the head (the last
event's hash), so cutting events from the end shows; a head published outside the database
(in the room, the evidence pack, the export) catches a chain rewritten and recomputed by
someone who could also fix the row.

    problem(key, events, count=12, head="ab…", published="")  # -> None while untouched
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.timeline import Event, first_broken_link


def head_of(events: Sequence[Event]) -> str:
    return events[-1].hash if events else ""


def short(head: str) -> str:
    """A head as people copy it: the first 16 hex digits are enough to compare by eye;
    verify accepts any prefix of 12 digits or more."""
    return head[:16]


def problem(
    key: str, events: Sequence[Event], count: int, head: str, published: str = ""
) -> str | None:
    """Where the record fails its anchors, in words; None when it passes them all."""
    broken = first_broken_link(key, events)
    if broken is not None:
        return f"hash chain broken at event {broken} (timeline row seq={broken})"
    if count != len(events):
        missing = f"events {len(events) + 1}–{count} are missing" if count > len(events) else ""
        said = missing or f"{len(events) - count} event(s) were added outside the bot"
        return f"the incident row records {count} events, the timeline holds {len(events)}: {said}"
    if head and head != head_of(events):
        return f"the last event's hash is not the head the incident row keeps ({short(head)})"
    return _published(events, published.strip().lower())


def _published(events: Sequence[Event], published: str) -> str | None:
    if not published:
        return None
    if len(published) < 12:
        return "give at least 12 hex digits of the published head"
    if any(e.hash.startswith(published) for e in events):
        return None
    return (
        f"the published head {published[:16]} is no event of this timeline: "
        "events were rewritten (or the head belongs to another incident)"
    )
