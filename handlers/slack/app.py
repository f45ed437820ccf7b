"""The Bolt app: one slash command, every button, three modals and one event, each acked at
once and worked after the ack (handlers.work); what changes an incident is kept in the
inbox before the ack (handlers.kept), so a crash loses none of it.

    bolt = build_slack_app(deps, settings, chat)
    add_slack_routes(web_app, bolt)   # POST /slack/events (handlers.slack.routes)

Bolt verifies every request with the signing secret before a listener sees it; a payload
Slack would never send is answered 400 (never 500, never a stack trace in chat).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.commands import TYPED, parse
from bot.requests import Request
from bot.service import Deps
from bot.settings import Settings
from handlers.database import TRY_AGAIN, database_away
from handlers.kept import Job, Kept
from handlers.slack import modals
from handlers.slack.chat import SlackChat
from handlers.slack.commands import Said, SlashCommands
from handlers.slack.edge import Edge
from handlers.slack.files import FileEvidence
from handlers.slack.interactions import (
    ASK,
    CLOSE,
    DECLARE,
    Click,
    Interactions,
    opens_declare,
    read_click,
)
from handlers.slack.keys import delivery_key
from handlers.slack.payload import Malformed, optional_text, text_at, typed_text
from handlers.slack.pins import EVENTS as PIN_EVENTS
from handlers.slack.pins import Pin, PinEvents, read_pin
from handlers.work import Work
from storage.inbox import MemoryInbox

log = logging.getLogger(__name__)
COMMAND = "/ai-incident"
EVENTS = ("file_shared", *PIN_EVENTS)


# Commands that change an incident, kept before their ack: the core's own list of them; the
# others only answer the asker (a form's trigger id is dead long before a crashed request
# could be worked again).
CHANGES = TYPED


class Handlers:
    """What works Slack's requests, over one edge: the process's own, or one that answers a
    kept request (its deps carry the request to the core)."""

    def __init__(self, edge: Edge, token: str, api_url: str) -> None:
        self.edge, self.token, self.api_url = edge, token, api_url
        self.commands = SlashCommands(edge)
        self.interactions = Interactions(edge)
        self.files = FileEvidence(edge, token, api_url)
        self.pins = PinEvents(edge)

    def answering(self, request: Request | None) -> Handlers:
        """The same handlers, for work that answers `request`."""
        if request is None:
            return self
        return Handlers(self.edge.answering(request), self.token, self.api_url)


class Listeners(Handlers):
    """Bolt passes arguments by name: ack, body, command, view, event."""

    def __init__(self, edge: Edge, token: str, api_url: str) -> None:
        super().__init__(edge, token, api_url)
        kept = edge.kept
        kept.on("command", lambda r, p: self.answering(r).commands.run(Said(**p)))
        kept.on("click", lambda r, p: self.answering(r).interactions.click(Click(**p)))
        kept.on("file", self._file)
        kept.on("pin", lambda r, p: self.answering(r).pins.record(Pin(**p)))
        for kind in (DECLARE, CLOSE, ASK):
            kept.on(kind, self.interactions.replay(kind))

    def _file(self, request: Request | None, kept: Mapping[str, Any]) -> Job:
        return self.answering(request).files.record(kept["channel"], kept["file_id"], kept["user"])

    async def _keep_then_ack(
        self, ack: AsyncAck, kind: str, key: str, payload: Any, job: Callable[[Handlers], Job]
    ) -> None:
        row = await self.edge.kept.keep(kind, key, asdict(payload))
        await ack()
        if row is not None:  # None: Slack sent this very request before
            self.edge.kept.start(row, lambda request: job(self.answering(request)))

    async def command(self, ack: AsyncAck, command: Mapping[str, Any]) -> None:
        said = Said(
            user=text_at(command, "user_id"),
            name=optional_text(command, "user_name"),
            channel=text_at(command, "channel_id"),
            text=typed_text(optional_text(command, "text")),
            trigger=optional_text(command, "trigger_id"),
        )
        if parse(said.text).name not in CHANGES:
            await ack()
            self.edge.work.start(self.commands.run(said))
            return
        key = delivery_key("command", said.user, said.channel, said.text, said.trigger)
        await self._keep_then_ack(ack, "command", key, said, lambda on: on.commands.run(said))

    async def action(self, ack: AsyncAck, body: Mapping[str, Any]) -> None:
        click = read_click(body)
        if click.needs or opens_declare(click):  # only opens a form, on a short-lived trigger
            await ack()
            self.edge.work.start(self.interactions.click(click))
            return
        key = delivery_key("click", click.user, click.action, click.at, click.trigger)
        await self._keep_then_ack(ack, "click", key, click, lambda on: on.interactions.click(click))

    async def file_shared(self, ack: AsyncAck, event: Mapping[str, Any]) -> None:
        """Keyed by the file, not the event: a retried event and a file announced twice
        alike are recorded once."""
        shared = File(
            channel=optional_text(event, "channel_id"),
            file_id=text_at(event, "file_id"),
            user=text_at(event, "user_id"),
        )
        key = delivery_key("file", shared.channel, shared.file_id)
        await self._keep_then_ack(
            ack,
            "file",
            key,
            shared,
            lambda on: on.files.record(shared.channel, shared.file_id, shared.user),
        )

    async def pin_event(self, ack: AsyncAck, event: Mapping[str, Any]) -> None:
        """A pin or 📌 of a message; keyed by the event, so a retry is worked once and a
        pin after an unpin is a pin again."""
        pin = read_pin(event)
        if pin is None:
            await ack()
            return
        key = delivery_key("pin", pin.channel, pin.ts, pin.user, pin.at, str(pin.added))
        await self._keep_then_ack(ack, "pin", key, pin, lambda on: on.pins.record(pin))


@dataclass(frozen=True)
class File:
    channel: str
    file_id: str
    user: str


async def answer_error(
    error: Exception, body: Mapping[str, Any], client: AsyncWebClient
) -> BoltResponse:
    if isinstance(error, Malformed):
        return BoltResponse(status=400, body=str(error))
    if database_away(error):
        log.warning("the database is away: %s", error)
        return await try_again(body, client)
    log.error("Slack listener failed", exc_info=error)
    return BoltResponse(status=500, body="The bot could not handle that request.")


async def try_again(body: Mapping[str, Any], client: AsyncWebClient) -> BoltResponse:
    """A slash command's ack carries the message (Slack shows it to the typist alone); a click
    or a form cannot, so the person is told in the channel, only them to see."""
    if "command" in body:
        said = {"response_type": "ephemeral", "text": TRY_AGAIN}
        return BoltResponse(status=200, body=said, headers={"content-type": "application/json"})
    user = body.get("user", {}).get("id", "")
    channel = body.get("channel", {}).get("id", "")
    try:
        if channel:
            await client.chat_postEphemeral(channel=channel, user=user, text=TRY_AGAIN)
        else:  # a form: no channel to say it in, so a direct message
            await client.chat_postMessage(channel=user, text=TRY_AGAIN)
    except SlackApiError as told:
        log.warning("could not say 'try again' to %s: %s", user, told.response.get("error"))
    return BoltResponse(status=200, body="")


def build_slack_app(
    deps: Deps,
    settings: Settings,
    chat: SlackChat,
    work: Work | None = None,
    kept: Kept | None = None,
) -> AsyncApp:
    """A Bolt app on `chat`'s Web API client; nothing is sent until a request arrives.

    `kept` keeps each request that changes something before its ack (give it a SqlInbox
    and sweep it, or a crash loses acked work); its `work` holds what runs after each ack:
    await `work.idle()` at shutdown (and in tests). Without `kept`, requests are kept in
    memory over `work`. Without a signing secret (Socket Mode only) Bolt verifies nothing,
    so the HTTP route refuses to mount (handlers.slack.routes)."""
    secret = settings.slack_signing_secret
    app = AsyncApp(
        client=chat.client,
        signing_secret=secret,
        request_verification_enabled=bool(secret),
        process_before_response=True,  # the listeners ack and hand work on at once
    )
    edge = Edge(deps, chat, kept or Kept(MemoryInbox(), work or Work(), deps.clock))
    on = Listeners(edge, settings.slack_bot_token, settings.slack_api_url)
    app.command(COMMAND)(on.command)
    app.action(re.compile(".*"))(on.action)
    app.view(modals.DECLARE)(on.interactions.declare)
    app.view(modals.CLOSE)(on.interactions.close)
    app.view(modals.ASK)(on.interactions.ask)
    app.event("file_shared")(on.file_shared)
    app.event("pin_added")(on.pin_event)
    app.event("pin_removed")(on.pin_event)
    app.event("reaction_added")(on.pin_event)
    app.event("reaction_removed")(on.pin_event)
    app.error(answer_error)
    return app
