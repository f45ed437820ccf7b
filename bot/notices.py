"""What the core asks a chat to show: plain values that each platform renders its own way.

Renderers (Block Kit, Adaptive Cards, the web chat) are pure functions of these values and
the runbook. Buttons carry action ids the edges route back into the same service calls:

    classify:<question id>:<value>     ack:<role>           contain:<step>:<done|not_possible>
    obligation:<clock>:<done|waived>   delay:<clock>        evidence:<item id>
    draft:<clock>   (changes nothing: the clock's draft notice, shown to the presser alone)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.incident import Incident


@dataclass(frozen=True)
class Notice:
    incident: Incident
    kind: str  # card, page, containment, question, obligation, reminder, summary, text
    text: str = ""
    question: str = ""
    clock: str = ""
    role: str = ""
    person: str = ""
    mentions: tuple[str, ...] = field(default_factory=tuple)
    now: datetime | None = None
    late_by_s: float = 0.0


def card(incident: Incident) -> Notice:
    return Notice(incident, "card")


def page(incident: Incident, role: str, person: str, attempt: int) -> Notice:
    text = f"Paging {{@{person}}} ({role.replace('_', ' ')}, attempt {attempt + 1})"
    return Notice(incident, "page", text=text, role=role, person=person, mentions=(person,))


def text(incident: Incident, message: str, mentions: tuple[str, ...] = ()) -> Notice:
    return Notice(incident, "text", text=message, mentions=mentions)
