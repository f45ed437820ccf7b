"""The Incident aggregate's state: what its timeline folds into (bot.incident folds it).

Besides what people see (answers, clocks, steps, evidence), the state keeps what the hot
paths would otherwise search the whole timeline for: the last human event (the nudge), the
reminders sent, the pinned messages, the facts, each kill-switch step's last run and the
undelivered messages. A loaded incident may hold only the end of its logs (`bot.tail`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.classification import member_states
from bot.tail import Log
from bot.timeline import Actor, Event


@dataclass(frozen=True)
class Answer:
    question: str
    value: str
    by: Actor
    at: datetime
    reason: str = ""


@dataclass(frozen=True)
class StepRecord:
    status: str  # "done" or "not_possible"
    by: Actor
    at: datetime
    reason: str = ""


@dataclass(frozen=True)
class ObligationRecord:
    clock: str
    opened_at: datetime
    because: str
    status: str = "pending"  # pending, done, waived
    reference: str = ""
    reason: str = ""
    settled_by: Actor | None = None
    settled_at: datetime | None = None
    overdue_reason: str = ""
    by_answer: str = ""  # set when an answer, not a decision, stopped the clock


@dataclass(frozen=True)
class Page:
    role: str
    person: str
    at: datetime
    attempt: int


@dataclass(frozen=True)
class Evidence:
    seq: int
    item: str | None
    text: str
    sha256: str
    size: int
    source: str
    by: Actor
    at: datetime
    filename: str = ""
    content_type: str = ""
    stored: str = ""  # where the file's bytes are kept, relative to RECORDS_DIR
    link: bool = False  # a link recorded as given, its target not retrieved


@dataclass(frozen=True)
class Room:
    platform: str
    id: str
    name: str = ""
    url: str = ""


@dataclass(frozen=True)
class Incident:
    key: str
    title: str = ""
    system: str = ""
    failure_type: str = ""
    noticed: str = ""
    declared_by: Actor | None = None
    declared_at: datetime | None = None
    aware_at: datetime | None = None  # aware of the incident (insurers, FCA, contracts)
    # Reasonably certain personal data was compromised (ICO, individuals, EU); until it is
    # recorded on its own it is the incident's awareness.
    breach_aware_at: datetime | None = None
    learned: Mapping[str, Any] = field(default_factory=dict)  # how the firm learned of it
    phase: str = "containment"
    room: Room | None = None
    steps: Mapping[int, StepRecord] = field(default_factory=dict)
    overrides: Mapping[str, str] = field(default_factory=dict)
    answers: Mapping[str, Answer] = field(default_factory=dict)
    history: tuple[Answer, ...] = ()
    proposed: Mapping[str, Answer] = field(default_factory=dict)  # awaiting their decider
    obligations: Mapping[str, ObligationRecord] = field(default_factory=dict)
    involved: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    pages: tuple[Page, ...] = ()
    acks: Mapping[str, tuple[str, datetime]] = field(default_factory=dict)
    evidence: Log[Evidence] = field(default_factory=lambda: Log(0))
    evidence_counts: Mapping[str, int] = field(default_factory=dict)  # by item; "": loose
    closed_at: datetime | None = None
    closing: Mapping[str, Any] = field(default_factory=dict)
    facts: Mapping[str, str] = field(default_factory=dict)  # the latest value of each fact
    pinned: frozenset[tuple[str, str]] = frozenset()  # (platform, message id) pinned now
    reminded: frozenset[str] = frozenset()  # the reminders sent (their dedupe keys)
    kill_runs: Mapping[int, Event] = field(default_factory=dict)  # each step's last run
    reposts: tuple[Event, ...] = ()  # the messages undelivered, to send again
    last_human: Event | None = None  # the last event someone (not the bot) made
    events: Log[Event] = field(default_factory=lambda: Log(0))

    @property
    def last(self) -> Event | None:
        return self.events[-1] if self.events else None

    @property
    def answer_values(self) -> dict[str, str]:
        return {qid: a.value for qid, a in self.answers.items()}

    @property
    def eu_states(self) -> tuple[str, ...]:
        """The EU/EEA states where affected people live, as named with the answer to Q6."""
        named = (member_states(a.reason) for a in reversed(self.history) if a.question == "Q6")
        return next((states for states in named if states), ())

    def aware_from(self, runs_from: str) -> datetime | None:
        """The awareness a clock runs from: "breach" or "incident" (see bot.clock_rules)."""
        if runs_from == "breach" and self.breach_aware_at is not None:
            return self.breach_aware_at
        return self.aware_at

    @property
    def owner(self) -> str | None:
        ack = self.acks.get("incident_lead")
        return ack[0] if ack else None
