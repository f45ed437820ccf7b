"""What every draft reads from: the incident, its recorded facts, the runbook and the moment.

r = Record(incident, runbook, now)
r.fact(r.facts.people_count)     # -> "10-50", or "[to be completed]"
r.answered("Q4")                 # -> "yes", "no", "not sure yet" or "not answered"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from bot.classification import counts_as_yes
from bot.facts import UNKNOWN, Facts, facts_of
from bot.incident import Incident
from bot.obligations import Obligation, obligation, terms
from bot.papers.containment import contained
from bot.papers.moments import Moments
from bot.runbook import Runbook

TBC = "[to be completed]"

Body = tuple[tuple[str, tuple[str, ...]], ...]  # (heading, lines) in order
Drafted = tuple[str, str, Body]  # (title, the clock whose owner sends it, body)


@dataclass(frozen=True)
class Record:
    incident: Incident
    runbook: Runbook
    now: datetime

    @property
    def when(self) -> Moments:
        return Moments(self.runbook.firm.timezone)

    @cached_property
    def facts(self) -> Facts:
        return facts_of(self.incident)

    def fact(self, value: str) -> str:
        """A recorded fact as said in a draft; 'unknown' stays (the ICO accepts it)."""
        return "not known yet" if value == UNKNOWN else (value or TBC)

    def answer(self, question: str) -> str:
        found = self.incident.answers.get(question)
        return found.value if found else "not answered"

    def answered(self, question: str) -> str:
        value = self.answer(question)
        return "not sure yet" if value == "unsure" else value

    def yes(self, question: str) -> bool:
        found = self.incident.answers.get(question)
        return found is not None and counts_as_yes(found.value)

    def obligation(self, clock: str) -> Obligation | None:
        has = clock in self.incident.obligations
        return obligation(self.runbook, self.incident, clock, self.now) if has else None

    def contact(self, role: str) -> str:
        chain = self.runbook.chain(role)
        return f"{chain[0].name}, {chain[0].title}, {chain[0].email}" if chain else TBC

    def owner(self, clock: str) -> str:
        ids = terms(self.runbook, clock).owners
        found = self.runbook.find_person(ids[0] if ids else None)
        return found.name if found else "the named owner"

    def system_name(self) -> str:
        system = self.runbook.system(self.incident.system)
        return system.name if system else self.incident.system

    def contained(self) -> list[str]:
        return contained(self.incident, self.runbook)

    def started(self) -> str:
        at = self.facts.started_at()
        if at is None:
            return self.fact(self.facts.started)
        return at.strftime("%a %d %b %Y") if len(self.facts.started) == 10 else self.when(at)


def to_complete(body: Body) -> tuple[str, ...]:
    """The fields a draft still leaves "[to be completed]": the label before a line's colon,
    else the section's heading; each once, in order."""
    found: dict[str, None] = {}
    for heading, lines in body:
        for line in lines:
            if TBC in line:
                label, colon, _ = line.lstrip("- ").partition(":")
                found[label.strip() if colon and label.strip() != TBC else heading] = None
    return tuple(found)
