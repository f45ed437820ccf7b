"""📌 in Slack: a message pinned in an incident's channel (`pin_added`) or given the
pushpin reaction (`reaction_added`) goes onto the incident's timeline with its author,
original time, text and files; `pin_removed` / `reaction_removed` record the unpinning.

    pin = read_pin(event)                 # None: not a pin of a message (another reaction)
    await PinEvents(edge).record(pin)     # after the ack, kept like every change
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot import service
from bot.pins import Said
from handlers.slack.edge import Edge

PUSHPIN = "pushpin"
EVENTS = ("pin_added", "pin_removed", "reaction_added", "reaction_removed")
ADDED = ("pin_added", "reaction_added")


@dataclass(frozen=True)
class Pin:
    added: bool
    channel: str
    ts: str  # the pinned message's
    user: str  # who pinned it
    at: str  # the event's own ts: pinning again after an unpin is a new request


def read_pin(event: Mapping[str, Any]) -> Pin | None:
    kind = str(event.get("type", ""))
    if kind.startswith("reaction_") and event.get("reaction") != PUSHPIN:
        return None
    item = event.get("item")
    if not isinstance(item, Mapping) or item.get("type") != "message":
        return None
    inner = item.get("message")
    message: Mapping[str, Any] = inner if isinstance(inner, Mapping) else {}
    channel = str(item.get("channel") or event.get("channel_id") or "")
    ts = str(item.get("ts") or message.get("ts") or "")
    user = str(event.get("user") or "")
    if not (channel and ts and user):
        return None
    return Pin(kind in ADDED, channel, ts, user, str(event.get("event_ts", "")))


class PinEvents:
    def __init__(self, edge: Edge) -> None:
        self.edge = edge

    async def record(self, pin: Pin) -> None:
        deps = self.edge.deps
        key = await deps.store.find_by_room("slack", pin.channel)
        if key is None:  # not an incident's channel
            return
        actor = await self.edge.actor(pin.user)
        if not pin.added:
            await service.unpin(deps, key, actor, "slack", pin.ts)
            return
        message = await self._message(pin.channel, pin.ts)
        if message is None or message.get("bot_id"):  # the bot's own words are on record
            return
        files = tuple(str(f.get("name", "")) for f in message.get("files") or [])
        author = await self.edge.actor(str(message.get("user", "")))
        at = datetime.fromtimestamp(float(pin.ts), UTC)
        said = Said("slack", pin.ts, author, at, str(message.get("text", "")), files)
        await service.pin(deps, key, actor, said)

    async def _message(self, channel: str, ts: str) -> Mapping[str, Any] | None:
        """The message as the channel keeps it (an event carries no text for a reaction)."""
        client = self.edge.chat.client
        answer = await self.edge.chat.call(
            "conversations.history",
            lambda: client.conversations_history(
                channel=channel, latest=ts, oldest=ts, inclusive=True, limit=1
            ),
        )
        found = [m for m in answer.get("messages") or [] if m.get("ts") == ts]
        return found[0] if found else None
