"""Microsoft Graph, for the one thing the bot asks of it: a dedicated channel per incident.

    graph = Graph(ServiceUrls(GRAPH_HOSTS), MsalTokens(app_id, password, tenant, GRAPH,
                  GRAPH_SCOPES))
    channel = await graph.create_channel(group_id, "AI-2026-0001 Client report leak", "…")
    channel = await graph.find_channel(group_id, "AI-2026-0001 Client report leak")

The app needs the resource-specific permission Channel.Create.Group in the team (granted
by a team owner when the app is added with that permission in its manifest). A name Teams
already has is `NameTaken`; any other refusal (no permission, no such team) is
`GraphRefused`, so the caller can fall back to a thread and say why.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any
from urllib.parse import quote

from bot.ports import ChatError
from handlers.teams.auth import Tokens
from handlers.teams.rest import Rest, Sleep, error_code
from handlers.teams.urls import ServiceUrls

BASE = "https://graph.microsoft.com/v1.0/"
MAX_NAME = 50
FORBIDDEN = re.compile(r"[~#%&*{}+/\\:<>?|,\x00-\x1f\x7f]")  # each becomes a space
QUOTES = re.compile(r"['\"]")  # dropped: "client's" reads better as "clients" than "client s"
TAKEN = ("NameAlreadyExists",)


class GraphRefused(ChatError):
    """Graph said no for a reason waiting will not change (permission, team, bad name)."""


class NameTaken(GraphRefused):
    """The team already has a channel with this name."""


def channel_name(key: str, title: str) -> str:
    """`KEY title` as a Teams channel name: at most 50 characters, none that Teams forbids
    (~ # % & * { } + / \\ : < > ? | ' " ,), no '..', not starting with '_' or '.', nor ending
    with '.'."""
    name = " ".join(FORBIDDEN.sub(" ", QUOTES.sub("", f"{key} {title}")).split())
    while ".." in name:
        name = name.replace("..", ".")
    name = name[:MAX_NAME].rstrip(" .").lstrip("_. ")
    return name or key[:MAX_NAME]


def _taken(answer: Any) -> bool:
    said = error_code(answer, "message").lower()
    return error_code(answer) in TAKEN or "already exist" in said


class Graph(Rest):
    def __init__(
        self, urls: ServiceUrls, tokens: Tokens, base: str = BASE, sleep: Sleep = asyncio.sleep
    ) -> None:
        super().__init__("Graph", urls, tokens, sleep)
        self.base = base

    def refuse(self, status: int, answer: Any, what: str) -> ChatError | None:
        if status in (400, 409) and _taken(answer):
            return NameTaken(what)
        if status in (400, 401, 403, 404, 409):
            return GraphRefused(what)
        return None

    async def create_channel(self, group_id: str, name: str, description: str) -> dict[str, Any]:
        """A new standard channel in the team whose Microsoft 365 group is `group_id`."""
        body = {"displayName": name, "description": description, "membershipType": "standard"}
        answer = await self.call("POST", self.base, _channels(group_id), body)
        if not isinstance(answer, dict) or not answer.get("id"):
            raise GraphRefused("Graph made a channel but did not say its id.")
        return answer

    async def find_channel(self, group_id: str, name: str) -> dict[str, Any] | None:
        """The team's channel with exactly this name (Teams compares names without case)."""
        quoted = name.replace("'", "''")
        where = _channels(group_id) + "?$filter=" + quote(f"displayName eq '{quoted}'", safe="")
        answer = await self.call("GET", self.base, where)
        found = answer.get("value", []) if isinstance(answer, dict) else []
        same = [c for c in found if str(c.get("displayName", "")).lower() == name.lower()]
        return same[0] if same else None


def _channels(group_id: str) -> str:
    return f"teams/{quote(group_id, safe='')}/channels"
