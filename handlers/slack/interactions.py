"""Button clicks and modal submissions, each routed into the one core call it stands for.

    click = read_click(body)                   # Malformed for a foreign action id → 400
    await Interactions(edge).click(click)      # after the ack: press, or ask first

A button whose View.Button.needs is set opens a small modal; its submission presses the
button with the text. A submission waits for the core up to ANSWER_WITHIN_S, so a refusal
shows on the form's field (response_action "errors"); after that the form closes and a
late refusal is told in chat instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.ack.async_ack import AsyncAck

from bot import service
from bot.actions import UnknownAction, press
from bot.decisions import Refused
from bot.ports import ChatError
from bot.views import View
from handlers.slack import forms, modals
from handlers.slack.edge import Edge
from handlers.slack.payload import Malformed, first, optional_text, text_at

KNOWN = ("ack", "contain", "classify", "obligation", "delay", "evidence")
ANSWER_WITHIN_S = 2.0  # Slack waits 3 s for a submission's answer
ASKS_FOR_TEXT = "Please give"  # how the core's refusals for missing words begin


@dataclass(frozen=True)
class Click:
    user: str
    name: str
    channel: str
    action: str
    label: str
    key: str
    needs: str
    trigger: str


def read_click(body: Mapping[str, Any]) -> Click:
    action = first(body, "actions")
    action_id = text_at(action, "action_id")
    if action_id.split(":")[0] not in KNOWN:
        raise Malformed(f"No button of this bot has the action id '{action_id[:40]}'.")
    key, _, needs = optional_text(action, "value").partition("|")
    channel = optional_text(body, "channel", "id") or optional_text(body, "container", "channel_id")
    return Click(
        user=text_at(body, "user", "id"),
        name=optional_text(body, "user", "name"),
        channel=channel,
        action=action_id,
        label=optional_text(action, "text", "text"),
        key=key,
        needs=needs,
        trigger=optional_text(body, "trigger_id"),
    )


@dataclass(frozen=True)
class Submitted:
    """A modal's submission as the job behind it needs it."""

    user: str
    name: str
    meta: dict[str, str]
    closed: asyncio.Event  # set once the modal has closed: a refusal then goes to chat

    @property
    def channel(self) -> str:
        return self.meta.get("channel", "")


def submitted(body: Mapping[str, Any], view: Mapping[str, Any]) -> Submitted:
    user = text_at(body, "user", "id")
    return Submitted(user, optional_text(body, "user", "name"), forms.meta(view), asyncio.Event())


class Interactions:
    def __init__(self, edge: Edge, within_s: float = ANSWER_WITHIN_S) -> None:
        self.edge, self.within_s = edge, within_s

    async def click(self, c: Click) -> None:
        try:
            key = c.key or await self.edge.key("", c.channel)
            if c.needs:
                optional = c.action.startswith("classify:")  # a reason only stops a clock
                await self._ask(c, key, f"{key} — {c.label}", c.needs, optional=optional)
                return
            await self._press(c, key)
        except (Refused, UnknownAction) as error:
            await self.edge.tell(c.channel, c.user, View(str(error)))

    async def _press(self, c: Click, key: str) -> None:
        """Press; when the core wants words first (an answer that stops a clock needs a
        reason), ask for them on the same click."""
        actor = await self.edge.actor(c.user, c.name)
        try:
            await press(self.edge.deps, key, actor, c.action, "")
        except Refused as error:
            if not error.message.startswith(ASKS_FOR_TEXT):
                raise
            await self._ask(c, key, f"{key} — {c.label}: {error.message}", "reason")

    async def _ask(
        self, c: Click, key: str, label: str, needs: str, optional: bool = False
    ) -> None:
        meta = {"key": key, "action": c.action, "channel": c.channel}
        modal = modals.ask_modal(needs, label, meta, optional=optional)
        if not await self.edge.open_modal(c.trigger, modal):
            await self.edge.tell(c.channel, c.user, View("The form could not open; click again."))

    # --- submissions ------------------------------------------------------------------

    async def answer(
        self,
        ack: AsyncAck,
        view: Mapping[str, Any],
        job: Callable[[], Awaitable[None]],
        s: Submitted,
        words: Mapping[str, tuple[str, ...]],
    ) -> None:
        """Run the job; a refusal in time goes on the form, after that into chat."""
        view_id = optional_text(view, "id")
        if not self.edge.seen.first_time(view_id):  # a repeated delivery: already under way
            await ack()
            return
        task = self.edge.work.start(self._told(job, s))
        refused = await self.edge.work.refusal(task, self.within_s)
        if refused is not None:
            self.edge.seen.forget(view_id)  # corrected and submitted again, it is new work
            block = forms.error_block(refused.message, words)
            await ack(response_action="errors", errors={block: refused.message})
            return
        s.closed.set()
        await ack()

    async def _told(self, job: Callable[[], Awaitable[None]], s: Submitted) -> None:
        try:
            await job()
        except Refused as error:
            if s.closed.is_set():
                await self.edge.tell(s.channel, s.user, View(error.message))
            raise

    async def declare(
        self, ack: AsyncAck, body: Mapping[str, Any], view: Mapping[str, Any]
    ) -> None:
        form, s = forms.read_declare(view), submitted(body, view)

        async def job() -> None:
            actor = await self.edge.actor(s.user, s.name)
            incident = await service.declare(self.edge.deps, actor, form)
            room = f"{{#{incident.room.id}}}" if incident.room else "(no channel yet)"
            await self.edge.tell(s.channel, s.user, View(f"Declared {incident.key}: {room}"))

        await self.answer(ack, view, self._room_trouble(job, s), s, forms.DECLARE_ERRORS)

    def _room_trouble(
        self, job: Callable[[], Awaitable[None]], s: Submitted
    ) -> Callable[[], Awaitable[None]]:
        async def guarded() -> None:
            try:
                await job()
            except ChatError as error:
                said = (
                    f"The incident is recorded, but Slack failed: {error}. "
                    "`/ai-incident list` shows its key; tell the incident lead."
                )
                await self.edge.tell(s.channel, s.user, View(said))

        return guarded

    async def close(self, ack: AsyncAck, body: Mapping[str, Any], view: Mapping[str, Any]) -> None:
        form, s = forms.read_close(view, self.edge.deps.runbook), submitted(body, view)
        key = s.meta.get("key", "")
        if not key:
            raise Malformed("The close form does not say which incident.")

        async def job() -> None:
            actor = await self.edge.actor(s.user, s.name)
            await service.close(self.edge.deps, key, actor, form)

        await self.answer(ack, view, job, s, forms.CLOSE_ERRORS)

    async def ask(self, ack: AsyncAck, body: Mapping[str, Any], view: Mapping[str, Any]) -> None:
        text, s = forms.typed(view, "text"), submitted(body, view)
        key, action = s.meta.get("key", ""), s.meta.get("action", "")
        if not key or action.split(":")[0] not in KNOWN:
            raise Malformed("The form does not say which button it answers.")

        async def job() -> None:
            actor = await self.edge.actor(s.user, s.name)
            try:
                await press(self.edge.deps, key, actor, action, text)
            except UnknownAction as error:
                raise Refused(str(error)) from None

        await self.answer(ack, view, job, s, {"text": ()})
