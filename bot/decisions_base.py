"""What every decision is made of: the events it drafts, the refusals it may give, and the
checks on the words a person typed.

    require(runbook, actor, "close", "close an incident")   # or Forbidden, naming who may
    words(reason, "the reason")  # -> trimmed, unable to write the bot's tokens; or Refused
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.incident import Incident
from bot.kinds import EventType
from bot.runbook import Runbook
from bot.timeline import Actor
from bot.tokens import scrub

MAX_TEXT = 3000


class Refused(Exception):
    """A request the bot will not carry out; the message says why and who may."""

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class Busy(Refused):
    """The incident stayed busy with other writers past every attempt. Said as a refusal
    where the person waits for the answer; a kept request is left to be worked again."""


class Forbidden(Refused):
    """Refused because the runbook gives this person no say in it: the attempt itself goes
    on the timeline (who, and what they were told), so the record shows it."""


@dataclass(frozen=True)
class Draft:
    type: EventType
    data: dict[str, Any] = field(default_factory=dict)


def names(runbook: Runbook, action: str) -> str:
    people = [f"{p.name} ({p.title})" for p in runbook.who_may(action)]
    return " or ".join(people) if people else "nobody (the runbook grants it to no one)"


def require(runbook: Runbook, actor: Actor, action: str, verb: str) -> None:
    if not runbook.may(actor.person_id, action):
        raise Forbidden(f"Only {names(runbook, action)} may {verb}.")


def free(value: str) -> str:
    """Text a person entered, as entered: trimmed, and unable to write the bot's tokens."""
    return scrub(value).strip()


def words(value: str, what: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = free(value)
    if required and not value:
        raise Refused(f"Please give {what}.")
    if len(value) > limit:
        raise Refused(f"{what.capitalize()} is {len(value)} characters; the limit is {limit}.")
    return value


def one_line(value: str) -> str:
    """A one-line field (a title, a reference, a file name): line breaks become spaces, so
    no paper made from the record can be given a forged heading or list by it."""
    return " ".join(value.split())


def still_open(incident: Incident) -> None:
    if incident.closed_at is not None:
        raise Refused(f"{incident.key} is closed; nothing more can be changed.")
