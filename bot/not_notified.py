"""Notifications decided against. A decision not to notify is a decision: an answer that
keeps a clock from opening, an answer that stops a running one, and a clock waived, each
with who decided, when and why.

    ruled_out(incident, runbook, "Q3", "no")   # -> ("ico_art33", "data_subjects_art34")
    told(runbook, ("ico_art33", "data_subjects_art34"))   # -> "the ICO and the affected people"
    decided_against(incident)   # -> (NotNotified("ico_art33", "Q3", "no", alex, at, why), …)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.classification import BY_ID, QUESTION_IDS
from bot.incident import Incident
from bot.kinds import EventType
from bot.obligations import terms, triggered_clocks
from bot.runbook import Runbook
from bot.timeline import Actor, Event

OPEN = dict.fromkeys(QUESTION_IDS, "unsure")
PREVENTS = "prevents"  # the ANSWERED event's list of the clocks its answer kept from opening


def ruled_out(
    incident: Incident, runbook: Runbook, question: str, value: str, states: Sequence[str] = ()
) -> tuple[str, ...]:
    """The notifications this answer keeps from opening that another answer to the same
    question would open, the other answers as they stand (and those not given yet read as
    unsure, so the order of answering changes nothing). Not counted: a clock already on
    the incident (stopping a running one is asked for on its own), the internal breach
    register (no one is told), and a clock this answer replaces with another to the same
    recipient (a severity that changes only the deadline)."""
    q = BY_ID.get(question)
    if q is None or value == "unsure":  # unsure counts as yes until resolved: it rules out nothing
        return ()
    after = _clocks(incident, runbook, question, value, states)
    others = [_clocks(incident, runbook, question, o, states) for o in q.options if o != value]
    instead = {terms(runbook, c).recipient for c in after if not any(c in o for o in others)}
    wanted = dict.fromkeys(c for found in others for c in found if c not in after)
    return tuple(
        c
        for c in wanted
        if c not in incident.obligations
        and terms(runbook, c).within is not None
        and terms(runbook, c).recipient not in instead
    )


def _clocks(
    incident: Incident, runbook: Runbook, question: str, value: str, states: Sequence[str]
) -> dict[str, str]:
    """The clocks with this answer, the questions not answered yet read as unsure (yes,
    provisionally): so a "no" given first rules out as much as one given last."""
    answers = {**OPEN, **incident.answer_values, question: value}
    return triggered_clocks(runbook, answers, incident.declared_at, states or incident.eu_states)


def told(runbook: Runbook, clocks: Sequence[str]) -> str:
    """Who the clocks would have told, as people say it ("the ICO and the affected people");
    a runbook's own clock by its title."""
    said = list(dict.fromkeys(_recipient(runbook, c) for c in clocks))
    return " and ".join([", ".join(said[:-1]), said[-1]] if len(said) > 1 else said)


def _recipient(runbook: Runbook, clock: str) -> str:
    found = terms(runbook, clock)
    if any(x.id == clock for x in runbook.clocks.extra):
        return f"“{found.title}”"
    return found.recipient if found.recipient.startswith("the ") else f"the {found.recipient}"


@dataclass(frozen=True)
class NotNotified:
    """One notification decided against, as the record holds it."""

    clock: str
    question: str  # the answer that ruled it out or stopped it; "" for a decision
    value: str  # that answer, where it kept the clock from opening
    by: Actor | None
    at: datetime | None
    reason: str

    @property
    def how(self) -> str:
        """How it was decided: "Q3 answered no", "stopped by the answer to Q5" or "decided
        not to notify"."""
        if self.question and self.value:
            return f"{self.question} answered {self.value}"
        return (
            f"stopped by the answer to {self.question}"
            if self.question
            else "decided not to notify"
        )


def decided_against(incident: Incident) -> tuple[NotNotified, ...]:
    """Every decision not to notify that still stands: the clocks waived (by a decision or
    stopped by an answer), then those the latest answer to a question keeps from opening."""
    waived = [
        NotNotified(clock, rec.by_answer, "", rec.settled_by, rec.settled_at, rec.reason)
        for clock, rec in incident.obligations.items()
        if rec.status == "waived"
    ]
    return (*waived, *(n for e in _latest_answers(incident) for n in _kept_closed(incident, e)))


def ruled_out_by_answer(incident: Incident, clock: str) -> NotNotified | None:
    """The standing answer that kept `clock` from opening, if one did."""
    found = (n for n in decided_against(incident) if n.clock == clock and n.value)
    return next(found, None)


def _latest_answers(incident: Incident) -> list[Event]:
    latest = {str(e.data["question"]): e for e in incident.events if e.type == EventType.ANSWERED}
    return list(latest.values())


def _kept_closed(incident: Incident, e: Event) -> list[NotNotified]:
    question, value = str(e.data["question"]), str(e.data["value"])
    reason = str(e.data.get("reason", ""))
    clocks = [str(c) for c in e.data.get(PREVENTS, ())]
    return [
        NotNotified(c, question, value, e.actor, e.at, reason)
        for c in clocks
        if c not in incident.obligations
    ]
