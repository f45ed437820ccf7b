"""Slack's side of the conversation, for end-to-end tests: requests signed exactly as Slack
signs them, built from what the bot really sent to the fake Web API.

    ws = Workspace(http, slack, work)
    await ws.command("U0LEE", "C0GENERAL", "declare Leak")     # a signed slash command
    view = ws.opened("U0LEE")                                  # the modal the bot opened
    await ws.submit("U0LEE", view, {"system": "drafting-assistant"})
    await ws.click("U0SAM", message, "ack:incident_lead")      # a button the bot posted

Each call returns the HTTP answer once the bot's work after the ack has finished (no sleeps).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient

from handlers.slack.routes import PATH
from handlers.work import Work
from tests.fakes.slack_api import FakeSlack, Message, View

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM = "T0TEST"
FORM = "application/x-www-form-urlencoded"


def signature(body: str, timestamp: str, secret: str = SECRET) -> str:
    base = f"v0:{timestamp}:{body}".encode()
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def signed(body: str, at: float | None = None, secret: str = SECRET) -> dict[str, str]:
    timestamp = str(int(time.time() if at is None else at))
    return {
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature(body, timestamp, secret),
    }


@dataclass
class Answer:
    status: int
    body: str

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def buttons(message: Message) -> list[dict[str, Any]]:
    return [e for b in message.blocks or [] if b["type"] == "actions" for e in b["elements"]]


def text_of(message: Message) -> str:
    parts = [b["text"]["text"] for b in message.blocks or [] if "text" in b]
    parts += [f["text"] for b in message.blocks or [] for f in b.get("fields", ())]
    return "\n".join(parts)


def _state(element: dict[str, Any], wanted: Any) -> dict[str, Any]:
    """What a Slack client sends for one input, choosing only what the form offers."""
    kind = element["type"]
    if kind == "plain_text_input":  # left alone, an input keeps its initial value
        return {
            "type": kind,
            "value": wanted if wanted is not None else element.get("initial_value"),
        }
    if kind == "datetimepicker":
        return {"type": kind, "selected_date_time": wanted or element.get("initial_date_time")}
    options = element["options"]
    if kind == "static_select":
        picked = [o for o in options if o["value"] == wanted] or [element.get("initial_option")]
        return {"type": kind, "selected_option": picked[0]}
    return {
        "type": kind,
        "selected_options": [o for o in options if o["text"]["text"] in (wanted or ())],
    }


class Workspace:
    def __init__(self, http: TestClient, slack: FakeSlack, work: Work) -> None:
        self.http, self.slack, self.work = http, slack, work

    async def send(
        self, body: str, content_type: str, headers: dict[str, str] | None = None
    ) -> Answer:
        sent = {"Content-Type": content_type, **(headers if headers is not None else signed(body))}
        async with self.http.post(PATH, data=body.encode(), headers=sent) as response:
            answer = Answer(response.status, await response.text())
        await self.work.idle()
        return answer

    async def command(self, user: str, channel: str, text: str) -> Answer:
        fields = {
            "token": "legacy",
            "team_id": TEAM,
            "team_domain": "fake-team",
            "channel_id": channel,
            "channel_name": "somewhere",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/ai-incident",
            "text": text,
            "api_app_id": "A0FAKEAPP",
            "response_url": "https://hooks.slack.com/commands/T0TEST/1/x",
            "trigger_id": self.slack.new_trigger(user),
        }
        return await self.send(urlencode(fields), FORM)

    async def interact(self, payload: dict[str, Any]) -> Answer:
        return await self.send(urlencode({"payload": json.dumps(payload)}), FORM)

    def _base(self, kind: str, user: str) -> dict[str, Any]:
        return {
            "type": kind,
            "team": {"id": TEAM, "domain": "fake-team"},
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
            "api_app_id": "A0FAKEAPP",
            "token": "legacy",
            "trigger_id": self.slack.new_trigger(user),
        }

    async def click(self, user: str, message: Message, action_id: str) -> Answer:
        """Click the button with this action id on a message the bot posted."""
        found = [b for b in buttons(message) if b["action_id"] == action_id]
        assert found, f"no button {action_id} on: {text_of(message)[:200]}"
        action = {**found[0], "block_id": "b", "action_ts": str(time.time())}
        payload = self._base("block_actions", user) | {
            "container": {
                "type": "message",
                "message_ts": message.ts,
                "channel_id": message.channel,
            },
            "channel": {"id": message.channel, "name": "incident"},
            "message": {"ts": message.ts, "text": message.text, "blocks": message.blocks},
            "actions": [action],
        }
        return await self.interact(payload)

    async def submit(self, user: str, view: View, answers: dict[str, Any]) -> Answer:
        """Submit a modal the bot opened, filling its inputs from `answers` by block id."""
        return await self.interact(self.submission(user, view, answers))

    def submission(self, user: str, view: View, answers: dict[str, Any]) -> dict[str, Any]:
        """The view_submission payload a Slack client sends for these answers."""
        values = {
            b["block_id"]: {"value": _state(b["element"], answers.get(b["block_id"]))}
            for b in view.view["blocks"]
            if b["type"] == "input"
        }
        submitted = {**view.view, "id": view.id, "state": {"values": values}, "hash": view.hash}
        return self._base("view_submission", user) | {"view": submitted}

    async def event(self, event: dict[str, Any], event_id: str, retry: int = 0) -> Answer:
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": TEAM,
                "api_app_id": "A0FAKEAPP",
                "event": event,
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
            }
        )
        headers = signed(body) | (
            {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            if retry
            else {}
        )
        return await self.send(body, "application/json", headers)

    # --- reading what the bot did ---

    def opened(self, user: str) -> View:
        return [v for v in self.slack.views.values() if v.user == user][-1]

    def messages(self, channel: str) -> list[Message]:
        return self.slack.messages[channel]

    def message_with(self, channel: str, action_id: str) -> Message:
        found = [
            m
            for m in self.messages(channel)
            if any(b["action_id"] == action_id for b in buttons(m))
        ]
        assert found, f"no message in {channel} has a {action_id} button"
        return found[-1]

    def said(self, channel: str) -> str:
        return "\n".join(m.text + "\n" + text_of(m) for m in self.messages(channel))

    def told(self, user: str) -> str:
        """Everything shown to `user` alone: ephemerals, and direct messages."""
        private = [m for m in self.slack.ephemerals if m.user == user]
        dms = [
            m
            for c in self.slack.channels.values()
            if c.is_im and c.name == user
            for m in self.messages(c.id)
        ]
        return "\n".join(m.text + "\n" + text_of(m) for m in private + dms)
