"""What every Slack listener shares: the core's deps, the chat, the work after the ack, and
the two ways of answering one person (a message only they see, or a modal).

    edge = Edge(deps, chat, Kept(SqlInbox(engine), Work(), deps.clock))
    await edge.tell("C0123", "U0SAM", View("There is no incident AI-2026-0099."))
    edge.answering(request)     # the same, for work that answers a kept request
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.decisions import Refused
from bot.requests import Request
from bot.service import Deps
from bot.timeline import Actor
from bot.views import View
from handlers.kept import Kept
from handlers.slack.blocks import Message, Style, TooLong, mentioned, render, view_texts
from handlers.slack.chat import SlackChat
from handlers.slack.web_api import retry_after
from handlers.work import Work

log = logging.getLogger(__name__)


# What is left of a trigger's 3 seconds when its request reaches the bot, and how much
# of it a retried views.open leaves for the call itself.
TRIGGER_S = 2.5
MARGIN_S = 0.1


@dataclass
class Edge:
    deps: Deps
    chat: SlackChat
    kept: Kept  # requests that change something, kept before their ack (and its Work)

    @property
    def work(self) -> Work:
        return self.kept.work

    def answering(self, request: Request | None) -> Edge:
        """This edge for work that answers `request`: its deps carry it to the core."""
        return self if request is None else replace(self, deps=self.deps.answering(request))

    async def actor(self, user_id: str, said_name: str = "") -> Actor:
        return await self.chat.people.actor(user_id, said_name)

    async def key(self, given: str, channel: str) -> str:
        """The incident a command is about: its key as given, else the channel's."""
        key = given or await self.deps.store.find_by_room("slack", channel) or ""
        if not key:
            raise Refused(
                "Outside an incident channel, put the incident's key first: status AI-2026-0001."
            )
        return key.upper()

    async def _messages(self, answer: View, key: str) -> list[Message]:
        users = await self.chat.people.slack_ids(mentioned(view_texts(answer)))
        try:
            return render(answer, Style(self.deps.runbook, users), key)
        except TooLong as error:
            said = View(f"That answer is over Slack's limits: {error}")
            return render(said, Style(self.deps.runbook))

    async def tell(self, channel: str, user: str, answer: View, key: str = "") -> None:
        """A message only `user` sees, in `channel`; in a direct message if Slack won't.
        `key` is the incident the answer's buttons act on."""
        for part in await self._messages(answer, key):
            await self._tell(channel, user, part)

    async def _tell(self, channel: str, user: str, part: Message) -> None:
        client, blocks = self.chat.client, part.blocks
        try:
            await client.chat_postEphemeral(
                channel=channel, user=user, text=part.text, blocks=blocks
            )
        except SlackApiError:  # not in that channel, or the bot is not: say it directly
            try:
                await client.chat_postMessage(channel=user, text=part.text, blocks=blocks)
            except SlackApiError as error:
                log.warning("could not answer %s: %s", user, error.response.get("error"))

    async def open_modal(self, trigger_id: str, modal: dict[str, Any]) -> bool:
        """Open a modal on the click or command that carried `trigger_id` (valid 3 seconds);
        a 429 is tried again while the trigger is still alive."""
        pacer = self.chat.pacer
        started = pacer.clock()
        while True:
            try:
                await self.chat.client.views_open(trigger_id=trigger_id, view=modal)
                return True
            except SlackApiError as error:
                wait, left = retry_after(error), TRIGGER_S - (pacer.clock() - started)
                if wait is None or left < 2 * MARGIN_S:  # no time left to try again
                    log.warning("could not open a modal: %s", error.response.get("error"))
                    return False
            await pacer.sleep(min(wait, left - MARGIN_S))
