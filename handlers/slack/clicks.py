"""Button clicks, each routed into the one core call it stands for.

    click = read_click(body)           # Malformed for a foreign action id → 400
    await Clicks(edge).click(click)    # after the ack: press, or ask first

A button whose View.Button.needs is set opens a small modal; its submission
(`handlers.slack.submissions`) presses the button with the text.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot import triage
from bot.actions import ACTION_KINDS, ASKS_FOR_TEXT, DECLARE_ALERT, Reply, UnknownAction, press
from bot.decisions import Refused
from bot.kill_switch_run import CONFIRM, confirmation
from bot.tokens import strong
from bot.views import View
from handlers.slack import modals
from handlers.slack.blocks import TooLong
from handlers.slack.edge import Edge
from handlers.slack.payload import Malformed, first, optional_text, text_at

KNOWN = ACTION_KINDS


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
    at: str  # the action's timestamp: the same in a redelivery, new in a second click


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
        at=optional_text(action, "action_ts"),
    )


def private(reply: Reply) -> View:
    """A reply as a View; its `## heading` lines in bold, as Slack's mrkdwn has no headings."""
    lines = tuple(strong(line[3:]) if line.startswith("## ") else line for line in reply.lines)
    return View(reply.title, lines)


def opens_declare(c: Click) -> bool:
    """Declare on a suspected-incident card: the declare form, filled in from the alert."""
    return c.action.startswith(DECLARE_ALERT)


class Clicks:
    def __init__(self, edge: Edge) -> None:
        self.edge = edge

    async def click(self, c: Click) -> None:
        try:
            if opens_declare(c):
                await self._declare_alert(c)
                return
            key = c.key or await self.edge.key("", c.channel)
            if c.needs:
                optional = c.action.startswith("classify:")  # a reason only stops a clock
                await self._ask(c, key, f"{key} — {c.label}", c.needs, optional=optional)
                return
            await self._press(c, key)
        except (Refused, UnknownAction) as error:
            await self.edge.tell(c.channel, c.user, View(str(error)))
        except TooLong as error:  # a label or key too long for the form that asks for text
            await self.edge.tell(
                c.channel, c.user, View(f"That form is over Slack's limits: {error}")
            )

    async def _declare_alert(self, c: Click) -> None:
        deps, alert_id = self.edge.deps, c.action.removeprefix(DECLARE_ALERT)
        known = deps.alerts is not None and alert_id.isdigit()
        record = await deps.alerts.get(int(alert_id)) if known and deps.alerts else None
        if record is None:
            raise UnknownAction(f"There is no alert '{alert_id[:20]}'.")
        filled = triage.prefill(record, deps.runbook)
        meta = {"channel": c.channel, "alert": alert_id}
        modal = modals.declare_modal(
            deps.runbook, deps.clock.now(), filled.title, meta, filled.system, filled.noticed
        )
        if not await self.edge.open_modal(c.trigger, modal):
            await self.edge.tell(c.channel, c.user, View("The form could not open; click again."))

    async def _press(self, c: Click, key: str) -> None:
        """Press; when the core wants words first (an answer that stops a clock needs a
        reason), ask for them on the same click."""
        actor = await self.edge.actor(c.user, c.name)
        try:
            reply = await press(self.edge.deps, key, actor, c.action, "")
        except Refused as error:
            if not error.message.startswith(ASKS_FOR_TEXT):
                raise
            await self._ask(c, key, f"{key} — {c.label}: {error.message}", "reason")
            return
        if reply is not None:  # for the clicker alone: ephemeral, split to Slack's limits
            await self.edge.tell(c.channel, c.user, private(reply))

    async def _ask(
        self, c: Click, key: str, label: str, needs: str, optional: bool = False
    ) -> None:
        meta = {"key": key, "action": c.action, "channel": c.channel}
        modal = (
            modals.confirm_modal(label, await confirmation(self.edge.deps, key, c.action), meta)
            if needs == CONFIRM
            else modals.ask_modal(needs, label, meta, optional=optional)
        )
        if not await self.edge.open_modal(c.trigger, modal):
            await self.edge.tell(c.channel, c.user, View("The form could not open; click again."))
