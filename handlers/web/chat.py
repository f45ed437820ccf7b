"""The local web chat's rooms, kept in memory; the clock people can fast-forward; and the
command language as typed into a room.

    chat = WebChat(runbook)
    room = await chat.open_room(incident)   # Room("web", "web-ai-2026-0001", "aiinc-20260326-…")
    chat.rooms[room.id].messages[0].view    # the incident card as a core View
    await Commands(deps, chat).run("status", room.id, actor)   # -> Next(room.id)

Each message keeps the notice and the View rendered from it; `update` re-renders in place,
as Slack's chat.update would. Commands and the bot's answers go in as messages with no notice.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.command_answers import (
    SLASH,
    Answer,
    OpenClose,
    OpenDeclare,
    Platform,
    Refusal,
    Show,
    answer_command,
)
from bot.commands import parse
from bot.decisions import Refused
from bot.incident import Incident, Room
from bot.notices import Notice
from bot.ports import Clock
from bot.runbook import Runbook
from bot.service import Deps
from bot.timeline import Actor
from bot.views import View, view

LOBBY = "lobby"
SLUG_LIMIT = 40


class OffsetClock:
    """A Clock running ahead of `base` by however far people have fast-forwarded it."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return self.base.now() + self.offset

    def advance(self, by: timedelta) -> datetime:
        if by < timedelta(0):
            raise ValueError("The clock only moves forward.")
        self.offset += by
        return self.now()


@dataclass
class WebMessage:
    id: str
    notice: Notice | None  # None for the bot's reply to a command
    view: View
    posted_at: datetime
    updates: int = 0
    links: tuple[tuple[str, str], ...] = ()  # (label, href) shown under the text
    by: str = ""  # who typed it, for a command echoed into the room; "" is the bot
    about: str = ""  # for an answer: the incident its buttons act on

    @property
    def key(self) -> str:
        return self.notice.incident.key if self.notice else self.about


@dataclass
class WebRoom:
    id: str
    name: str
    key: str = ""
    messages: list[WebMessage] = field(default_factory=list)
    archived: bool = False  # closed, and the runbook's archive_after has passed


def room_id(key: str) -> str:
    return f"web-{key.lower()}"


def slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return words[:SLUG_LIMIT].rstrip("-") or "incident"


class WebChat:
    """The Chat port for the browser: rooms are lists of rendered messages."""

    def __init__(self, runbook: Runbook) -> None:
        self.runbook = runbook
        self.rooms: dict[str, WebRoom] = {LOBBY: WebRoom(LOBBY, LOBBY)}
        # Message ids outlive the process in the store; a fresh prefix per start keeps an
        # old id from ever naming a new message.
        self._prefix = secrets.token_hex(3)
        self._count = 0
        self.version = 0  # bumps on every post or update; the page's live updates follow it
        self._changed: asyncio.Event | None = None

    def _touch(self) -> None:
        self.version += 1
        self.wake_waiters()

    def wake_waiters(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None

    async def wait_change(self, since: int, timeout_s: float) -> int:
        """The version once it differs from `since`, or as it is after `timeout_s`."""
        if self.version == since:
            self._changed = self._changed or asyncio.Event()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), timeout_s)
        return self.version

    async def open_room(self, incident: Incident) -> Room:
        found = self.rooms.get(room_id(incident.key))
        if found is None:
            found = WebRoom(room_id(incident.key), self._room_name(incident), incident.key)
            self.rooms[found.id] = found
        return Room("web", found.id, found.name, f"/?room={found.id}")

    async def post(self, room: Room, notice: Notice) -> str:
        message = WebMessage(self._next_id(), notice, *self._render(notice))
        self._room(room, notice).messages.append(message)
        self._touch()
        return message.id

    async def update(self, room: Room, message_id: str, notice: Notice) -> None:
        messages = self._room(room, notice).messages
        for message in messages:
            if message.id == message_id:
                message.notice, message.view = notice, self._render(notice)[0]
                message.updates += 1
                self._touch()
                return
        # Posted before a restart: the memory is gone, so show it again.
        messages.append(WebMessage(message_id, notice, *self._render(notice)))
        self._touch()

    async def archive_room(self, room: Room) -> None:
        """Archived rooms stay readable; the room list marks them."""
        found = self.rooms.get(room.id)
        if found is None:  # opened before a restart: remember it, archived
            found = self.rooms[room.id] = WebRoom(room.id, room.name or room.id)
        if not found.archived:
            found.archived = True
            self._touch()

    def archived(self) -> set[str]:
        """The ids of the rooms archived, for the room list."""
        return {r.id for r in self.rooms.values() if r.archived}

    def reply(
        self,
        room: str,
        answer: View,
        at: datetime,
        links: tuple[tuple[str, str], ...] = (),
        by: str = "",
        about: str = "",
    ) -> WebMessage:
        """A command (`by` who typed it) or the bot's answer (`about` an incident, whose key
        its buttons carry), shown in the room it was typed in."""
        message = WebMessage(self._next_id(), None, answer, at, links=links, by=by, about=about)
        self.rooms.get(room, self.rooms[LOBBY]).messages.append(message)
        self._touch()
        return message

    def _next_id(self) -> str:
        self._count += 1
        return f"{self._prefix}-{self._count}"

    def _render(self, notice: Notice) -> tuple[View, datetime]:
        last = notice.incident.last
        at = notice.now or (last.at if last else datetime.now(UTC))
        return view(notice, self.runbook, at), at

    def _room(self, room: Room, notice: Notice) -> WebRoom:
        if room.id not in self.rooms:  # a room opened before a restart
            key = "" if notice.alert else notice.incident.key  # the triage room has none
            self.rooms[room.id] = WebRoom(room.id, room.name or room.id, key)
        return self.rooms[room.id]

    def _room_name(self, incident: Incident) -> str:
        when = incident.declared_at or incident.aware_at
        day = when.astimezone(self.runbook.firm.timezone).strftime("%Y%m%d") if when else "new"
        base = f"{self.runbook.rooms.slack_prefix}-{day}-{slug(incident.title)}"
        taken = {r.name for r in self.rooms.values()}
        numbered = (f"{base}-{i}" for i in itertools.count(2))
        return next(n for n in itertools.chain([base], numbered) if n not in taken)


@dataclass(frozen=True)
class Next:
    """Where the person goes after a command: a room, perhaps with a form open or a note."""

    room: str
    form: str = ""
    title: str = ""
    info: str = ""


WEB = Platform("web", "Outside an incident room, put its key first: status AI-2026-0001.")
RUNBOOK = View("The one-page runbook", ("Who decides, the clocks, each kill switch.",))


class Asking:
    """The person speaking in a web room, as the core's table asks after them."""

    platform = WEB

    def __init__(self, deps: Deps, chat: WebChat, room: str, actor: Actor) -> None:
        self.deps, self.chat, self.room, self.who = deps, chat, room, actor

    async def actor(self) -> Actor:
        return self.who

    async def room_key(self) -> str:
        found = self.chat.rooms.get(self.room)
        key = found.key if found else ""
        return key or await self.deps.store.find_by_room("web", self.room) or ""


class Commands:
    """`/ai-incident …` typed into a web room, answered by the core's command table; in an
    incident's room its key is implied. The page opens the forms and shows the answers."""

    def __init__(self, deps: Deps, chat: WebChat) -> None:
        self.deps, self.chat = deps, chat

    async def run(self, said: str, room: str, actor: Actor) -> Next:
        said = said.strip()
        if said:
            self.chat.reply(room, View(actor.name, (said,)), self.deps.clock.now(), by=actor.name)
        command = parse(said.removeprefix(SLASH).strip())
        answer = await answer_command(self.deps, command, Asking(self.deps, self.chat, room, actor))
        return self._next(room, answer)

    def _next(self, room: str, answer: Answer) -> Next:
        match answer:
            case Refusal(message=message):
                raise Refused(message)  # shown at the top of the room
            case OpenDeclare(title=title):
                return Next(room, form="declare", title=title)
            case OpenClose(incident=incident):
                return Next(room_id(incident.key), form="close")
            case Show(changed=True, key=key, in_room=in_room, view=view):
                # The room shows the change itself; what it does not show is said in words.
                return Next(room_id(key), info="" if in_room else view.title)
            case Show(paper="runbook"):
                return self._reply(room, RUNBOOK, ("Open the runbook", "/runbook"))
            case Show(view=view, key=key):
                return self._reply(room, view, about=key)
        raise AssertionError(f"an answer no edge knows: {answer!r}")

    def _reply(self, room: str, answer: View, *links: tuple[str, str], about: str = "") -> Next:
        self.chat.reply(room, answer, self.deps.clock.now(), links, about=about)
        return Next(room)
