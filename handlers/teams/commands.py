"""`@AI Incident …` in Teams: the shared command language (bot.commands), answered in the
conversation it was said in.

    await Commands(edge).run(turn)   # turn.text is "status" with the bot's mention stripped

In an incident's thread the incident is implied; elsewhere its key comes first. A refusal
(an unknown key, a missing permission) is an answer, never an error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot import service
from bot.actions import typed
from bot.commands import TYPED, Command, parse
from bot.decisions import Refused
from bot.incident import Incident
from bot.permissions import permit_read
from bot.views import View, evidence_view, help_view, list_view, runbook_view, status_view
from handlers.teams.activity import Turn
from handlers.teams.edge import Edge
from handlers.teams.files import NotFetched, fetch, shared_files
from handlers.teams.forms import close_card, declare_card

SLASH, MENTION = "/ai-incident", "@AI Incident"


class Commands:
    def __init__(self, edge: Edge) -> None:
        self.edge = edge
        self.table: dict[str, Callable[[Command, Turn], Awaitable[None]]] = {
            **dict.fromkeys(TYPED, self._typed),
            "declare": self._declare,
            "status": self._status,
            "list": self._list,
            "evidence": self._evidence,
            "close": self._close,
            "runbook": self._runbook,
            "help": self._help,
        }

    async def run(self, turn: Turn) -> None:
        command = parse(turn.text)
        try:
            await self.table[command.name](command, turn)
        except Refused as error:
            await self.edge.tell(turn, View(error.message))

    async def _declare(self, command: Command, turn: Turn) -> None:
        now = self.edge.deps.clock.now()
        await self.edge.send(turn, declare_card(self.edge.deps.runbook, now, command.text))

    async def _read(self, command: Command, turn: Turn) -> Incident:
        """The incident, if this person may see it (the runbook's people; its room's members)."""
        key = (await service.load(self.edge.deps, await self.edge.key(command.key, turn))).key
        in_room = await self.edge.room_of(turn) == key
        return await service.read(self.edge.deps, key, await self.edge.actor(turn), in_room)

    async def _close(self, command: Command, turn: Turn) -> None:
        incident = await self._read(command, turn)
        if incident.closed_at is not None:
            raise Refused(f"{incident.key} is already closed.")
        await self.edge.send(turn, close_card(self.edge.deps.runbook, incident))

    async def _status(self, command: Command, turn: Turn) -> None:
        deps = self.edge.deps
        incident = await self._read(command, turn)
        await self.edge.tell(turn, status_view(incident, deps.runbook, deps.clock.now()))

    async def _list(self, command: Command, turn: Turn) -> None:
        permit_read(self.edge.deps.runbook, None, await self.edge.actor(turn))
        await self.edge.tell(turn, list_view(await self.edge.deps.store.list_incidents(False)))

    async def _evidence(self, command: Command, turn: Turn) -> None:
        if shared_files(turn.attachments):
            await self._files(command, turn)
            return
        if not command.text:
            incident = await self._read(command, turn)
            await self.edge.tell(turn, evidence_view(incident), incident.key)
            return
        await self._typed(command, turn)

    async def _files(self, command: Command, turn: Turn) -> None:
        """Each attached file downloaded and recorded from its bytes, as Slack's are."""
        deps, key = self.edge.deps, await self.edge.key(command.key, turn)
        actor = await self.edge.actor(turn)
        for shared in shared_files(turn.attachments):
            try:
                content = await fetch(shared, self.edge.files)
            except NotFetched as error:
                said = f"I could not record {shared.name} as evidence ({error}); share a link."
                await self.edge.tell(turn, View(said))
                continue
            text = command.text or shared.name
            incident = await service.add_evidence(
                deps,
                key,
                actor,
                text,
                None,
                content,
                "teams-file",
                shared.name,
                shared.content_type,
            )
            digest = incident.evidence[-1].sha256
            await self.edge.tell(
                turn, View(f"Evidence recorded on {key}: {shared.name} (sha256 {digest}).")
            )

    async def _typed(self, command: Command, turn: Turn) -> None:
        key = await self.edge.key(command.key, turn)
        actor = await self.edge.actor(turn)
        done = await typed(self.edge.deps, command.name, key, actor, command.text, "teams")
        await self.edge.tell(turn, View(done))

    async def _runbook(self, command: Command, turn: Turn) -> None:
        await self.edge.tell(turn, runbook_view(self.edge.deps.runbook))

    async def _help(self, command: Command, turn: Turn) -> None:
        v = help_view(command.error)
        await self.edge.tell(turn, View(v.title, tuple(x.replace(SLASH, MENTION) for x in v.lines)))
