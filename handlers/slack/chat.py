"""SlackChat: the Chat port over Slack's Web API.

    chat = SlackChat(AsyncWebClient(token=..., base_url=...), runbook)
    room = await chat.open_room(incident)   # a private channel aiinc-20260326-report-shows-…
    ts = await chat.post(room, notices.card(incident))   # posted and pinned

A room is opened once per incident even when the core retries; everyone the bot pages or
reminds is invited as it names them, one by one so one bad account blocks nobody. Posts to
one channel are paced to about one a second (Slack's own limit) without holding up other
channels; a 429 is waited out when short, else handed back as ChatError(retry_after).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import time
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.incident import Incident, Room
from bot.kinds import NoticeKind
from bot.notices import Notice
from bot.ports import ChatError, IncidentStore, Undeliverable
from bot.runbook import Runbook
from bot.views import View, view
from handlers.slack.blocks import Message, Style, TooLong, mentioned, render, view_texts
from handlers.slack.once import OncePoster, Unanswered
from handlers.slack.people import People
from handlers.slack.pictures import share_timeline

log = logging.getLogger(__name__)
MAX_NAME = 80
SLUG = 40
SUFFIXES = 50
MAX_TOPIC = 250
ATTEMPTS = 3
TRANSIENT_RETRIES = 3
MAX_WAIT_S = 30.0  # a longer Retry-After goes back to the caller (the ticker reschedules)
FINE = {"already_in_channel", "already_pinned"}
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
CHANNEL_SLOT, NAME_SLOT = "slack:channel", "slack:channel-name"  # in the store's message slots

Sleep = Callable[[float], Awaitable[None]]


def channel_name(runbook: Runbook, incident: Incident) -> str:
    """`aiinc-20260326-report-shows-another-client-s-data`: only [a-z0-9_-], ≤ 80."""
    when = incident.declared_at or incident.aware_at or datetime.now(UTC)
    day = when.astimezone(runbook.firm.timezone).strftime("%Y%m%d")
    ascii_ = unicodedata.normalize("NFKD", incident.title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-")[:SLUG].rstrip("-")
    prefix = re.sub(r"[^a-z0-9_-]", "", runbook.rooms.slack_prefix.lower()) or "aiinc"
    return f"{prefix}-{day}-{slug or 'incident'}"[: MAX_NAME - 3].rstrip("-_")


def names(base: str) -> Iterable[str]:
    """The name, then -2, -3 … for when it is taken (archived channels keep theirs)."""
    return itertools.chain([base], (f"{base}-{n}" for n in range(2, SUFFIXES + 1)))


def web_client(token: str, api_url: str) -> AsyncWebClient:
    """Slack's Web API client; a dropped connection or a 5xx is tried again a few times
    (0.2 s, 0.4 s, 0.8 s apart), for every call the bot and Bolt make through it."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.2)
    transient = [
        AsyncConnectionErrorRetryHandler(
            max_retry_count=TRANSIENT_RETRIES, interval_calculator=backoff
        ),
        AsyncServerErrorRetryHandler(
            max_retry_count=TRANSIENT_RETRIES, interval_calculator=backoff
        ),
    ]
    return AsyncWebClient(token=token, base_url=api_url, retry_handlers=transient)


def retry_after(error: SlackApiError) -> float | None:
    response = error.response
    if response.status_code != 429 and response.get("error") != "ratelimited":
        return None
    headers = {str(k).lower(): v for k, v in (response.headers or {}).items()}
    try:
        return float(headers.get("retry-after", 1))
    except ValueError:
        return 1.0


def _code(error: SlackApiError) -> str:
    return str(error.response.get("error") or f"http_{error.response.status_code}")


class Pacer:
    """About one post a second per channel: each post books the next free second of its
    channel, so a busy or rate-limited channel never waits on another."""

    def __init__(
        self,
        interval_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval_s, self.clock, self.sleep = interval_s, clock, sleep
        self._free_at: dict[str, float] = {}

    async def turn(self, channel: str) -> None:
        now = self.clock()
        at = max(now, self._free_at.get(channel, now))
        self._free_at[channel] = at + self.interval_s
        if at > now:
            await self.sleep(at - now)

    def hold(self, channel: str, seconds: float) -> None:
        self._free_at[channel] = max(self._free_at.get(channel, 0.0), self.clock() + seconds)


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
        self._rooms: dict[str, Room] = {}  # incident key → room: a retry reuses it
        self.once = OncePoster(self)
        self._members: dict[str, set[str]] = {}  # channel → people invited already

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
            said = f"Slack {method}: {_code(error)}"
            if _code(error) in UNDELIVERABLE:
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
        room = await self._known_room(incident.key)
        if room is None:
            room = await self._create(incident)
            await self._remember(incident.key, room)
        await self._set_topic(room, incident)
        await self.invite(room, self._declarer(incident), self.runbook.roles["incident_lead"])
        return room

    async def _known_room(self, key: str) -> Room | None:
        if key in self._rooms or self.store is None:
            return self._rooms.get(key)
        channel = await self.store.message_id(key, CHANNEL_SLOT)
        if channel is None:
            return None
        name = await self.store.message_id(key, NAME_SLOT) or ""
        return Room("slack", channel, name, _link(channel))

    async def _remember(self, key: str, room: Room) -> None:
        self._rooms[key] = room
        if self.store is not None:  # the name first: a remembered channel has its name
            await self.store.remember_message(key, NAME_SLOT, room.name)
            await self.store.remember_message(key, CHANNEL_SLOT, room.id)

    async def _create(self, incident: Incident) -> Room:
        base = channel_name(self.runbook, incident)
        for name in names(base):
            try:
                answer = await self.call("conversations.create", self._creating(name))
            except ChatError as error:
                if str(error).endswith(": name_taken"):
                    continue
                raise
            channel = answer["channel"]
            return Room("slack", str(channel["id"]), str(channel["name"]), _link(channel["id"]))
        raise ChatError(f"'{base}' and its first {SUFFIXES} numbered names are all taken.")

    def _creating(self, name: str) -> Callable[[], Awaitable[AsyncSlackResponse]]:
        private = self.runbook.rooms.slack_private
        return lambda: self.client.conversations_create(name=name, is_private=private)

    def _declarer(self, incident: Incident) -> str:
        actor = incident.declared_by
        return actor.id.removeprefix("slack:") if actor and actor.id.startswith("slack:") else ""

    async def _set_topic(self, room: Room, incident: Incident) -> None:
        system = self.runbook.system(incident.system)
        topic = f"{incident.key} · {incident.title}"
        full = f"{topic} · {system.name}" if system else topic
        send = lambda: self.client.conversations_setTopic(  # noqa: E731
            channel=room.id, topic=full if len(full) <= MAX_TOPIC else topic
        )
        try:
            await self.call("conversations.setTopic", send)
        except ChatError as error:
            log.warning("topic of %s: %s", room.id, error)

    async def invite(self, room: Room, user_id: str, person_ids: Iterable[str]) -> None:
        """Invite a Slack user and runbook people; say in the room who could not be."""
        members = self._members.setdefault(room.id, set())
        failed = [await self._invite_user(room, user_id)] if user_id else []
        for pid in person_ids:
            if pid not in members:
                failed.append(await self._invite_person(room, pid))
                members.add(pid)
        problems = [f for f in failed if f]
        if problems:
            said = View("I could not invite " + "; ".join(problems) + ".")
            try:
                await self._send(room.id, render(said, Style(self.runbook))[0])
            except ChatError as error:  # saying so is worth a try, not a failed room
                log.warning("could not say who was not invited to %s: %s", room.id, error)

    async def _invite_person(self, room: Room, person_id: str) -> str:
        person = self.runbook.find_person(person_id)
        user = await self.people.slack_id(person_id)
        if person is None or user is None:
            email = person.email if person else "?"
            return f"{person.name if person else person_id} (no Slack account for {email})"
        problem = await self._invite_user(room, user)
        return f"{person.name} ({problem})" if problem else ""

    async def _invite_user(self, room: Room, user_id: str) -> str:
        """Through `call`, so a short 429 is waited out rather than reported as a problem."""
        invite = lambda: self.client.conversations_invite(channel=room.id, users=user_id)  # noqa: E731
        try:
            await self.call("conversations.invite", invite)
        except ChatError as error:
            code = str(error).rpartition(": ")[2]
            return "" if code in FINE else code
        return ""

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

    async def _send(
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
        parent = await self._parent(notice)
        if parent:  # a reply under the message it is about; in the room too when loud
            ts = await self._send(room.id, first, parent, broadcast=notice.loud)
        else:
            sent = self.once.send(room.id, first, notice.slot) if notice.slot else None
            ts = await (sent or self._send(room.id, first))
        for part in rest:
            await self._send(room.id, part, ts)
        if notice.kind == NoticeKind.CARD:
            await self._pin(room, ts)
        # the text first: a failed upload loses only the picture
        if notice.kind == NoticeKind.SUMMARY:
            await share_timeline(self, room, notice)
        return ts

    async def update(self, room: Room, message_id: str, notice: Notice) -> None:
        first, *rest = await self._render(notice)
        await self.call(
            "chat.update",
            lambda: self.client.chat_update(
                channel=room.id, ts=message_id, text=first.text, blocks=first.blocks
            ),
        )
        for part in rest:
            await self._send(room.id, part, message_id)

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
            if _code(error) not in FINE:
                log.warning("could not pin the card in %s: %s", room.id, _code(error))


def _link(channel: object) -> str:
    return f"https://slack.com/app_redirect?channel={channel}"


def _thread(ts: str) -> dict[str, Any]:
    return {"thread_ts": ts} if ts else {}
