"""`/ai-incident …` in Slack: the core's command table (bot.command_answers), run after the ack.

    said = Said(user="U0SAM", name="sam", channel="C0123", text="status", trigger="…")
    await SlashCommands(edge).run(said)   # answers only the person who typed it

In an incident's channel the incident is implied; elsewhere its key comes first. A refusal
(an unknown key, a missing permission) is answered to that person, never as an error. This
edge only turns Slack's mentions into runbook people, opens its modals and renders.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.command_answers import (
    Answer,
    OpenClose,
    OpenDeclare,
    Platform,
    Refusal,
    Show,
    answer_command,
)
from bot.commands import parse
from bot.runbook import Runbook
from bot.timeline import Actor
from bot.views import View
from handlers.database import TRY_AGAIN, database_away
from handlers.slack.blocks import TooLong
from handlers.slack.edge import Edge
from handlers.slack.modals import close_modal, declare_modal

SLACK = Platform(
    "slack",
    "Outside an incident channel, put the incident's key first: status AI-2026-0001.",
    room_links=True,  # list names each incident's channel, as a link
)
MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|([^>]*))?>")
TOO_SLOW = "The form could not open in time; please type the command again."
TOO_LONG = "That form is over Slack's limits: {error}"


@dataclass(frozen=True)
class Said:
    user: str
    name: str
    channel: str
    text: str
    trigger: str


def as_people(text: str, runbook: Runbook) -> str:
    """Slack's `<@U…|name>` mentions of runbook people as `@Full Name`, as the core reads
    them (by the person's Slack id, else the name Slack gave); any other mention stays."""

    def person(found: re.Match[str]) -> str:
        name = (found.group(2) or "").lower()
        people = [p for p in runbook.people if p.slack == found.group(1)] or [
            p for p in runbook.people if name and name in (p.id, p.name.split()[0].lower())
        ]
        return f"@{people[0].name}" if len(people) == 1 else found.group(0)

    return MENTION.sub(person, text)


class Asking:
    """The person who typed a command in a channel, as the core's table asks after them."""

    platform = SLACK

    def __init__(self, edge: Edge, said: Said) -> None:
        self.edge, self.said = edge, said

    async def actor(self) -> Actor:
        return await self.edge.actor(self.said.user, self.said.name)

    async def room_key(self) -> str:
        return await self.edge.deps.store.find_by_room("slack", self.said.channel) or ""


class SlashCommands:
    def __init__(self, edge: Edge) -> None:
        self.edge = edge

    async def run(self, said: Said) -> None:
        command = parse(as_people(said.text, self.edge.deps.runbook))
        try:
            answer = await answer_command(self.edge.deps, command, Asking(self.edge, said))
            await self._show(said, answer)
        except TooLong as error:  # e.g. a runbook name too long for a choice in a form
            await self._tell(said, View(TOO_LONG.format(error=error)))
        except Exception as error:  # worked after the ack: the answer is the only way to say so
            if not database_away(error):
                raise
            await self._tell(said, View(TRY_AGAIN))

    async def _show(self, said: Said, answer: Answer) -> None:
        deps, meta = self.edge.deps, {"channel": said.channel}
        match answer:
            case Show(view=view, key=key):
                await self._tell(said, view, key)
            case Refusal(message=message):
                await self._tell(said, View(message))
            case OpenDeclare(title=title):
                await self._open(said, declare_modal(deps.runbook, deps.clock.now(), title, meta))
            case OpenClose(incident=incident):
                meta |= {"key": incident.key}
                await self._open(said, close_modal(deps.runbook, incident, meta))

    async def _open(self, said: Said, modal: dict[str, Any]) -> None:
        if not await self.edge.open_modal(said.trigger, modal):
            await self._tell(said, View(TOO_SLOW))

    async def _tell(self, said: Said, answer: View, key: str = "") -> None:
        await self.edge.tell(said.channel, said.user, answer, key)
