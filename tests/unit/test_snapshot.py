"""The snapshot an incident is loaded from, and the logs a load holds only the end of."""

from __future__ import annotations

import json
from dataclasses import dataclass, make_dataclass, replace

import pytest

from bot import snapshot
from bot.incident import Incident, replay
from bot.tail import Incomplete, Log


def test_a_log_holding_its_end_knows_its_length_and_last_items_only() -> None:
    log = Log.whole("abc").end(1).appended("de")
    assert (len(log), log[-1], log[2], log[-3:]) == (5, "e", "c", ("c", "d", "e"))
    assert not log.complete and bool(log)
    with pytest.raises(Incomplete):
        list(log)
    with pytest.raises(Incomplete):
        log[1]
    with pytest.raises(IndexError):
        log[5]
    assert list(Log.whole("ab").appended("c")) == ["a", "b", "c"]
    assert not Log(0) and Log.whole("ab").end(0).tail == ()


def test_the_closed_seed_resumes_from_any_event_as_its_replay(closed: Incident) -> None:
    events = list(closed.events)
    for cut in (1, len(events) // 2, len(events)):
        text = snapshot.dump(replay(closed.key, events[:cut]))
        assert snapshot.start_of(text) == cut
        resumed = snapshot.resume(closed.key, text, events[cut - 1 :])
        assert resumed is not None
        assert snapshot.dump(resumed) == snapshot.dump(closed)
        assert replace(resumed, events=closed.events, evidence=closed.evidence) == closed


def test_a_snapshot_that_does_not_fit_its_events_is_not_used(closed: Incident) -> None:
    events = list(closed.events)
    text = snapshot.dump(replay(closed.key, events[:10]))
    assert snapshot.resume(closed.key, text, events[10:]) is None  # its head is not there
    other = replace(events[9], hash="f" * 64)
    assert snapshot.resume(closed.key, text, [other, *events[10:]]) is None  # another chain
    assert snapshot.resume("AI-2026-9999", text, events[9:]) is None
    kept = json.loads(text)
    older = json.dumps(kept | {"v": "0:older"})
    assert snapshot.start_of(older) == 0 and snapshot.resume(closed.key, older, events[9:]) is None
    del kept["state"]["facts"]  # written by code whose state had no such field
    assert snapshot.resume(closed.key, json.dumps(kept), events[9:]) is None
    assert snapshot.start_of("") == 0 and snapshot.start_of("{not json") == 0


def test_the_version_follows_the_states_shape() -> None:
    @dataclass(frozen=True)
    class State:
        key: str

    grown = make_dataclass("State", [("key", str), ("added", int)], frozen=True)
    assert snapshot.shape(State) != snapshot.shape(grown)
    assert snapshot.version().startswith(f"{snapshot.FOLD}:")


def test_a_whole_log_equals_the_tuple_of_its_items_and_a_partial_one_none() -> None:
    assert Log.whole("ab") == ("a", "b")
    assert Log.whole("ab")[:1] == Log.whole("a")  # a slice is a tuple
    assert Log.whole("ab").end(1) != ("b",) and Log.whole("ab") != ["a", "b"]
    assert hash(Log.whole("ab")) == hash(("a", "b"))
