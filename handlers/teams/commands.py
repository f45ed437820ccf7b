"""`@AI Incident …` in Teams: the core's command table (bot.command_answers), answered in the
conversation it was said in.

    await Commands(edge).run(turn)   # turn.text is "status" with the bot's mention stripped

In an incident's thread the incident is implied; elsewhere its key comes first. A refusal
(an unknown key, a missing permission) is an answer, never an error. Teams' `<at>Name</at>`
mentions reach the core as the plain name (handlers.teams.activity strips the markup); this
edge only sends its form cards and renders.
"""

from __future__ import annotations

from bot import service
from bot.command_answers import (
    Answer,
    OpenClose,
    OpenDeclare,
    Platform,
    Refusal,
    Show,
    answer_command,
)
from bot.commands import Command, parse
from bot.decisions import Refused
from bot.service import Deps
from bot.timeline import Actor
from bot.views import View
from handlers.downloads import NotFetched
from handlers.teams.activity import Turn
from handlers.teams.cards import MAX_BYTES, Card, size
from handlers.teams.edge import Edge
from handlers.teams.files import SharedFile, fetch, shared_files
from handlers.teams.forms import close_card, declare_card

MENTION = "@AI Incident"
TEAMS = Platform(
    "teams",
    "Outside an incident thread, put the incident's key first: status AI-2026-0001.",
    typed_as=MENTION,
)
TOO_LONG = "That form is over Teams' limits: {error}"


class Asking:
    """The person who spoke in a conversation, as the core's table asks after them."""

    platform = TEAMS

    def __init__(self, edge: Edge, turn: Turn) -> None:
        self.edge, self.turn = edge, turn

    async def actor(self) -> Actor:
        return await self.edge.actor(self.turn)

    async def room_key(self) -> str:
        return await self.edge.room_of(self.turn)


class Commands:
    def __init__(self, edge: Edge) -> None:
        self.edge = edge

    async def run(self, turn: Turn) -> None:
        command = parse(turn.text)
        if command.name == "evidence" and shared_files(turn.attachments):
            await self._files(command, turn)  # Teams' own transport: the files' bytes
            return
        answer = await answer_command(self.edge.deps, command, Asking(self.edge, turn))
        await self._show(turn, answer)

    async def _show(self, turn: Turn, answer: Answer) -> None:
        runbook = self.edge.deps.runbook
        match answer:
            case Show(view=view, key=key):
                await self.edge.tell(turn, view, key)
            case Refusal(message=message):
                await self.edge.tell(turn, View(message))
            case OpenDeclare(title=title):
                await self._open(turn, declare_card(runbook, self.edge.deps.clock.now(), title))
            case OpenClose(incident=incident):
                await self._open(turn, close_card(runbook, incident))

    async def _files(self, command: Command, turn: Turn) -> None:
        """Each attached file downloaded and recorded from its bytes, as Slack's are."""
        try:
            deps, key = self.edge.deps, await self.edge.key(command.key, turn)
            actor = await self.edge.actor(turn)
            for shared in shared_files(turn.attachments):
                await self.edge.tell(
                    turn, View(await self._file(deps, key, actor, command, shared))
                )
        except Refused as error:
            await self.edge.tell(turn, View(error.message))

    async def _file(
        self, deps: Deps, key: str, actor: Actor, command: Command, shared: SharedFile
    ) -> str:
        try:
            content = await fetch(shared, self.edge.files)
        except NotFetched as error:
            return f"I could not record {shared.name} as evidence ({error}); share a link."
        incident = await service.add_evidence(
            deps,
            key,
            actor,
            command.text or shared.name,
            None,
            content,
            "teams-file",
            shared.name,
            shared.content_type,
        )
        return f"Evidence recorded on {key}: {shared.name} (sha256 {incident.evidence[-1].sha256})."

    async def _open(self, turn: Turn, form: Card) -> None:
        """A form is one card: one Teams would refuse is answered, never sent."""
        if (bytes_ := size(form)) > MAX_BYTES:
            error = f"the form is {bytes_:,} bytes; a card may be {MAX_BYTES:,}."
            await self.edge.tell(turn, View(TOO_LONG.format(error=error)))
            return
        await self.edge.send(turn, form)
