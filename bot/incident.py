"""The Incident aggregate: its state (bot.incident_state) is the fold of its timeline.

incident = replay("AI-2026-0001", events)
incident.answers["Q3"].value   # -> "unsure"
phase_of(incident, runbook)    # -> "classification"

A store keeps the folded state beside the timeline (bot.snapshot) and loads an incident
from it and the events after it, so each event is folded once, not on every load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.classification import open_questions
from bot.incident_state import Answer as Answer
from bot.incident_state import Evidence as Evidence
from bot.incident_state import Incident as Incident
from bot.incident_state import ObligationRecord as ObligationRecord
from bot.incident_state import Page as Page
from bot.incident_state import Room as Room
from bot.incident_state import StepRecord as StepRecord
from bot.kinds import EventType
from bot.runbook import Runbook
from bot.timeline import BOT, Event

PHASES = ("containment", "classification", "evidence", "remediation", "closed")


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


def _page(e: Event) -> Page:
    return Page(e.data["role"], e.data["person"], e.at, int(e.data["attempt"]))


def _acknowledged(inc: Incident, e: Event) -> Incident:
    return replace(inc, acks={**inc.acks, e.data["role"]: (e.data["person"], e.at)})


def _handed_over(inc: Incident, e: Event) -> Incident:
    return replace(inc, acks={**inc.acks, e.data["role"]: (e.data["to"], e.at)})


def _room(inc: Incident, e: Event) -> Incident:
    d = e.data
    return replace(inc, room=Room(d["platform"], d["id"], d.get("name", ""), d.get("url", "")))


def _involved(inc: Incident, e: Event) -> Incident:
    return replace(inc, involved={**inc.involved, e.data["id"]: dict(e.data)})


def _pin(pinned: bool) -> Callable[[Incident, Event], Incident]:
    def apply(inc: Incident, e: Event) -> Incident:
        said = (str(e.data.get("platform")), str(e.data.get("message_id")))
        return replace(inc, pinned=inc.pinned | {said} if pinned else inc.pinned - {said})

    return apply


def _facts(inc: Incident, e: Event) -> Incident:
    return replace(inc, facts={**inc.facts, **{k: str(v) for k, v in e.data.items()}})


def _reminded(inc: Incident, e: Event) -> Incident:
    return replace(inc, reminded=inc.reminded | {str(e.data.get("key"))})


def _kill_run(inc: Incident, e: Event) -> Incident:
    return replace(inc, kill_runs={**inc.kill_runs, int(e.data["step"]): e})


def _undelivered(inc: Incident, e: Event) -> Incident:
    again = e.data.get("again", True)
    return replace(inc, reposts=(*inc.reposts, e)) if again else inc


# Keyed by EventType; an event read back from storage looks itself up by its plain string.
APPLY: dict[str, Callable[[Incident, Event], Incident]] = {
    EventType.DECLARED: _declared,
    EventType.ROOM_OPENED: _room,
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
    EventType.AWARENESS_CORRECTED: _awareness,
    EventType.PHASE_CHANGED: lambda i, e: replace(i, phase=e.data["to"]),
    EventType.CLOSED: lambda i, e: replace(i, closed_at=e.at, closing=dict(e.data)),
    EventType.PINNED: _pin(True),
    EventType.UNPINNED: _pin(False),
    EventType.FACTS_RECORDED: _facts,
    EventType.REMINDED: _reminded,
    EventType.KILL_SWITCH_SENT: _kill_run,
    EventType.KILL_SWITCH_RESULT: _kill_run,
    EventType.UNDELIVERED: _undelivered,
}

# The event types that add one item to a log kept on the incident (its evidence, its pages),
# with the field and how the item is read: fold appends to a list instead of copying the
# log once per event.
GROWS: dict[str, tuple[str, Callable[[Event], Any]]] = {
    EventType.EVIDENCE_ADDED: ("evidence", _evidence_item),
    EventType.PAGED: ("pages", _page),
}


def fold(incident: Incident, events: Iterable[Event]) -> Incident:
    """The state after `events`, with them on the end of its log: each event is folded once,
    without copying the log or a list that grows with it (evidence: a room's every message
    or file may be kept), so folding costs linear time."""
    folded = tuple(events)
    grown: dict[str, list[Any]] = {name: [] for name, _ in GROWS.values()}
    human = incident.last_human
    for event in folded:
        if (grows := GROWS.get(event.type)) is not None:
            grown[grows[0]].append(grows[1](event))
        if (step := APPLY.get(event.type)) is not None:
            incident = step(incident, event)
        human = human if event.actor.id == BOT.id else event
    counts = dict(incident.evidence_counts)
    for item in grown["evidence"]:
        counts[item.item or ""] = counts.get(item.item or "", 0) + 1
    return replace(
        incident,
        events=incident.events.appended(folded),
        evidence=incident.evidence.appended(grown["evidence"]),
        evidence_counts=counts,
        pages=(*incident.pages, *grown["pages"]),
        last_human=human,
    )


def apply(incident: Incident, event: Event) -> Incident:
    """Fold one event in; event types without state (notes) only join the log."""
    return fold(incident, (event,))


def replay(key: str, events: Iterable[Event]) -> Incident:
    """The incident its whole timeline folds into: its logs hold every item."""
    return fold(Incident(key=key), events)


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
