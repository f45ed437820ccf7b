"""What every Teams turn shares: the core's deps, the chat, the stored conversation
references, and answering the person who spoke (in the conversation they spoke in).

    edge = Edge(deps, chat)
    await edge.arrived(turn)                    # refresh the stored reference first
    await edge.tell(turn, View("There is no incident AI-2026-0099."))

Teams has no message only one person sees in a channel: an answer goes into the thread or
chat the command came from, as a reply.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from bot import service
from bot.decisions import Refused
from bot.incident import Room
from bot.ports import ChatError
from bot.service import Deps
from bot.timeline import BOT, Actor
from bot.views import View
from handlers.kept import Kept
from handlers.teams.activity import Turn
from handlers.teams.cards import Card, Style, mentioned, message, render, view_texts
from handlers.teams.chat import PLATFORM, TeamsChat
from handlers.teams.files import FILE_HOSTS
from handlers.teams.people import Where
from handlers.teams.urls import ServiceUrls
from storage.conversations import Reference

log = logging.getLogger(__name__)
BLOCKED = (
    "Teams says the bot was removed from this incident's thread; nothing more is posted "
    "there. Add the app back to the channel, or carry on from another conversation."
)


@dataclass
class Edge:
    deps: Deps
    chat: TeamsChat
    kept: Kept | None = None  # the inbox: without it (unit tests) nothing is guarded
    files: ServiceUrls = field(default_factory=lambda: ServiceUrls(FILE_HOSTS))  # downloads

    async def once(self, key: str) -> bool:
        return True if self.kept is None else await self.kept.once(key)

    async def forget(self, key: str) -> None:
        if self.kept is not None:
            await self.kept.forget(key)

    def where(self, turn: Turn) -> Where:
        team = self.deps.runbook.rooms.teams_team_id
        return Where(turn.service_url, team or turn.conversation_id)

    async def arrived(self, turn: Turn) -> None:
        """Store where this conversation (and its channel) can be reached from now on."""
        now = self.deps.clock.now()
        refs = self.chat.conversations
        ids = [turn.conversation_id] + ([turn.channel_id] if turn.channel_id else [])
        for conversation_id in dict.fromkeys(ids):
            reference = turn.reference | {"conversation": {"id": conversation_id}}
            ref = Reference(PLATFORM, conversation_id, turn.service_url, turn.tenant_id, reference)
            await refs.remember(ref, now)
        if isinstance(turn.reference.get("bot"), dict):
            self.chat.bot = {
                k: str(v) for k, v in turn.reference["bot"].items() if k in ("id", "name")
            }

    async def actor(self, turn: Turn) -> Actor:
        return await self.chat.people.actor(turn.user, self.where(turn))

    async def key(self, given: str, turn: Turn) -> str:
        """The incident a command is about: its key as given, else the thread's."""
        key = given or await self.room_of(turn)
        if not key:
            raise Refused(
                "Outside an incident thread, put the incident's key first: status AI-2026-0001."
            )
        return key.upper()

    async def room_of(self, turn: Turn) -> str:
        """The incident whose room this is: the thread itself, or (a dedicated channel) the
        channel any thread of it is in; '' for neither."""
        store = self.deps.store
        for room in dict.fromkeys((turn.conversation_id, turn.channel_id)):
            if room and (key := await store.find_by_room(PLATFORM, room)):
                return key
        return ""

    async def cards(self, turn: Turn, answer: View, key: str = "") -> list[Card]:
        wanted = mentioned(view_texts(answer))
        members = await self.chat.people.members(wanted, self.where(turn))
        return render(answer, Style(self.deps.runbook, members), key)

    async def tell(self, turn: Turn, answer: View, key: str = "") -> None:
        """Reply where `turn` was said; `key` is the incident the answer's buttons act on."""
        for c in await self.cards(turn, answer, key):
            await self.send(turn, c)

    async def send(self, turn: Turn, card: Card) -> str:
        try:
            return await self.chat.connector.send(
                turn.service_url, turn.conversation_id, message(card)
            )
        except ChatError as error:
            log.warning("could not answer in %s: %s", turn.conversation_id, error)
            return ""

    async def privately(self, turn: Turn, answer: View) -> bool:
        """Say `answer` to the person who spoke alone, in their 1:1 chat with the bot; False
        where Teams will not open one (the app is not in their personal scope)."""
        tenant = {"id": turn.tenant_id} if turn.tenant_id else {}
        params = {
            "isGroup": False,
            "bot": self.chat.bot,
            "members": [{"id": str(turn.user.get("id", ""))}],
            "channelData": {"tenant": tenant} if tenant else {},
        } | ({"tenantId": turn.tenant_id} if turn.tenant_id else {})
        try:
            made = await self.chat.connector.create_conversation(turn.service_url, params)
            chat = str(made.get("id") or "")
            if not chat:
                return False
            for c in await self.cards(turn, answer):
                await self.chat.connector.send(turn.service_url, chat, message(c))
        except ChatError as error:
            log.info("no 1:1 chat with %s: %s", turn.user.get("name", "?"), error)
            return False
        return True

    async def replace(self, turn: Turn, card: Card) -> None:
        """Update the card that was submitted (a form) in place."""
        try:
            await self.chat.connector.update(
                turn.service_url, turn.conversation_id, turn.reply_to, message(card)
            )
        except ChatError as error:
            log.warning("could not update the form in %s: %s", turn.conversation_id, error)

    async def blocked(self, key: str, room: Room) -> None:
        """On the record: the export shows when and why the thread went quiet."""
        try:
            await service.note(self.deps, key, BOT, BLOCKED)
        except Refused as error:  # a closed incident takes no notes; the log has it
            log.warning("could not note the removal on %s: %s", key, error.message)
