from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from bot.timeline import GENESIS, Actor, chain, first_broken_link

AT = datetime(2026, 3, 26, 15, 30, tzinfo=UTC)
SAM = Actor("test:sam", "Sam Okafor", "sam")


def three_events() -> list:  # type: ignore[type-arg]
    first = chain(None, "AI-2026-0001", AT, SAM, "declared", {"title": "Leak"})
    second = chain(first, "AI-2026-0001", AT + timedelta(minutes=1), SAM, "note", {"text": "a"})
    third = chain(second, "AI-2026-0001", AT + timedelta(minutes=2), SAM, "note", {"text": "b"})
    return [first, second, third]


def test_each_event_carries_the_hash_of_the_one_before() -> None:
    events = three_events()
    assert events[0].prev_hash == GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert first_broken_link("AI-2026-0001", events) is None


def test_an_edited_event_is_named_as_the_first_broken_link() -> None:
    events = three_events()
    events[1] = replace(events[1], data={"text": "rewritten"})
    assert first_broken_link("AI-2026-0001", events) == 2


def test_a_deleted_event_breaks_the_chain_where_it_was() -> None:
    events = three_events()
    del events[1]
    assert first_broken_link("AI-2026-0001", events) == 3


def test_the_same_events_under_another_key_do_not_verify() -> None:
    assert first_broken_link("AI-2026-0002", three_events()) == 1
