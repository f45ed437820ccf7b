"""Card submissions (Action.Execute, or Action.Submit on older cards), each routed into
the one core call it stands for.

    await Submits(edge).run(turn)   # turn.value: {"action": "classify:Q3:unsure", "key": …}
                                    #          or {"form": "declare", "title": …, …}

A button goes through bot.actions.press, exactly as in Slack; the core then updates the
card it belongs to in place. A form (declare, close) is updated in place by this edge: to
what happened, or back to the form with the refusal on top and the values kept.
"""

from __future__ import annotations

import logging

from bot import service, triage
from bot.actions import ACTION_KINDS, ASKS_FOR_TEXT, DECLARE_ALERT, Reply, UnknownAction, press
from bot.decisions import Refused
from bot.incident import Room
from bot.permissions import readable
from bot.ports import ChatError
from bot.tokens import strong
from bot.views import Button, View
from handlers.kept import key_of
from handlers.teams.activity import Malformed, Turn
from handlers.teams.cards import Mentions, block, card
from handlers.teams.chat import PLATFORM, root_of
from handlers.teams.edge import Edge
from handlers.teams.forms import CLOSE, DECLARE, close_card, declare_card, read_close, read_declare

log = logging.getLogger(__name__)
KNOWN = ACTION_KINDS


def _where(room: Room | None) -> str:
    if room is None:
        return "no room yet"
    if root_of(room.id):
        return "a new thread in the incidents channel"
    return f"its own channel, {room.name}"


def _said(lines: list[str]) -> dict[str, object]:
    return card([block(lines[0], weight="Bolder"), *(block(x) for x in lines[1:])], Mentions())


def _private(reply: Reply, name: str) -> View:
    """A reply for the presser alone. Headings in bold; a TextBlock has no empty lines."""
    lines = (strong(x[3:]) if x.startswith("## ") else x for x in reply.lines)
    return View(f"For {name}: {reply.title}", tuple(x for x in lines if x))


class Submits:
    def __init__(self, edge: Edge) -> None:
        self.edge = edge

    @staticmethod
    def check(turn: Turn) -> None:
        """Malformed for a submission no card of this bot makes (answered 400 at once)."""
        form, action = turn.value.get("form"), turn.value.get("action")
        if form == CLOSE and not isinstance(turn.value.get("key"), str):
            raise Malformed("The close form does not say which incident.")
        known = isinstance(action, str) and action.split(":")[0] in KNOWN
        if form not in (DECLARE, CLOSE) and not known:
            raise Malformed("No card of this bot submits that.")

    async def run(self, turn: Turn) -> None:
        self.check(turn)
        form, action = turn.value.get("form"), turn.value.get("action")
        if form == DECLARE:
            await self._declare(turn)
        elif form == CLOSE:
            await self._close(turn)
        elif isinstance(action, str):
            await self._press(turn, action)

    async def _declare_alert(self, turn: Turn, alert_id: str) -> None:
        """The declare form, filled in from the alert; T0 stays the person's (default now)."""
        deps = self.edge.deps
        known = deps.alerts is not None and alert_id.isdigit()
        record = await deps.alerts.get(int(alert_id)) if known and deps.alerts else None
        if record is None:
            await self.edge.tell(turn, View(f"There is no alert '{alert_id[:20]}'."))
            return
        filled = triage.prefill(record, deps.runbook)
        typed = {"title": filled.title, "system": filled.system, "noticed": filled.noticed}
        card = declare_card(deps.runbook, deps.clock.now(), "", typed, alert=alert_id)
        await self.edge.send(turn, card)

    async def _press(self, turn: Turn, action: str) -> None:
        if action.startswith(DECLARE_ALERT):
            await self._declare_alert(turn, action.removeprefix(DECLARE_ALERT))
            return
        text = turn.value.get("text")
        given = turn.value.get("key")
        try:
            key = await self.edge.key(given if isinstance(given, str) else "", turn)
            actor = await self.edge.actor(turn)
            said = text if isinstance(text, str) else ""
            reply = await press(self.edge.deps, key, actor, action, said)
        except Refused as error:
            await self.edge.tell(turn, self._refusal(error, action), self._key(turn))
        except UnknownAction as error:
            await self.edge.tell(turn, View(str(error)))
        else:
            if reply is not None:
                await self._reply(turn, _private(reply, actor.name), actor.name)

    async def _reply(self, turn: Turn, said: View, name: str) -> None:
        """In the presser's 1:1 chat with the bot (a channel has no message one person
        sees); where Teams will not open one, in the thread, addressed to them."""
        if await self.edge.privately(turn, said):
            await self.edge.tell(turn, View(f"Sent to {name} in a personal chat with the bot."))
        else:
            await self.edge.tell(turn, said)

    def _key(self, turn: Turn) -> str:
        key = turn.value.get("key")
        return key if isinstance(key, str) else ""

    def _refusal(self, error: Refused, action: str) -> View:
        """A refusal; when the core wants words first, with a form to give them."""
        if not error.message.startswith(ASKS_FOR_TEXT):
            return View(error.message)
        return View(error.message, buttons=(Button("Give the reason", action, "", "reason"),))

    async def _declare(self, turn: Turn) -> None:
        runbook = self.edge.deps.runbook
        form_key = key_of(PLATFORM, "declare-form", turn.conversation_id, turn.reply_to)
        if not await self.edge.once(form_key):  # a double click: the first one declares
            log.info("a declare form in %s was submitted again; ignored", turn.conversation_id)
            return
        try:
            form = read_declare(turn.value, runbook)
            actor = await self.edge.actor(turn)
            incident = await service.declare(self.edge.deps, actor, form)
        except Refused as error:
            await self.edge.forget(form_key)  # corrected, the form may be sent again
            now = self.edge.deps.clock.now()
            await self.edge.replace(turn, declare_card(runbook, now, "", turn.value, error.message))
            return
        except ChatError as error:
            said = [
                "The incident is recorded, but Teams failed to open its room.",
                f"{error}. The bot tries again every few minutes to open it and page the "
                "lead; `list` shows its key.",
            ]
            await self.edge.replace(turn, _said(said))
            return
        alert = turn.value.get("alert")
        if isinstance(alert, str) and alert.isdigit() and self.edge.deps.alerts is not None:
            alerts = self.edge.deps.alerts
            await triage.declared(self.edge.deps, alerts, int(alert), actor, incident.key)
        where = _where(incident.room)
        lines = [f"Declared {incident.key}: {incident.title}", f"By {actor.name}; see {where}."]
        await self.edge.replace(turn, _said(lines))

    async def _close(self, turn: Turn) -> None:
        runbook, key = self.edge.deps.runbook, self._key(turn)
        try:
            incident = await service.load(self.edge.deps, key)
            actor = await self.edge.actor(turn)
            form = read_close(turn.value, runbook)
            await service.close(self.edge.deps, key, actor, form)
        except Refused as error:
            loaded = await self.edge.deps.store.load(key.upper())
            asker = await self.edge.actor(turn)  # the form again only for who may see it
            if loaded is None or not readable(runbook, loaded, asker, in_room=False):
                await self.edge.tell(turn, View(error.message))
                return
            await self.edge.replace(turn, close_card(runbook, loaded, turn.value, error.message))
            return
        await self.edge.replace(turn, _said([f"Closed {incident.key} by {actor.name}."]))
