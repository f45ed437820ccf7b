"""TeamsChat: the Chat port over the Bot Connector, from stored conversation references.

    chat = TeamsChat(connector, runbook, conversations, clock, tenant_id="…")
    room = await chat.open_room(incident)   # a new thread in the runbook's rooms.teams channel
    activity_id = await chat.post(room, notices.page(incident, "incident_lead", "sam", 0))

Every send is proactive: the service URL comes from the conversation's stored reference
(refreshed by each inbound activity), so reminders reach the thread with nobody talking.
The thread's first message is the incident card; the core's "card" posts update it in place.
A 403 marks the conversation blocked: it is logged, `on_blocked` records it on the incident,
and nothing more is sent there.

Where the runbook sets `rooms.teams.dedicated_channels`, the room is instead a new channel
made through Graph (`graph`), each message a post in it. A channel that cannot be made
(no permission, Graph away) costs nothing but the channel: the room falls back to a thread
in the incidents channel, whose first reply says why.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from bot.incident import Incident, Room
from bot.kinds import NoticeKind
from bot.notices import Notice, card
from bot.ports import ChatError, Clock, IncidentStore
from bot.runbook import Runbook
from bot.views import View, view
from handlers.teams.cards import Card, Style, mentioned, message, render, view_texts
from handlers.teams.connector import Blocked, Connector
from handlers.teams.graph import Graph, NameTaken, channel_name
from handlers.teams.people import People, Where
from handlers.teams.pictures import timeline_message
from storage.conversations import Conversations, Reference

log = logging.getLogger(__name__)
PLATFORM = "teams"
THREAD_SLOT = "teams:thread"  # the store's message slot that remembers an incident's thread
ROOT = ";messageid="  # a channel thread's conversation id ends with its first message's id

NO_CHANNEL = (
    "This thread is the incident room: the runbook asks for a channel of its own, but it "
    "could not be made ({why}). Check that the app has Channel.Create.Group in this team."
)

OnBlocked = Callable[[str, Room], Awaitable[None]]


def root_of(conversation_id: str) -> str:
    """The first message of a channel thread, from its conversation id ('' for a chat)."""
    return conversation_id.partition(ROOT)[2]


def channel_of(conversation_id: str) -> str:
    return conversation_id.partition(ROOT)[0]


class TeamsChat:
    def __init__(
        self,
        connector: Connector,
        runbook: Runbook,
        conversations: Conversations,
        clock: Clock,
        *,
        store: IncidentStore | None = None,
        tenant_id: str = "",
        bot: dict[str, str] | None = None,
        graph: Graph | None = None,
    ) -> None:
        self.connector, self.runbook, self.conversations = connector, runbook, conversations
        self.clock, self.store, self.tenant_id = clock, store, tenant_id
        self.bot = bot or {"id": "", "name": "AI Incident"}
        self.people = People(connector, runbook)
        self.graph = graph
        self.on_blocked: OnBlocked | None = None

    # --- where to send ---------------------------------------------------------------

    async def reference(self, conversation_id: str) -> Reference:
        """The conversation's stored reference, else the channel's, else the tenant's latest."""
        found = (
            await self.conversations.find(PLATFORM, conversation_id)
            or await self.conversations.find(PLATFORM, channel_of(conversation_id))
            or await self.conversations.latest(PLATFORM, self.tenant_id)
        )
        if found is None:
            raise ChatError("Teams has not spoken to the bot yet: no service URL is known.")
        if found.conversation_id == conversation_id and found.blocked_at is not None:
            raise Blocked(f"The bot was removed from {conversation_id}; not sending there.")
        return found

    def where(self, ref: Reference, conversation_id: str) -> Where:
        team = self.runbook.rooms.teams_team_id
        return Where(ref.service_url, team or channel_of(conversation_id))

    # --- the room ------------------------------------------------------------------

    async def open_room(self, incident: Incident) -> Room:
        known = await self.store.message_id(incident.key, THREAD_SLOT) if self.store else None
        if known:
            return self._room(incident, known)
        rooms = self.runbook.rooms
        channel, dedicated = rooms.teams_channel_id, rooms.teams_dedicated_channels
        if not channel and not dedicated:
            raise ChatError("The runbook names no Teams channel (rooms.teams.channel_id).")
        ref = await self.reference(channel)
        why_not = ""
        if dedicated:
            try:
                return await self._dedicated(incident, ref)
            except ChatError as error:
                why_not = str(error)
                log.warning("no dedicated channel for %s, using a thread: %s", incident.key, error)
        if not channel:
            raise ChatError(
                f"No Teams channel for a thread either (rooms.teams.channel_id): {why_not}"
            )
        first = (await self._cards(card(incident), ref, channel))[0]
        made = await self.connector.create_conversation(
            ref.service_url, self._thread(channel, first)
        )
        thread = str(made.get("id") or "")
        if not thread:
            raise ChatError("Teams made the thread but did not say its id.")
        await self._opened(incident, thread, ref)
        if why_not:
            await self._say(ref, thread, incident.key, NO_CHANNEL.format(why=why_not))
        return self._room(incident, thread)

    async def _dedicated(self, incident: Incident, ref: Reference) -> Room:
        """A channel of its own, made through Graph (or found, if an earlier try made it)."""
        group = self.runbook.rooms.teams_group_id
        if self.graph is None:
            raise ChatError("Graph is not set up: TEAMS_TENANT_ID is needed for it.")
        name = channel_name(incident.key, incident.title)
        about = f"AI incident {incident.key}: {incident.title}"[:1024]
        try:
            made = await self.graph.create_channel(group, name, about)
        except NameTaken:
            found = await self.graph.find_channel(group, name)
            if found is None:
                raise
            made = found
        channel_id = str(made["id"])
        await self._opened(incident, channel_id, ref)
        return self._room(incident, channel_id)

    async def _opened(self, incident: Incident, conversation_id: str, ref: Reference) -> None:
        await self._remember(conversation_id, ref)
        if self.store is not None:
            await self.store.remember_message(incident.key, THREAD_SLOT, conversation_id)

    async def _say(self, ref: Reference, conversation_id: str, key: str, text: str) -> None:
        try:
            for c in render(View(text), Style(self.runbook), key):
                await self.connector.send(ref.service_url, conversation_id, message(c))
        except ChatError as error:
            log.warning("could not explain the room of %s: %s", key, error)

    def _thread(self, channel: str, first: Card) -> dict[str, Any]:
        tenant = {"id": self.tenant_id} if self.tenant_id else {}
        return {
            "isGroup": True,
            "bot": self.bot,
            "channelData": {"channel": {"id": channel}} | ({"tenant": tenant} if tenant else {}),
            "activity": message(first),
        } | ({"tenantId": self.tenant_id} if self.tenant_id else {})

    def _room(self, incident: Incident, conversation_id: str) -> Room:
        if not root_of(conversation_id):  # a dedicated channel
            return Room(PLATFORM, conversation_id, channel_name(incident.key, incident.title))
        return Room(PLATFORM, conversation_id, f"{incident.key}: {incident.title}"[:80])

    async def _remember(self, thread: str, ref: Reference) -> None:
        reference = dict(ref.reference) | {"conversation": {"id": thread, "isGroup": True}}
        fresh = Reference(PLATFORM, thread, ref.service_url, ref.tenant_id, reference)
        await self.conversations.remember(fresh, self.clock.now())

    async def archive_room(self, room: Room) -> None:
        """Nothing to do. A thread cannot be archived; it simply goes quiet (the channel keeps
        the record). A dedicated channel stays too: archiving one through Graph needs the
        tenant-wide ChannelSettings.ReadWrite.All, more than a team owner can grant."""

    # --- messages ------------------------------------------------------------------

    async def _cards(self, notice: Notice, ref: Reference, conversation_id: str) -> list[Card]:
        last = notice.incident.last
        now = notice.now or (last.at if last else datetime.now(UTC))
        v = view(notice, self.runbook, now)
        wanted = mentioned(view_texts(v)) | set(notice.mentions)
        members = await self.people.members(wanted, self.where(ref, conversation_id))
        return render(v, Style(self.runbook, members), notice.incident.key)

    async def post(self, room: Room, notice: Notice) -> str:
        root = root_of(room.id)
        if notice.kind == NoticeKind.CARD and root:  # the thread's first message is the card
            await self.update(room, root, notice)
            return root
        ref = await self.reference(room.id)
        ids = [
            str(
                await self._guard(
                    room, notice, self.connector.send(ref.service_url, room.id, message(c))
                )
            )
            for c in await self._cards(notice, ref, room.id)
        ]
        if notice.kind == NoticeKind.SUMMARY:  # after the text: a failed picture loses only itself
            await self._picture(room, ref, notice)
        return ids[0]

    async def _picture(self, room: Room, ref: Reference, notice: Notice) -> None:
        incident = notice.incident
        at = incident.closed_at or notice.now or self.clock.now()
        try:
            picture = timeline_message(incident, self.runbook, at)
            await self._guard(room, notice, self.connector.send(ref.service_url, room.id, picture))
        except (ChatError, OSError, ValueError) as error:
            log.warning("could not send the timeline picture of %s: %s", incident.key, error)

    async def update(self, room: Room, message_id: str, notice: Notice) -> None:
        ref = await self.reference(room.id)
        first, *rest = await self._cards(notice, ref, room.id)
        # A post in a dedicated channel is the first message of its own thread.
        where = room.id if root_of(room.id) else f"{room.id}{ROOT}{message_id}"
        change = self.connector.update(ref.service_url, where, message_id, message(first))
        await self._guard(room, notice, change)
        for more in rest:
            await self._guard(
                room, notice, self.connector.send(ref.service_url, room.id, message(more))
            )

    async def _guard(self, room: Room, notice: Notice, sending: Awaitable[Any]) -> Any:
        try:
            return await sending
        except Blocked as error:
            await self._blocked(room, notice.incident.key, error)
            raise

    async def _blocked(self, room: Room, key: str, error: Blocked) -> None:
        log.error(
            "Teams removed the bot from %s (%s): %s; not sending there again", key, room.id, error
        )
        await self.conversations.block(PLATFORM, room.id, self.clock.now())
        if self.on_blocked is not None:
            await self.on_blocked(key, room)
