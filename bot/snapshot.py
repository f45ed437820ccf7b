"""An incident's folded state as JSON text, kept beside its timeline: a load reads it and
folds only the events after it, so a long incident loads as fast as a short one.

    text = dump(incident)              # its state at its head event (seq, hash)
    start_of(text)                     # -> 12: read the events from seq 12 (the head) on
    resume("AI-2026-0001", text, events_from_12)   # -> the Incident, or None: replay instead

A snapshot is used only when its version is this code's (the state's shape and FOLD) and
its head is the first event read back (same seq, same hash); anything else is replayed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import types
from collections.abc import Mapping, Sequence
from datetime import datetime
from functools import cache
from typing import Any, Union, get_args, get_origin, get_type_hints

from bot.incident import APPLY, GROWS, Incident, fold
from bot.tail import Log
from bot.timeline import Event

# Raise when what an event does to the state changes (an applier in bot.incident) while
# the state's fields stay the same: every snapshot is then rebuilt from its events. A new
# field, or an event type that starts changing the state, is noticed on its own.
FOLD = 1
KEPT_EVIDENCE = 1  # a snapshot keeps the last evidence item (for `incident.evidence[-1]`)


def _shape(kind: Any, seen: set[type]) -> str:
    """The type's description, down through every dataclass it holds."""
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        if kind in seen:
            return kind.__name__
        seen.add(kind)
        hints = get_type_hints(kind)
        inner = ",".join(
            f"{f.name}:{_shape(hints[f.name], seen)}" for f in dataclasses.fields(kind)
        )
        return f"{kind.__name__}({inner})"
    args = get_args(kind)
    if args:
        origin = get_origin(kind)
        return f"{getattr(origin, '__name__', origin)}[{','.join(_shape(a, seen) for a in args)}]"
    return getattr(kind, "__name__", repr(kind))


@cache
def _hints(kind: type) -> dict[str, Any]:
    return get_type_hints(kind)


def shape(kind: type) -> str:
    """The fields of `kind` and their types, down through every dataclass it holds."""
    return _shape(kind, set())


@cache
def version() -> str:
    """FOLD, the state's shape and which event types change it: a snapshot written under
    any other is rebuilt from its events."""
    folded = ",".join(sorted({*APPLY, *GROWS}))
    digest = hashlib.sha256(f"{shape(Incident)};{folded}".encode()).hexdigest()
    return f"{FOLD}:{digest[:16]}"


def _plain(value: Any) -> Any:
    """A state value as JSON: dataclasses as objects, times in ISO form, sets sorted."""
    if isinstance(value, datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, frozenset):
        return sorted((_plain(v) for v in value), key=json.dumps)
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _read(kind: Any, value: Any) -> Any:
    """A JSON value read back as `kind`: the inverse of `_plain`, led by the type."""
    origin, args = get_origin(kind), get_args(kind)
    if kind is Any:
        return value
    if origin in (Union, types.UnionType):
        return None if value is None else _read(next(a for a in args if a is not type(None)), value)
    if kind is datetime:
        return datetime.fromisoformat(value)
    if origin is Log:
        return Log(int(value["size"]), tuple(_read(args[0], v) for v in value["tail"]))
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = _hints(kind)
        if set(value) != {f.name for f in dataclasses.fields(kind)}:
            raise ValueError(f"{kind.__name__} has other fields than {sorted(value)}")
        return kind(**{name: _read(hints[name], v) for name, v in value.items()})
    if origin is Mapping or origin is dict:
        return {_read(args[0], k): _read(args[1], v) for k, v in value.items()}
    if origin is frozenset:
        return frozenset(_read(args[0], v) for v in value)
    if origin is tuple:
        each = args[:1] * len(value) if args[1:] == (...,) else args
        return tuple(_read(a, v) for a, v in zip(each, value, strict=True))
    if kind in (int, float):
        return kind(value)
    if kind in (str, bool) and isinstance(value, kind):
        return value
    raise ValueError(f"cannot read {value!r} as {kind!r}")


def dump(incident: Incident) -> str:
    """The snapshot of `incident` at its head event; "" before its first event."""
    head = incident.last
    if head is None:
        return ""
    state = dataclasses.replace(
        incident, events=Log(0), evidence=incident.evidence.end(KEPT_EVIDENCE)
    )
    kept = {"v": version(), "seq": head.seq, "hash": head.hash, "state": _plain(state)}
    return json.dumps(kept, separators=(",", ":"), ensure_ascii=False)


def _parsed(text: str) -> dict[str, Any] | None:
    try:
        kept = json.loads(text) if text else None
    except ValueError:
        return None
    return kept if isinstance(kept, dict) and kept.get("v") == version() else None


def start_of(text: str) -> int:
    """The seq to read events from (the snapshot's head); 0: no usable snapshot, read all."""
    kept = _parsed(text)
    return int(kept["seq"]) if kept else 0


def resume(key: str, text: str, events: Sequence[Event]) -> Incident | None:
    """The incident from its snapshot and the events from its head on; None where they do
    not fit together (then replay the whole timeline)."""
    kept = _parsed(text)
    if kept is None or not events or (events[0].seq, events[0].hash) != (kept["seq"], kept["hash"]):
        return None
    try:
        state: Incident = _read(Incident, kept["state"])
    except (KeyError, TypeError, ValueError, StopIteration):
        return None
    if state.key != key:
        return None
    head = dataclasses.replace(state, events=Log(events[0].seq, (events[0],)))
    return fold(head, events[1:])
