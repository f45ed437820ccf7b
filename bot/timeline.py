"""The append-only incident timeline; each event carries the hash of the one before.

first = chain(None, "AI-2026-0001", at, actor, EventType.DECLARED, {"title": "…"})
second = chain(first, "AI-2026-0001", at, actor, EventType.NOTE, {"text": "…"})
first_broken_link("AI-2026-0001", [first, second])  # -> None while nobody edits a row
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.kinds import EventType

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    """Who did something: a runbook person where known, else a platform user, else the bot."""

    id: str
    name: str
    person_id: str | None = None


BOT = Actor(id="bot", name="ai-incident")


@dataclass(frozen=True)
class Event:
    seq: int
    at: datetime
    actor: Actor
    type: str  # an EventType's value, kept as the plain string it is stored as
    data: Mapping[str, Any]
    prev_hash: str
    hash: str


def event_hash(
    key: str,
    seq: int,
    at: datetime,
    actor: Actor,
    type_: str,
    data: Mapping[str, Any],
    prev_hash: str,
) -> str:
    body = {
        "key": key,
        "seq": seq,
        "at": at.isoformat(),
        "actor": [actor.id, actor.name, actor.person_id],
        "type": type_,
        "data": data,
        "prev": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def chain(
    prev: Event | None,
    key: str,
    at: datetime,
    actor: Actor,
    type_: EventType | str,
    data: Mapping[str, Any],
) -> Event:
    seq = 1 if prev is None else prev.seq + 1
    prev_hash = GENESIS if prev is None else prev.hash
    type_ = str(type_)  # an EventType becomes its plain string: the row and the hash see that
    digest = event_hash(key, seq, at, actor, type_, data, prev_hash)
    return Event(seq, at, actor, type_, dict(data), prev_hash, digest)


def first_broken_link(key: str, events: Sequence[Event]) -> int | None:
    """The seq of the first event whose hash or link does not verify, or None."""
    prev_hash = GENESIS
    for expected_seq, event in enumerate(events, start=1):
        recomputed = event_hash(
            key, event.seq, event.at, event.actor, event.type, event.data, event.prev_hash
        )
        if event.seq != expected_seq or event.prev_hash != prev_hash or event.hash != recomputed:
            return event.seq
        prev_hash = event.hash
    return None
