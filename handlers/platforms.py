"""One Chat over several platforms, for when Slack and Teams are both configured.

    chats = ByPlatform()
    chats.add("slack", slack_chat); chats.add("teams", teams_chat)
    Deps(runbook, store, chats, clock)

An incident's room is opened on the platform it was declared from (the declarer's actor id
says which: `slack:U0…`, `teams:…`), else on the first added; every later message goes to
the platform of the room it is for.
"""

from __future__ import annotations

from bot.incident import Incident, Room
from bot.notices import Notice
from bot.ports import Chat, ChatError


class ByPlatform:
    def __init__(self) -> None:
        self.chats: dict[str, Chat] = {}

    def add(self, platform: str, chat: Chat) -> None:
        self.chats[platform] = chat

    def _for(self, platform: str) -> Chat:
        chat = self.chats.get(platform)
        if chat is None:
            raise ChatError(f"No {platform or 'chat'} platform is configured in this server.")
        return chat

    async def open_room(self, incident: Incident) -> Room:
        declarer = incident.declared_by.id if incident.declared_by else ""
        platform = declarer.partition(":")[0]
        if platform not in self.chats:
            platform = next(iter(self.chats), "")
        return await self._for(platform).open_room(incident)

    async def post(self, room: Room, notice: Notice) -> str:
        return await self._for(room.platform).post(room, notice)

    async def update(self, room: Room, message_id: str, notice: Notice) -> None:
        await self._for(room.platform).update(room, message_id, notice)

    async def archive_room(self, room: Room) -> None:
        await self._for(room.platform).archive_room(room)
