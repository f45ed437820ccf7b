"""The one table of `/ai-incident` commands: each command's answer, the same on every platform.

    answer = await answer_command(deps, parse("status"), asker)
    # -> Show(View("AI-2026-0001 status: …"), key="AI-2026-0001")

An edge parses what was typed (after turning its own mention syntax into the runbook
person), hands the command over with an Asker (who typed it, and where), and then only
renders what comes back: a View to show the person (Show), a form to open (OpenDeclare,
OpenClose) or a refusal (Refusal). Every read and every change goes through here, so what a
person may do is checked in one place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from bot import service
from bot.actions import typed
from bot.commands import TYPED, Command
from bot.decisions import Refused
from bot.incident import Incident
from bot.permissions import permit_read
from bot.service import Deps
from bot.timeline import Actor
from bot.views import View, evidence_view, help_view, list_view, runbook_view, status_view

SLASH = "/ai-incident"
# The changes the incident's room shows by itself; what any other command says (a note's
# confirmation) is for words.
SHOWN_IN_ROOM = ("ack", "handover", "evidence", "aware")


@dataclass(frozen=True)
class Platform:
    """What the answers need to know of the platform a command was typed on."""

    name: str  # "slack", "teams", "web": the source recorded with typed evidence
    outside: str  # the refusal for a command that needs an incident, typed outside its room
    typed_as: str = SLASH  # how the command is typed there, as help shows it
    room_links: bool = False  # list names each incident's room on this platform


class Asker(Protocol):
    """Who typed a command, and where; looked up only by the commands that need them."""

    @property
    def platform(self) -> Platform: ...

    async def actor(self) -> Actor: ...

    async def room_key(self) -> str:
        """The key of the incident whose room the command was typed in; "" for none."""
        ...


@dataclass(frozen=True)
class Show:
    """A View for the person who typed the command."""

    view: View
    key: str = ""  # the incident it is about (its buttons act on it); "" for none
    changed: bool = False  # the command changed the incident
    in_room: bool = False  # the change shows in the incident's room itself (a note does not)
    paper: str = ""  # the document the view stands for ("runbook"), for an edge with pages


@dataclass(frozen=True)
class OpenDeclare:
    """Open the declare form, its title filled in with what was typed."""

    title: str


@dataclass(frozen=True)
class OpenClose:
    """Open the close form for an incident that is still open."""

    incident: Incident


@dataclass(frozen=True)
class Refusal:
    message: str


Answer = Show | OpenDeclare | OpenClose | Refusal
Answerer = Callable[[Deps, Command, Asker], Awaitable[Answer]]


async def answer_command(deps: Deps, command: Command, asker: Asker) -> Answer:
    """The answer to `command`; a refusal (an unknown key, a bad argument) is an answer too."""
    try:
        return await TABLE[command.name](deps, command, asker)
    except Refused as error:
        return Refusal(error.message)


async def _key(command: Command, asker: Asker) -> str:
    key = command.key or await asker.room_key()
    if not key:
        raise Refused(asker.platform.outside)
    return key.upper()


async def _read(deps: Deps, command: Command, asker: Asker) -> Incident:
    """The incident, if this person may see it (the runbook's people; its room's members)."""
    room = (await asker.room_key()).upper()
    key = command.key or room
    if not key:
        raise Refused(asker.platform.outside)
    return await service.read(deps, key, await asker.actor(), in_room=room == key)


async def _declare(deps: Deps, command: Command, asker: Asker) -> Answer:
    return OpenDeclare(command.text)


async def _close(deps: Deps, command: Command, asker: Asker) -> Answer:
    incident = await _read(deps, command, asker)
    if incident.closed_at is not None:
        raise Refused(f"{incident.key} is already closed.")
    return OpenClose(incident)


async def _status(deps: Deps, command: Command, asker: Asker) -> Answer:
    incident = await _read(deps, command, asker)
    return Show(status_view(incident, deps.runbook, deps.clock.now()), incident.key)


async def _list(deps: Deps, command: Command, asker: Asker) -> Answer:
    platform = asker.platform
    permit_read(deps.runbook, None, await asker.actor())
    incidents = await deps.store.list_incidents(False)
    return Show(list_view(incidents, rooms_on=platform.name if platform.room_links else ""))


async def _evidence(deps: Deps, command: Command, asker: Asker) -> Answer:
    """With text, evidence recorded; alone, the checklist with a button per item."""
    if command.text:
        return await _typed(deps, command, asker)
    incident = await _read(deps, command, asker)
    return Show(evidence_view(incident), incident.key)


async def _typed(deps: Deps, command: Command, asker: Asker) -> Answer:
    key = await _key(command, asker)
    actor = await asker.actor()
    done = await typed(deps, command.name, key, actor, command.text, asker.platform.name)
    return Show(View(done), key, changed=True, in_room=command.name in SHOWN_IN_ROOM)


async def _runbook(deps: Deps, command: Command, asker: Asker) -> Answer:
    return Show(runbook_view(deps.runbook), paper="runbook")


async def _help(deps: Deps, command: Command, asker: Asker) -> Answer:
    said = help_view(command.error)
    typed_as = asker.platform.typed_as
    if typed_as == SLASH:
        return Show(said)
    return Show(View(said.title, tuple(line.replace(SLASH, typed_as) for line in said.lines)))


TABLE: dict[str, Answerer] = {
    **dict.fromkeys(TYPED, _typed),
    "declare": _declare,
    "status": _status,
    "list": _list,
    "evidence": _evidence,
    "close": _close,
    "runbook": _runbook,
    "help": _help,
}
