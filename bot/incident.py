"""The Incident aggregate: its state is the fold of its timeline.

incident = replay("AI-2026-0001", events)
incident.answers["Q3"].value   # -> "unsure"
phase_of(incident, runbook)    # -> "classification"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from bot.classification import member_states, open_questions
from bot.kinds import EventType
from bot.runbook import Runbook
from bot.timeline import Actor, Event

PHASES = ("containment", "classification", "evidence", "remediation", "closed")


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
    evidence: tuple[Evidence, ...] = ()
    closed_at: datetime | None = None
    closing: Mapping[str, Any] = field(default_factory=dict)
    events: tuple[Event, ...] = ()

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


def _time(data: Mapping[str, Any], name: str) -> datetime:
    return datetime.fromisoformat(str(data[name]))


def _declared(inc: Incident, e: Event) -> Incident:
    d = e.data
    return replace(
        inc,
        title=d["title"],
        system=d["system"],
        failure_type=d["failure_type"],
        noticed=d.get("noticed", ""),
        declared_by=e.actor,
        declared_at=e.at,
        aware_at=_time(d, "aware_at"),
        breach_aware_at=_time(d, "breach_aware_at") if d.get("breach_aware_at") else None,
        learned=dict(d.get("learned", {})),
    )


def _awareness(inc: Incident, e: Event) -> Incident:
    """A correction moves one awareness time: the incident's (the default) or the breach's."""
    if e.data.get("which") == "breach":
        return replace(inc, breach_aware_at=_time(e.data, "to"))
    return replace(inc, aware_at=_time(e.data, "to"))


def _answered(inc: Incident, e: Event) -> Incident:
    a = Answer(e.data["question"], e.data["value"], e.actor, e.at, e.data.get("reason", ""))
    proposed = {q: p for q, p in inc.proposed.items() if q != a.question}
    answers = {**inc.answers, a.question: a}
    return replace(inc, answers=answers, history=(*inc.history, a), proposed=proposed)


def _proposed(inc: Incident, e: Event) -> Incident:
    a = Answer(e.data["question"], e.data["value"], e.actor, e.at, e.data.get("reason", ""))
    return replace(inc, proposed={**inc.proposed, a.question: a})


def _step(inc: Incident, e: Event) -> Incident:
    rec = StepRecord(e.data["status"], e.actor, e.at, e.data.get("reason", ""))
    return replace(inc, steps={**inc.steps, int(e.data["step"]): rec})


def _obligation_opened(inc: Incident, e: Event) -> Incident:
    rec = ObligationRecord(e.data["clock"], e.at, e.data.get("because", ""))
    return replace(inc, obligations={**inc.obligations, rec.clock: rec})


def _settle(status: str) -> Callable[[Incident, Event], Incident]:
    def apply(inc: Incident, e: Event) -> Incident:
        old = inc.obligations[e.data["clock"]]
        new = replace(
            old,
            status=status,
            reference=e.data.get("reference", ""),
            reason=e.data.get("reason", ""),
            settled_by=e.actor,
            settled_at=e.at,
            by_answer=e.data.get("by_answer", ""),
        )
        return replace(inc, obligations={**inc.obligations, old.clock: new})

    return apply


def _overdue_reason(inc: Incident, e: Event) -> Incident:
    old = inc.obligations[e.data["clock"]]
    new = replace(old, overdue_reason=e.data["reason"])
    return replace(inc, obligations={**inc.obligations, old.clock: new})


def _evidence_item(e: Event) -> Evidence:
    d = e.data
    return Evidence(
        e.seq,
        d.get("item"),
        d["text"],
        d["sha256"],
        int(d["size"]),
        d["source"],
        e.actor,
        e.at,
        d.get("filename", ""),
        d.get("content_type", ""),
        d.get("stored", ""),
        bool(d.get("link", False)),
    )


def _evidence(inc: Incident, e: Event) -> Incident:
    return replace(inc, evidence=(*inc.evidence, _evidence_item(e)))


def _page(e: Event) -> Page:
    return Page(e.data["role"], e.data["person"], e.at, int(e.data["attempt"]))


def _paged(inc: Incident, e: Event) -> Incident:
    return replace(inc, pages=(*inc.pages, _page(e)))


def _acknowledged(inc: Incident, e: Event) -> Incident:
    return replace(inc, acks={**inc.acks, e.data["role"]: (e.data["person"], e.at)})


def _handed_over(inc: Incident, e: Event) -> Incident:
    return replace(inc, acks={**inc.acks, e.data["role"]: (e.data["to"], e.at)})


def _room(inc: Incident, e: Event) -> Incident:
    d = e.data
    return replace(inc, room=Room(d["platform"], d["id"], d.get("name", ""), d.get("url", "")))


def _involved(inc: Incident, e: Event) -> Incident:
    return replace(inc, involved={**inc.involved, e.data["id"]: dict(e.data)})


# Keyed by EventType; an event read back from storage looks itself up by its plain string.
APPLY: dict[str, Callable[[Incident, Event], Incident]] = {
    EventType.DECLARED: _declared,
    EventType.ROOM_OPENED: _room,
    EventType.PAGED: _paged,
    EventType.ACKNOWLEDGED: _acknowledged,
    EventType.HANDED_OVER: _handed_over,
    EventType.CONTAINMENT_STEP: _step,
    EventType.GATE_OVERRIDDEN: lambda i, e: replace(
        i, overrides={**i.overrides, e.data["gate"]: e.data["reason"]}
    ),
    EventType.ANSWERED: _answered,
    EventType.ANSWER_PROPOSED: _proposed,
    EventType.OBLIGATION_OPENED: _obligation_opened,
    EventType.OBLIGATION_DONE: _settle("done"),
    EventType.OBLIGATION_WAIVED: _settle("waived"),
    EventType.OBLIGATION_REOPENED: _obligation_opened,
    EventType.OVERDUE_REASON: _overdue_reason,
    EventType.INVOLVED: _involved,
    EventType.EVIDENCE_ADDED: _evidence,
    EventType.AWARENESS_CORRECTED: _awareness,
    EventType.PHASE_CHANGED: lambda i, e: replace(i, phase=e.data["to"]),
    EventType.CLOSED: lambda i, e: replace(i, closed_at=e.at, closing=dict(e.data)),
}


def apply(incident: Incident, event: Event) -> Incident:
    """Fold one event in; event types without state (notes, reminders) only join the log."""
    fold = APPLY.get(event.type)
    folded = fold(incident, event) if fold else incident
    return replace(folded, events=(*incident.events, event))


# The event types that add one item to a log kept on the incident (its evidence, its pages),
# with the field and how the item is read: fold appends to a list instead of copying the
# tuple once per event.
GROWS: dict[str, tuple[str, Callable[[Event], Any]]] = {
    EventType.EVIDENCE_ADDED: ("evidence", _evidence_item),
    EventType.PAGED: ("pages", _page),
}


def fold(incident: Incident, events: Iterable[Event]) -> Incident:
    """The state after `events`, leaving `incident.events` as it was: each event is folded
    once, without copying the log or a list that grows with it (evidence: a room's every
    message or file may be kept), so rebuilding costs linear time."""
    logs: dict[str, list[Any]] = {name: list(getattr(incident, name)) for name, _ in GROWS.values()}
    for event in events:
        if (grows := GROWS.get(event.type)) is not None:
            logs[grows[0]].append(grows[1](event))
        elif (step := APPLY.get(event.type)) is not None:
            incident = step(incident, event)
    grown: dict[str, Any] = {name: tuple(items) for name, items in logs.items()}
    return replace(incident, **grown)


def replay(key: str, events: Sequence[Event]) -> Incident:
    return replace(fold(Incident(key=key), events), events=tuple(events))


def containment_confirmed(incident: Incident, runbook: Runbook) -> bool:
    system = runbook.system(incident.system)
    steps = system.containment if system else ()
    return all(i in incident.steps for i in range(len(steps)))


# The kill switch is each system's first containment step: once it is done (or recorded as
# not possible) the system is stopped, so the questions open while the other steps go on.
KILL_SWITCH_STEP = 0


def classification_open(incident: Incident, runbook: Runbook) -> bool:
    """Whether the questions may be answered: the kill switch is recorded, or overridden."""
    system = runbook.system(incident.system)
    stopped = system is None or not system.containment or KILL_SWITCH_STEP in incident.steps
    return stopped or "classification" in incident.overrides


def phase_of(incident: Incident, runbook: Runbook) -> str:
    """The phase the incident's record puts it in; gates are what moves it on."""
    if incident.closed_at is not None:
        return "closed"
    if not classification_open(incident, runbook):
        return "containment"
    if open_questions(runbook.firm.profile, incident.answer_values):
        return "classification"
    if not incident.evidence or _harm_ongoing(incident):
        return "evidence"  # harm still ongoing (Q14) keeps it out of remediation
    return "remediation"


def _harm_ongoing(incident: Incident) -> bool:
    ongoing = incident.answers.get("Q14")
    return ongoing is not None and ongoing.value in ("yes", "unsure")
