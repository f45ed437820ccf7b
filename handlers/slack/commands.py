"""`/ai-incident …` in Slack: the shared command language (bot.commands), run after the ack.

    said = Said(user="U0SAM", name="sam", channel="C0123", text="status", trigger="…")
    await SlashCommands(edge).run(said)   # answers only the person who typed it

In an incident's channel the incident is implied; elsewhere its key comes first. A refusal
(an unknown key, a missing permission) is answered to that person, never as an error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot import service
from bot.actions import typed
from bot.commands import TYPED, Command, parse
from bot.decisions import Refused
from bot.incident import Incident
from bot.permissions import permit_read
from bot.views import View, evidence_view, help_view, list_view, runbook_view, status_view
from handlers.database import TRY_AGAIN, database_away
from handlers.slack.blocks import TooLong
from handlers.slack.edge import Edge
from handlers.slack.modals import close_modal, declare_modal


@dataclass(frozen=True)
class Said:
    user: str
    name: str
    channel: str
    text: str
    trigger: str


TOO_SLOW = "The form could not open in time; please type the command again."


class SlashCommands:
    def __init__(self, edge: Edge) -> None:
        self.edge = edge
        self.table: dict[str, Callable[[Command, Said], Awaitable[None]]] = {
            **dict.fromkeys(TYPED, self._typed),
            "declare": self._declare,
            "status": self._status,
            "list": self._list,
            "evidence": self._evidence,
            "close": self._close,
            "runbook": self._runbook,
            "help": self._help,
        }

    async def run(self, said: Said) -> None:
        command = parse(said.text)
        try:
            await self.table[command.name](command, said)
        except Refused as error:
            await self._tell(said, View(error.message))
        except TooLong as error:  # e.g. a runbook name too long for a choice in a form
            await self._tell(said, View(f"That form is over Slack's limits: {error}"))
        except Exception as error:  # worked after the ack: the answer is the only way to say so
            if not database_away(error):
                raise
            await self._tell(said, View(TRY_AGAIN))

    async def _tell(self, said: Said, answer: View, key: str = "") -> None:
        await self.edge.tell(said.channel, said.user, answer, key)

    async def _declare(self, command: Command, said: Said) -> None:
        now = self.edge.deps.clock.now()
        modal = declare_modal(self.edge.deps.runbook, now, command.text, {"channel": said.channel})
        if not await self.edge.open_modal(said.trigger, modal):
            await self._tell(said, View(TOO_SLOW))

    async def _read(self, command: Command, said: Said) -> Incident:
        """The incident, if this person may see it (the runbook's people; its room's members)."""
        key = await self.edge.key(command.key, said.channel)
        incident = await service.load(self.edge.deps, key)
        actor = await self.edge.actor(said.user, said.name)
        in_room = incident.room is not None and incident.room.id == said.channel
        return await service.read(self.edge.deps, incident.key, actor, in_room)

    async def _close(self, command: Command, said: Said) -> None:
        incident = await self._read(command, said)
        if incident.closed_at is not None:
            raise Refused(f"{incident.key} is already closed.")
        meta = {"channel": said.channel, "key": incident.key}
        if not await self.edge.open_modal(
            said.trigger, close_modal(self.edge.deps.runbook, incident, meta)
        ):
            await self._tell(said, View(TOO_SLOW))

    async def _status(self, command: Command, said: Said) -> None:
        deps = self.edge.deps
        incident = await self._read(command, said)
        await self._tell(said, status_view(incident, deps.runbook, deps.clock.now()))

    async def _list(self, command: Command, said: Said) -> None:
        actor = await self.edge.actor(said.user, said.name)
        permit_read(self.edge.deps.runbook, None, actor)
        incidents = await self.edge.deps.store.list_incidents(False)
        await self._tell(said, list_view(incidents, rooms_on="slack"))  # with channel links

    async def _evidence(self, command: Command, said: Said) -> None:
        if not command.text:
            incident = await self._read(command, said)
            await self._tell(said, evidence_view(incident), incident.key)
            return
        await self._typed(command, said)

    async def _typed(self, command: Command, said: Said) -> None:
        key = await self.edge.key(command.key, said.channel)
        actor = await self.edge.actor(said.user, said.name)
        done = await typed(self.edge.deps, command.name, key, actor, command.text, "slack")
        await self._tell(said, View(done))

    async def _runbook(self, command: Command, said: Said) -> None:
        await self._tell(said, runbook_view(self.edge.deps.runbook))

    async def _help(self, command: Command, said: Said) -> None:
        await self._tell(said, help_view(command.error))
