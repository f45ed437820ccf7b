"""Exactly what the core calls outside itself: the chat, the store and the clock."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.incident import Incident, Room
from bot.notices import Notice
from bot.schedule import Reminder, ReminderSpec
from bot.timeline import Event


class Conflict(Exception):
    """Someone else appended to the incident first; reload and decide again."""


class AlreadyDone(Exception):
    """The request this work answers changed the incident before (a replay after a crash):
    nothing is done twice."""


class ChatError(Exception):
    """A send failed; `retry_after` says when it is worth trying again (seconds)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class Undeliverable(ChatError):
    """A send that sending again will not mend: the room is gone (archived, the bot
    removed) or the message can never fit. Recorded, not retried."""


@dataclass(frozen=True)
class IncidentSummary:
    """One row of the incident list."""

    key: str
    title: str
    system: str
    phase: str
    owner: str | None
    aware_at: datetime | None
    declared_at: datetime | None
    closed_at: datetime | None
    room_platform: str = ""
    room_id: str = ""
    version: int = 0  # the seq of the last event: how many events the record holds
    head_hash: str = ""  # the last event's hash, kept apart from the events themselves
    next_due_at: datetime | None = None  # the earliest deadline of a clock still pending
    next_clock: str = ""  # that clock's id


# What the board lists: incidents still open, the open ones past a deadline, closed ones.
LIST_VIEWS = ("open", "overdue", "closed")


@dataclass(frozen=True)
class Slot:
    """A named message of an incident's room: its platform id ("" while its poster is
    still posting it) and the incident version it last showed."""

    message_id: str
    version: int


class Clock(Protocol):
    def now(self) -> datetime: ...


class Chat(Protocol):
    async def open_room(self, incident: Incident) -> Room: ...

    async def post(self, room: Room, notice: Notice) -> str:
        """Post a message; returns the platform's message id."""
        ...

    async def update(self, room: Room, message_id: str, notice: Notice) -> None: ...

    async def archive_room(self, room: Room) -> None:
        """Archive a closed incident's room (the runbook's archive_after later); a room
        archived already counts as done. ChatError when it is worth trying again."""
        ...


class Records(Protocol):
    """Where a closed incident's report, register entry and regression case are kept."""

    async def keep(self, files: Mapping[str, bytes]) -> None:
        """Write each file at its relative path, replacing any earlier version whole."""
        ...


class IncidentStore(Protocol):
    async def next_key(self, year: int) -> str: ...

    async def load(self, key: str, whole: bool = True) -> Incident | None:
        """The incident its whole timeline folds into; `whole=False` (the use-cases, the
        ticker): from its snapshot and the events after it, as fast for a long incident as
        a short one, its logs (`events`, `evidence`) holding only their end (`bot.tail`)."""
        ...

    async def save(
        self,
        incident: Incident,
        new_events: Sequence[Event],
        reminders: Sequence[ReminderSpec],
        request: int | None = None,
        finished: Sequence[tuple[int, str, str]] = (),
    ) -> None:
        """Append events (Conflict if the seq is taken), update the list row and snapshot
        (`incident` is the state after `new_events`), reconcile the incident's scheduled
        reminders to `reminders`, with `request` (an inbox row) mark it done (AlreadyDone
        if it was), and finish the claimed reminders `finished` as `finish_reminders` does,
        at the last new event's time; all in one transaction."""
        ...

    async def list_incidents(self, include_closed: bool = True) -> list[IncidentSummary]: ...

    async def list_page(
        self, view: str, now: datetime, offset: int, limit: int
    ) -> list[IncidentSummary]:
        """One page of list rows in a LIST_VIEWS view, read from the list rows alone: open
        ones newest first, overdue ones most overdue first, closed ones latest closed first."""
        ...

    async def find_by_room(self, platform: str, room_id: str) -> str | None: ...

    async def message_id(self, key: str, slot: str) -> str | None: ...

    async def remember_message(self, key: str, slot: str, message_id: str) -> None: ...

    def serial(self, key: str) -> AbstractAsyncContextManager[None]:
        """Held while one piece of work loads, decides, saves and publishes the incident:
        work for one incident runs one at a time (across replicas where the store is shared)."""
        ...

    async def claim_message(self, key: str, slot: str, now: datetime, lease: timedelta) -> bool:
        """True: the slot is this caller's to post (free, or its claim older than `lease`
        with no message recorded); False: another publisher has it."""
        ...

    async def message_slot(self, key: str, slot: str) -> Slot | None: ...

    async def release_message(self, key: str, slot: str) -> None:
        """Free a claim whose post failed, for the next publisher."""
        ...

    async def applied_message(self, key: str, slot: str, version: int) -> None:
        """The slot's message now shows `version` (kept only if newer than what it showed)."""
        ...

    async def claim_due(self, now: datetime, lease: timedelta, limit: int) -> list[Reminder]:
        """Claim due reminders (and expired claims) atomically, oldest first."""
        ...

    async def finish_reminder(
        self, reminder_id: int, status: str, at: datetime, message_id: str = "", error: str = ""
    ) -> None:
        """Mark a claimed reminder sent or cancelled (late_by is at - due_at)."""
        ...

    async def finish_reminders(
        self, finished: Sequence[tuple[int, str, str]], at: datetime
    ) -> None:
        """`finish_reminder` for each (id, status, message id), in one transaction."""
        ...

    async def retry_reminder(self, reminder_id: int, retry_at: datetime, error: str) -> None:
        """Put a claimed reminder back as scheduled, ready again at `retry_at` (its due_at
        stays as it was, so lateness is still measured from the deadline); counts the attempt."""
        ...

    async def reminders(self, key: str) -> list[Reminder]: ...

    async def next_due(self) -> datetime | None: ...
