"""The Bolt app: one slash command, every button, three modals and one event, each acked at
once and worked after the ack (handlers.slack.work).

    bolt = build_slack_app(deps, settings, chat)
    add_slack_routes(web_app, bolt)   # POST /slack/events (handlers.slack.routes)

Bolt verifies every request with the signing secret before a listener sees it; a payload
Slack would never send is answered 400 (never 500, never a stack trace in chat).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.response import BoltResponse

from bot.service import Deps
from bot.settings import Settings
from handlers.slack import modals
from handlers.slack.chat import SlackChat
from handlers.slack.commands import Said, SlashCommands
from handlers.slack.edge import Edge
from handlers.slack.files import FileEvidence
from handlers.slack.interactions import Interactions, read_click
from handlers.slack.payload import Malformed, optional_text, text_at, typed_text
from handlers.slack.work import Work

log = logging.getLogger(__name__)
COMMAND = "/ai-incident"
EVENTS = ("file_shared",)


class Listeners:
    """Bolt passes arguments by name: ack, body, command, view, event."""

    def __init__(self, edge: Edge, token: str, api_url: str) -> None:
        self.edge = edge
        self.commands = SlashCommands(edge)
        self.interactions = Interactions(edge)
        self.files = FileEvidence(edge, token, api_url)

    async def command(self, ack: AsyncAck, command: Mapping[str, Any]) -> None:
        said = Said(
            user=text_at(command, "user_id"),
            name=optional_text(command, "user_name"),
            channel=text_at(command, "channel_id"),
            text=typed_text(optional_text(command, "text")),
            trigger=optional_text(command, "trigger_id"),
        )
        await ack()
        self.edge.work.start(self.commands.run(said))

    async def action(self, ack: AsyncAck, body: Mapping[str, Any]) -> None:
        click = read_click(body)
        await ack()
        self.edge.work.start(self.interactions.click(click))

    async def file_shared(
        self, ack: AsyncAck, body: Mapping[str, Any], event: Mapping[str, Any]
    ) -> None:
        file_id, user = text_at(event, "file_id"), text_at(event, "user_id")
        channel = optional_text(event, "channel_id")
        await ack()
        fresh = self.edge.seen.first_time(optional_text(body, "event_id"))
        if fresh and self.edge.seen.first_time(f"file:{channel}:{file_id}"):
            self.edge.work.start(self.files.record(channel, file_id, user))


async def answer_error(error: Exception) -> BoltResponse:
    if isinstance(error, Malformed):
        return BoltResponse(status=400, body=str(error))
    log.error("Slack listener failed", exc_info=error)
    return BoltResponse(status=500, body="The bot could not handle that request.")


def build_slack_app(
    deps: Deps, settings: Settings, chat: SlackChat, work: Work | None = None
) -> AsyncApp:
    """A Bolt app on `chat`'s Web API client; nothing is sent until a request arrives.

    `work` holds what runs after each ack: await `work.idle()` at shutdown (and in tests).
    Without a signing secret (Socket Mode only) Bolt verifies nothing, so the HTTP route
    refuses to mount (handlers.slack.routes)."""
    secret = settings.slack_signing_secret
    app = AsyncApp(
        client=chat.client,
        signing_secret=secret,
        request_verification_enabled=bool(secret),
        process_before_response=True,  # the listeners ack and hand work on at once
    )
    edge = Edge(deps, chat, work or Work())
    on = Listeners(edge, settings.slack_bot_token, settings.slack_api_url)
    app.command(COMMAND)(on.command)
    app.action(re.compile(".*"))(on.action)
    app.view(modals.DECLARE)(on.interactions.declare)
    app.view(modals.CLOSE)(on.interactions.close)
    app.view(modals.ASK)(on.interactions.ask)
    app.event("file_shared")(on.file_shared)
    app.error(answer_error)
    return app
