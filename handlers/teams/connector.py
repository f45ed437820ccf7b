"""The Bot Connector REST API (what Teams calls the "connector"), with its failure rules.

    connector = Connector(ServiceUrls(), MsalTokens(app_id, password))
    made = await connector.create_conversation(service_url, {"isGroup": True, ...})
    activity_id = await connector.send(service_url, made["id"], {"type": "message", ...})
    await connector.update(service_url, made["id"], activity_id, {...})

Only allowed service URLs are called, with the retry rules of handlers.teams.rest; 403
means the bot was removed (Blocked), 404 that there is no such thing (NotFound).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from bot.ports import ChatError, Undeliverable
from handlers.teams.auth import Tokens
from handlers.teams.rest import Rest, Sleep
from handlers.teams.urls import ServiceUrls


class Blocked(Undeliverable):
    """403: the bot was removed from the conversation (or the user blocked it)."""


class NotFound(ChatError):
    """404: no such conversation, activity or member."""


def path(*parts: str) -> str:
    return "v3/conversations/" + "/".join(quote(p, safe="") for p in parts)


class Connector(Rest):
    def __init__(self, urls: ServiceUrls, tokens: Tokens, sleep: Sleep = asyncio.sleep) -> None:
        super().__init__("Teams", urls, tokens, sleep)

    def refuse(self, status: int, answer: Any, what: str) -> ChatError | None:
        if status == 403:
            return Blocked(what)
        if status == 404:
            return NotFound(what)
        if status == 413:  # MessageSizeTooBig: the same message will never fit
            return Undeliverable(what)
        return None

    async def create_conversation(self, service_url: str, params: dict[str, Any]) -> dict[str, Any]:
        answer = await self.call("POST", service_url, "v3/conversations", params)
        return answer if isinstance(answer, dict) else {}

    async def send(self, service_url: str, conversation_id: str, activity: dict[str, Any]) -> str:
        answer = await self.call("POST", service_url, path(conversation_id, "activities"), activity)
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""

    async def update(
        self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]
    ) -> None:
        where = path(conversation_id, "activities", activity_id)
        await self.call("PUT", service_url, where, {**activity, "id": activity_id})

    async def member(
        self, service_url: str, conversation_id: str, member_id: str
    ) -> dict[str, Any] | None:
        """A member by id, AAD object id or UPN; None when the conversation has no such one."""
        try:
            answer = await self.call(
                "GET", service_url, path(conversation_id, "members", member_id)
            )
        except NotFound:
            return None
        return answer if isinstance(answer, dict) else None
