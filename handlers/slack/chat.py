"""SlackChat: the Chat port over Slack's Web API.

    chat = SlackChat(AsyncWebClient(token=..., base_url=...), runbook)
    room = await chat.open_room(incident)   # a private channel aiinc-20260326-report-shows-…
    ts = await chat.post(room, notices.card(incident))   # posted and pinned

The room itself (its name, topic and invitations) is `handlers.slack.rooms`. Posts to one
channel are paced to about one a second (Slack's own limit) without holding up other
channels; a 429 is waited out when short, else handed back as ChatError(retry_after).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.incident import Incident, Room
from bot.kinds import NoticeKind
from bot.notices import Notice
from bot.ports import ChatError, IncidentStore, Undeliverable
from bot.runbook import Runbook
from bot.views import view
from handlers.slack.blocks import Message, Style, TooLong, mentioned, render, view_texts
from handlers.slack.once import OncePoster, Unanswered
from handlers.slack.people import People
from handlers.slack.pictures import share_timeline
from handlers.slack.rooms import FINE, SlackRooms
from handlers.slack.web_api import Pacer, error_code, retry_after, web_client

log = logging.getLogger(__name__)
ATTEMPTS = 3
MAX_WAIT_S = 30.0  # a longer Retry-After goes back to the caller (the ticker reschedules)
GONE = {"already_archived", "channel_not_found"}  # archiving such a channel is done already
# Errors no retry mends: the channel is gone or closed to the bot, or the message never fits.
UNDELIVERABLE = {
    "is_archived",
    "channel_not_found",
    "not_in_channel",
    "msg_too_long",
    "invalid_blocks",
    "no_text",
}


class SlackChat:
    """`store`, when given, remembers each incident's channel as soon as it exists, so even a
    retry after a crash (before the core recorded the room) finds it instead of making another."""

    def __init__(
        self,
        client: AsyncWebClient,
        runbook: Runbook,
        pacer: Pacer | None = None,
        store: IncidentStore | None = None,
    ) -> None:
        self.client, self.runbook, self.store = client, runbook, store
        self.pacer = pacer or Pacer()
        self.people = People(client, runbook, self.waited)
        self.once = OncePoster(self)
        self.rooms = SlackRooms(self)

    @classmethod
    def connect(
        cls, token: str, api_url: str, runbook: Runbook, store: IncidentStore | None = None
    ) -> SlackChat:
        """Over Slack's Web API at `api_url` (Slack's own, or a fake in tests)."""
        return cls(web_client(token, api_url), runbook, store=store)

    async def call(
        self, method: str, send: Callable[[], Awaitable[AsyncSlackResponse]], channel: str = ""
    ) -> AsyncSlackResponse:
        """One Web API call; short 429s waited out (for this channel only), errors → ChatError."""
        try:
            return await self.waited(method, send, channel)
        except SlackApiError as error:
            said = f"Slack {method}: {error_code(error)}"
            if error_code(error) in UNDELIVERABLE:
                raise Undeliverable(said) from None
            raise ChatError(said, retry_after(error)) from None
        except (aiohttp.ClientError, TimeoutError) as error:
            raise Unanswered(f"Slack {method}: {error!r}", 5.0) from None

    async def waited(
        self, method: str, send: Callable[[], Awaitable[AsyncSlackResponse]], channel: str = ""
    ) -> AsyncSlackResponse:
        """`send()`, short 429s waited out; any other error raised as it came."""
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await send()
            except SlackApiError as error:
                wait = retry_after(error)
                if wait is None or wait > MAX_WAIT_S or attempt == ATTEMPTS:
                    raise
            self.pacer.hold(channel, wait)
            await self.pacer.sleep(wait)
        raise AssertionError("unreachable")

    # --- the room ---------------------------------------------------------------------

    async def open_room(self, incident: Incident) -> Room:
        return await self.rooms.open(incident)

    async def invite(self, room: Room, user_id: str, person_ids: Iterable[str]) -> None:
        """Invite a Slack user and runbook people; say in the room who could not be."""
        await self.rooms.invite(room, user_id, person_ids)

    # --- messages ---------------------------------------------------------------------

    async def _render(self, notice: Notice) -> list[Message]:
        last = notice.incident.last
        now = notice.now or (last.at if last else datetime.now(UTC))
        v = view(notice, self.runbook, now)
        users = await self.people.slack_ids(mentioned(view_texts(v)))
        try:
            return render(v, Style(self.runbook, users), notice.incident.key)
        except TooLong as error:
            raise Undeliverable(f"The message is over Slack's limits: {error}") from None

    async def _parent(self, notice: Notice) -> str:
        """The ts of the message a threaded notice answers; "" when it has none yet."""
        if not notice.thread or self.store is None:
            return ""
        return await self.store.message_id(notice.incident.key, notice.thread) or ""

    async def send_message(
        self, channel: str, message: Message, thread: str = "", broadcast: bool = False
    ) -> str:
        async def send() -> AsyncSlackResponse:
            await self.pacer.turn(channel)
            return await self.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                reply_broadcast=bool(thread and broadcast) or None,
                **_thread(thread),
            )

        answer = await self.call("chat.postMessage", send, channel)
        return str(answer["ts"])

    async def post(self, room: Room, notice: Notice) -> str:
        if notice.mentions:
            await self.invite(room, "", notice.mentions)
        first, *rest = await self._render(notice)
        parent = await self._parent(notice)  # a reply under the message it is about
        if notice.slot:  # looked for before it is sent again: never posted twice
            ts = await self.once.send(
                room.id, first, notice.slot, parent, notice.loud, unsure=notice.unsure
            )
        else:
            ts = await self.send_message(room.id, first, parent, broadcast=notice.loud)
        for n, part in enumerate(rest, 2):
            await self._part(room.id, part, ts, notice.slot, n)
        if notice.kind == NoticeKind.CARD:
            await self._pin(room, ts)
        # the text first: a failed upload loses only the picture
        if notice.kind == NoticeKind.SUMMARY:
            await share_timeline(self, room, notice)
        return ts

    async def _part(
        self, channel: str, part: Message, ts: str, slot: str, n: int, updating: bool = False
    ) -> None:
        """A later part of a long message, a reply under its first: posted once (its slot
        `KEY/slot#n`), and updated in place when the message is."""
        if not slot:
            await self.send_message(channel, part, ts)
            return
        named = f"{slot}#{n}"
        found = await self.once.find(channel, named, ts) if updating else ""
        if found:
            await self._update(channel, found, part)
        else:
            await self.once.send(channel, part, named, ts)

    async def update(self, room: Room, message_id: str, notice: Notice) -> None:
        first, *rest = await self._render(notice)
        await self._update(room.id, message_id, first)
        for n, part in enumerate(rest, 2):
            await self._part(room.id, part, message_id, notice.slot, n, updating=True)

    async def _update(self, channel: str, ts: str, message: Message) -> None:
        await self.call(
            "chat.update",
            lambda: self.client.chat_update(
                channel=channel, ts=ts, text=message.text, blocks=message.blocks
            ),
        )

    async def archive_room(self, room: Room) -> None:
        """conversations.archive; a channel archived already (or gone) needs nothing more."""
        try:
            await self.call(
                "conversations.archive", lambda: self.client.conversations_archive(channel=room.id)
            )
        except ChatError as error:
            code = str(error).rpartition(": ")[2]
            if code not in GONE:
                raise
            log.info("channel %s needs no archiving: %s", room.id, code)

    async def _pin(self, room: Room, ts: str) -> None:
        try:
            await self.client.pins_add(channel=room.id, timestamp=ts)
        except SlackApiError as error:
            if error_code(error) not in FINE:
                log.warning("could not pin the card in %s: %s", room.id, error_code(error))


def _thread(ts: str) -> dict[str, Any]:
    return {"thread_ts": ts} if ts else {}
