"""An incident's Slack channel: its name, opened once, its topic, and who is invited.

    rooms = SlackRooms(chat)
    room = await rooms.open(incident)   # a private channel aiinc-20260326-report-shows-…
    await rooms.invite(room, "", ["dana"])

A room is opened once per incident even when the core retries; everyone the bot pages or
reminds is invited as it names them, one by one so one bad account blocks nobody.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from collections.abc import Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.incident import Incident, Room
from bot.ports import ChatError
from bot.runbook import Runbook
from bot.views import View
from handlers.slack.blocks import Style, render

if TYPE_CHECKING:
    from handlers.slack.chat import SlackChat

log = logging.getLogger(__name__)
MAX_NAME = 80
SLUG = 40
SUFFIXES = 50
MAX_TOPIC = 250
FINE = {"already_in_channel", "already_pinned"}
CHANNEL_SLOT, NAME_SLOT = "slack:channel", "slack:channel-name"  # in the store's message slots


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


def channel_link(channel: object) -> str:
    return f"https://slack.com/app_redirect?channel={channel}"


class SlackRooms:
    """The chat's `store`, when given, remembers each incident's channel as soon as it exists,
    so even a retry after a crash (before the core recorded the room) finds it instead of
    making another."""

    def __init__(self, chat: SlackChat) -> None:
        self.chat, self.runbook, self.store = chat, chat.runbook, chat.store
        self._rooms: dict[str, Room] = {}  # incident key → room: a retry reuses it
        self._members: dict[str, set[str]] = {}  # channel → people invited already

    async def open(self, incident: Incident) -> Room:
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
        return Room("slack", channel, name, channel_link(channel))

    async def _remember(self, key: str, room: Room) -> None:
        self._rooms[key] = room
        if self.store is not None:  # the name first: a remembered channel has its name
            await self.store.remember_message(key, NAME_SLOT, room.name)
            await self.store.remember_message(key, CHANNEL_SLOT, room.id)

    async def _create(self, incident: Incident) -> Room:
        base = channel_name(self.runbook, incident)
        for name in names(base):
            try:
                answer = await self.chat.call("conversations.create", self._creating(name))
            except ChatError as error:
                if str(error).endswith(": name_taken"):
                    continue
                raise
            channel = answer["channel"]
            return Room(
                "slack", str(channel["id"]), str(channel["name"]), channel_link(channel["id"])
            )
        raise ChatError(f"'{base}' and its first {SUFFIXES} numbered names are all taken.")

    def _creating(self, name: str) -> Callable[[], Awaitable[AsyncSlackResponse]]:
        private = self.runbook.rooms.slack_private
        return lambda: self.chat.client.conversations_create(name=name, is_private=private)

    def _declarer(self, incident: Incident) -> str:
        actor = incident.declared_by
        return actor.id.removeprefix("slack:") if actor and actor.id.startswith("slack:") else ""

    async def _set_topic(self, room: Room, incident: Incident) -> None:
        system = self.runbook.system(incident.system)
        topic = f"{incident.key} · {incident.title}"
        full = f"{topic} · {system.name}" if system else topic
        send = lambda: self.chat.client.conversations_setTopic(  # noqa: E731
            channel=room.id, topic=full if len(full) <= MAX_TOPIC else topic
        )
        try:
            await self.chat.call("conversations.setTopic", send)
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
                await self.chat.send_message(room.id, render(said, Style(self.runbook))[0])
            except ChatError as error:  # saying so is worth a try, not a failed room
                log.warning("could not say who was not invited to %s: %s", room.id, error)

    async def _invite_person(self, room: Room, person_id: str) -> str:
        person = self.runbook.find_person(person_id)
        user = await self.chat.people.slack_id(person_id)
        if person is None or user is None:
            email = person.email if person else "?"
            return f"{person.name if person else person_id} (no Slack account for {email})"
        problem = await self._invite_user(room, user)
        return f"{person.name} ({problem})" if problem else ""

    async def _invite_user(self, room: Room, user_id: str) -> str:
        """Through `call`, so a short 429 is waited out rather than reported as a problem."""
        invite = lambda: self.chat.client.conversations_invite(channel=room.id, users=user_id)  # noqa: E731
        try:
            await self.chat.call("conversations.invite", invite)
        except ChatError as error:
            code = str(error).rpartition(": ")[2]
            return "" if code in FINE else code
        return ""
