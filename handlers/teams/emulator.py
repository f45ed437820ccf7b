"""The Bot Framework Emulator's connector: the same Bot Connector API, but the Emulator
renders no Universal Actions (Action.Execute), so every button it is sent is the
Action.Submit it does render, carrying the same data (read back the same way:
handlers.teams.activity).

    connector = EmulatorConnector(ServiceUrls.loopback(), NoTokens())
"""

from __future__ import annotations

from typing import Any

from handlers.teams.connector import Connector


def submits_only(content: Any) -> Any:
    """`content` with each Action.Execute turned into an Action.Submit (its verb dropped)."""
    if isinstance(content, list):
        return [submits_only(item) for item in content]
    if not isinstance(content, dict):
        return content
    found = {k: submits_only(v) for k, v in content.items()}
    if found.get("type") == "Action.Execute":
        found.pop("verb", None)
        found["type"] = "Action.Submit"
    return found


class EmulatorConnector(Connector):
    async def create_conversation(self, service_url: str, params: dict[str, Any]) -> dict[str, Any]:
        return await super().create_conversation(service_url, submits_only(params))

    async def send(self, service_url: str, conversation_id: str, activity: dict[str, Any]) -> str:
        return await super().send(service_url, conversation_id, submits_only(activity))

    async def update(
        self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]
    ) -> None:
        await super().update(service_url, conversation_id, activity_id, submits_only(activity))
