"""Teams' side of the conversation, for end-to-end tests: activities built from the JSON
fixtures (shaped exactly as Teams sends them), aimed at the fake connector, carrying the
buttons and inputs of the cards the bot really sent.

    tenant = Tenant(http, connector, kept.work)
    await tenant.say(LEE, CHANNEL_POST, "declare Leak")       # "<at>AI Incident</at> declare Leak"
    form = tenant.last(CHANNEL_POST)                          # the card the bot answered with
    await tenant.submit(LEE, form, {"system": "drafting-assistant"})
    await tenant.click(SAM, tenant.with_action(room, "ack:incident_lead"), "ack:incident_lead")
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient

from handlers.teams.routes import PATH
from handlers.work import Work
from tests.fakes.teams_connector import FakeConnector, Sent

FIXTURES = Path(__file__).parent / "teams_fixtures"
CHANNEL = "19:incidents@thread.tacv2"
TEAM = "19:team-hv@thread.tacv2"
BUTTONS = ("Action.Execute", "Action.Submit")


@dataclass(frozen=True)
class User:
    id: str
    name: str
    aad: str
    email: str


def fixture(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((FIXTURES / f"{name}.json").read_text())
    return loaded


def actions(content: Any) -> Iterator[dict[str, Any]]:
    """Every action in a card, those inside ActionSets and inline forms included."""
    if isinstance(content, dict):
        if str(content.get("type", "")).startswith("Action."):
            yield content
        for value in content.values():
            yield from actions(value)
    elif isinstance(content, list):
        for item in content:
            yield from actions(item)


def text_of(message: Sent) -> str:
    def blocks(content: Any) -> Iterator[str]:
        if isinstance(content, dict):
            if content.get("type") == "TextBlock":
                yield str(content["text"])
            for key, value in content.items():
                if key != "card":  # an inline form's text is not shown until opened
                    yield from blocks(value)
        elif isinstance(content, list):
            for item in content:
                yield from blocks(item)

    return "\n".join(t for c in message.cards for t in blocks(c.get("body", [])))


class Tenant:
    def __init__(self, http: TestClient, connector: FakeConnector, work: Work) -> None:
        self.http, self.connector, self.work = http, connector, work
        self._ids = itertools.count(1774539700001)  # each activity Teams sends has its own id
        self.activities: list[dict[str, Any]] = []  # every activity sent, to send one again

    async def send(self, activity: dict[str, Any], headers: dict[str, str] | None = None) -> int:
        """Post the activity; once answered, wait for the work it started (no sleeping)."""
        self.activities.append(activity)
        async with self.http.post(PATH, json=activity, headers=headers or {}) as response:
            status = response.status
        await self.work.idle()
        return status

    def _from(self, base: str, user: User, conversation: str) -> dict[str, Any]:
        activity = copy.deepcopy(fixture(base))
        activity["serviceUrl"] = self.connector.url
        activity["from"] = {"id": user.id, "name": user.name, "aadObjectId": user.aad}
        activity["conversation"]["id"] = conversation
        activity["id"] = str(next(self._ids))
        channel = conversation.partition(";messageid=")[0]
        if "channelData" in activity and channel.endswith("@thread.tacv2"):
            data = activity["channelData"]
            data["channel"] = {"id": channel}
            data.update({"teamsChannelId": channel} if "teamsChannelId" in data else {})
        return activity

    async def installed(self, user: User) -> int:
        activity = fixture("conversation_update")
        activity["serviceUrl"] = self.connector.url
        return await self.send(activity)

    async def say(
        self, user: User, conversation: str, text: str, mentioning: tuple[User, ...] = ()
    ) -> int:
        """A channel message that @mentions the bot, as typed in `conversation`; each of
        `mentioning` typed as @Name becomes a real mention, as Teams sends one."""
        activity = self._from("channel_message", user, conversation)
        typed = text.replace("&", "&amp;").replace("<", "&lt;")
        for person in mentioning:
            typed = typed.replace(f"@{person.name}", f"<at>{person.name}</at>")
            mention = {"id": person.id, "name": person.name}
            entity = {"type": "mention", "text": f"<at>{person.name}</at>", "mentioned": mention}
            activity["entities"].append(entity)
        activity["text"] = f"<at>AI Incident</at> {typed}"
        return await self.send(activity)

    async def say_personally(self, user: User, text: str) -> tuple[int, str]:
        """A message in the user's 1:1 chat with the bot (no mention needed there); the
        status and the chat's conversation id."""
        chat = f"a:1personal-{user.id}"
        activity = self._from("personal_message", user, chat)
        activity["text"] = text.replace("&", "&amp;").replace("<", "&lt;")
        return await self.send(activity), chat

    async def submit(
        self,
        user: User,
        message: Sent,
        data: dict[str, Any],
        inputs: dict[str, Any],
        action: dict[str, Any] | None = None,
    ) -> int:
        """As Teams sends a pressed button: an Action.Execute as an `adaptiveCard/action`
        invoke (its data with the inputs merged in), an Action.Submit as a message."""
        activity = self._from("card_submit", user, message.conversation)
        activity["replyToId"] = message.id
        activity["value"] = {**data, **inputs}
        if action is not None and action["type"] == "Action.Execute":
            activity |= {"type": "invoke", "name": "adaptiveCard/action"}
            execute = {
                "type": "Action.Execute",
                "verb": action.get("verb", ""),
                "data": {**data, **inputs},
            }
            activity["value"] = {"action": execute, "trigger": "manual"}
        return await self.send(activity)

    async def fill(self, user: User, form: Sent, answers: dict[str, Any]) -> int:
        """Submit a form card: its inputs as Teams sends them (initial values kept)."""
        inputs = {i["id"]: i.get("value", "") for c in form.cards for i in _inputs(c)}
        submit = next(a for a in actions(form.cards) if a["type"] in BUTTONS)
        return await self.submit(user, form, submit["data"], {**inputs, **answers}, submit)

    async def click(self, user: User, message: Sent, action_id: str, text: str = "") -> int:
        """Press the button (or an inline form's Save) with this action id."""
        found = [
            a
            for a in actions(message.cards)
            if a["type"] in BUTTONS and a["data"].get("action") == action_id
        ]
        assert found, f"no {action_id} on: {text_of(message)[:200]}"
        said = {"text": text} if text else {}
        return await self.submit(user, message, found[0]["data"], said, found[0])

    # --- reading what the bot sent ---

    def messages(self, conversation: str) -> list[Sent]:
        return self.connector.messages(conversation)

    def last(self, conversation: str) -> Sent:
        return self.messages(conversation)[-1]

    def with_action(self, conversation: str, action_id: str) -> Sent:
        found = [
            m
            for m in self.messages(conversation)
            if any(a.get("data", {}).get("action") == action_id for a in actions(m.cards))
        ]
        assert found, f"no message in {conversation} has a {action_id} button"
        return found[-1]

    def said(self, conversation: str) -> str:
        return "\n".join(text_of(m) for m in self.messages(conversation))


def _inputs(content: Any) -> Iterator[dict[str, Any]]:
    if isinstance(content, dict):
        if str(content.get("type", "")).startswith("Input."):
            yield content
        for key, value in content.items():
            if key != "card":
                yield from _inputs(value)
    elif isinstance(content, list):
        for item in content:
            yield from _inputs(item)
