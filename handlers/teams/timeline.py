"""📌 in Teams: the message action "Add to incident timeline" (the app's message extension
command on a message, teams/manifest.json) puts something said in an incident's thread onto
its timeline with its author, original time, text and files, as the 📌 does in Slack.

Teams sends two invokes, each answered with what the dialog then shows:

    composeExtension/fetchTask     the dialog: what would be recorded, and an Add button (or,
                                   outside an incident's room, a message saying so); for a
                                   message on the timeline already, a button to take it
                                   off, which is recorded beside it and deletes nothing
    composeExtension/submitAction  Add pressed: kept in the inbox, then recorded through the
                                   core (bot.pins by service.pin: who may, refusals on the
                                   record); answered with the outcome when it comes within
                                   ANSWER_WITHIN_S, else "being added" (a late refusal is
                                   then said in the thread)

    timeline = TimelineAction(edge)
    body = await timeline.dialog(turn)          # {"task": {"type": "continue", …}}
    body = await timeline.answer(turn, start)   # start keeps the invoke and starts its work
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from microsoft_agents.activity import Attachment
from microsoft_agents.activity.teams import (
    MessagingExtensionActionResponse,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleResponseBase,
    TaskModuleTaskInfo,
)

from bot import service
from bot.decisions import Refused
from bot.durations import local_time
from bot.permissions import allowed, permit
from bot.pins import Said, is_pinned, pinned
from bot.timeline import Actor
from bot.views import View
from handlers.database import TRY_AGAIN, database_away
from handlers.downloads import NotFetched
from handlers.teams.activity import FETCH_TASK, Malformed, Turn
from handlers.teams.cards import Mentions, attachment, block, card
from handlers.teams.chat import PLATFORM
from handlers.teams.edge import Edge
from handlers.teams.files import fetch
from handlers.teams.message import Attached, Message, read_message
from handlers.work import Work

log = logging.getLogger(__name__)
COMMAND = "addToTimeline"  # the command's id in teams/manifest.json
ADD, TAKE_OFF = "add", "take_off"  # what the dialog's button submits, as {"timeline": …}
ANSWER_WITHIN_S = 4.0  # Teams shows an error when a message action's answer takes longer
SHOWN = 600  # characters of the message the dialog shows
NOT_A_ROOM = (
    "This conversation is not an incident's room: only a message in an incident's thread "
    "(or its channel) goes onto a timeline. Nothing was added."
)
NOT_A_PERSON = (
    "Only something a person said goes onto the timeline; the bot's own messages are on it."
)
BEING_ADDED = "Adding it to {key}'s timeline; if it cannot be, the thread says why."
BEING_TAKEN_OFF = "Taking it off {key}'s timeline; if it cannot be, the thread says why."
TAKEN_OFF = "Taken off {key}'s timeline; the record keeps that it was added, and taken off."

Start = Callable[[], Awaitable["asyncio.Task[None] | None"]]


def said_back(text: str) -> dict[str, Any]:
    """The dialog shows `text`, and closes when it is read."""
    task = TaskModuleMessageResponse(type="message", value=text)
    return _response(task.model_dump(by_alias=True, exclude_none=True, mode="json"))


def _response(task: dict[str, Any]) -> dict[str, Any]:
    answer = MessagingExtensionActionResponse(task=TaskModuleResponseBase.model_validate(task))
    return answer.model_dump(by_alias=True, exclude_none=True, mode="json")


def check(turn: Turn) -> None:
    """Malformed for a message action no command of this app sends (answered 400)."""
    if turn.value.get("commandId") != COMMAND:
        raise Malformed("No command of this app is called that.")
    if turn.name != FETCH_TASK and _choice(turn) not in (ADD, TAKE_OFF):
        raise Malformed("No dialog of this app submits that.")
    read_message(turn.value)


def _choice(turn: Turn) -> str:
    data = turn.value.get("data")
    return str(data.get("timeline")) if isinstance(data, dict) else ""


class TimelineAction:
    def __init__(self, edge: Edge, within_s: float = ANSWER_WITHIN_S) -> None:
        self.edge, self.within_s = edge, within_s

    async def dialog(self, turn: Turn) -> dict[str, Any]:
        """What would be recorded, to confirm; or why nothing can be (changing nothing)."""
        try:
            key, message = await self._where(turn)
            incident = await self.edge.deps.store.load(key)
            if incident is None:
                raise Refused(NOT_A_ROOM)
            on_it = not pinned(incident, self._preview(message))  # refused once it is closed
        except Refused as refusal:
            return said_back(refusal.message)
        return self._confirm(key, incident.title, message, TAKE_OFF if on_it else ADD)

    async def answer(self, turn: Turn, start: Start) -> dict[str, Any]:
        """Add (or Take off) pressed: kept and worked; the outcome if it comes in time."""
        try:
            key, message = await self._where(turn)
            task = await start()  # None: Teams sent this invoke again, kept the first time
            if task is not None:
                refused = await self._work().refusal(task, self.within_s)
                if refused is not None:
                    raise refused
                if not task.done():
                    self._work().start(self._late(turn, task))
                    pending = BEING_ADDED if _choice(turn) == ADD else BEING_TAKEN_OFF
                    return said_back(pending.format(key=key))
            return await self._outcome(turn, key, message)
        except Refused as refusal:
            return said_back(refusal.message)

    async def record(self, turn: Turn) -> None:
        """The work of a kept Add (or Take off): Refused for what may not be recorded."""
        key, message = await self._where(turn)
        deps = self.edge.deps
        actor = await self.edge.actor(turn)
        if _choice(turn) == TAKE_OFF:  # recorded beside the pin, never a deletion
            await service.unpin(deps, key, actor, PLATFORM, message.id)
            return
        user = {"id": message.author_id, "aadObjectId": message.author_id}
        author = await self.edge.chat.people.actor(
            user | {"name": message.author_name}, self.edge.where(turn)
        )
        incident = await deps.store.load(key)
        may = incident is not None and allowed(deps.runbook, incident, actor, "change")
        files = tuple([await self._noted(f) for f in message.files]) if may else ()
        said = Said(PLATFORM, message.id, author, message.at, message.text, files)
        await service.pin(deps, key, actor, said)  # an outsider's attempt is recorded, refused

    async def _where(self, turn: Turn) -> tuple[str, Message]:
        key = await self.edge.room_of(turn)
        if not key:
            raise Refused(NOT_A_ROOM)
        message = read_message(turn.value)
        if not message.by_person:
            raise Refused(NOT_A_PERSON)
        return key, message

    async def _outcome(self, turn: Turn, key: str, message: Message) -> dict[str, Any]:
        """As the record stands: done; else refused again (a repeated refused press), or
        still being done."""
        deps, adding = self.edge.deps, _choice(turn) == ADD
        incident = await deps.store.load(key)
        on_it = incident is not None and is_pinned(incident, PLATFORM, message.id)
        if on_it and adding:
            when = local_time(message.at, deps.runbook.firm.timezone)
            name = message.author_name or "Someone"
            return said_back(f"Added to {key}'s timeline: {name}, {when}.")
        if incident is not None and not on_it and not adding:
            return said_back(TAKEN_OFF.format(key=key))
        if incident is not None:
            actor = await self.edge.actor(turn)
            permit(deps.runbook, incident, actor, "change", f"change {incident.key}")
            pinned(incident, self._preview(message))  # refused once the incident is closed
        return said_back((BEING_ADDED if adding else BEING_TAKEN_OFF).format(key=key))

    @staticmethod
    def _preview(message: Message) -> Said:
        author = Actor("teams:" + message.author_id, message.author_name)
        return Said(PLATFORM, message.id, author, message.at, message.text)

    async def _noted(self, attached: Attached) -> str:
        """A file as the timeline notes it: hashed where Teams gives its bytes, else a link."""
        if attached.download is None:
            return f"{attached.name} ({attached.url})"
        try:
            content = await fetch(attached.download, self.edge.files)
        except NotFetched as error:
            return f"{attached.name} (not fetched: {error})"
        return f"{attached.name} (sha256 {hashlib.sha256(content).hexdigest()})"

    async def _late(self, turn: Turn, task: asyncio.Task[None]) -> None:
        """After "being added": a refusal that came too late for the dialog, in the thread."""
        await asyncio.wait({task})
        error = None if task.cancelled() else task.exception()
        if isinstance(error, Refused):
            await self.edge.tell(turn, View(error.message))

    def _work(self) -> Work:
        if self.edge.kept is None:
            raise RuntimeError("a message action is kept in the inbox; this edge has none")
        return self.edge.kept.work

    def _confirm(self, key: str, title: str, message: Message, choice: str) -> dict[str, Any]:
        when = local_time(message.at, self.edge.deps.runbook.firm.timezone)
        shown = confirm_card(key, title, message, when, choice)
        info = TaskModuleTaskInfo(
            title="Add to incident timeline", card=Attachment.model_validate(attachment(shown))
        )
        task = TaskModuleContinueResponse(type="continue", value=info)
        return _response(task.model_dump(by_alias=True, exclude_none=True, mode="json"))


def confirm_card(key: str, title: str, message: Message, when: str, choice: str) -> dict[str, Any]:
    """The dialog: the message as it would be recorded, and the one button that does it."""
    text = message.text if len(message.text) <= SHOWN else message.text[:SHOWN] + "…"
    heading = f"Add to {key}'s timeline?" if choice == ADD else f"On {key}'s timeline already"
    body = [
        block(heading, weight="Bolder", size="Medium"),
        block(f"{key}: {title}", isSubtle=True, spacing="None"),
        block(f"**{message.author_name or 'Someone'}**, {when}"),
        block(text or "(no text)"),
    ]
    if message.files:
        body.append(block("Files: " + ", ".join(f.name for f in message.files)))
    if choice == TAKE_OFF:
        body.append(block("Taking it off is recorded beside it: nothing is deleted."))
    label = "Add to the timeline" if choice == ADD else "Take it off the timeline"
    button = {"type": "Action.Submit", "title": label, "data": {"timeline": choice}}
    return card(body, Mentions()) | {"actions": [button]}


async def safely(answering: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    """The database away while answering: the dialog says to try again."""
    try:
        return await answering
    except Exception as error:
        if not database_away(error):
            raise
        log.warning("the database is away: %s", error)
        return said_back(TRY_AGAIN)
