"""📌 in Slack: a message pinned in an incident's channel, or given the pushpin reaction,
goes onto the timeline with its author, original time and text; unpinning is recorded;
the export's timeline shows the pin; the bot's own messages and other reactions are not."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.papers.export import export_json
from tests.e2e.slack_rig import ALEX, KEY, SAM, Rig, declared, rig, slack

__all__ = ["rig", "slack"]  # fixtures


def pin_added(channel: str, ts: str, text: str) -> dict[str, Any]:
    message = {"type": "message", "user": ALEX, "text": text, "ts": ts}
    item = {"type": "message", "channel": channel, "message": message, "created": 1774540000}
    return {
        "type": "pin_added",
        "user": SAM,
        "channel_id": channel,
        "item": item,
        "event_ts": "1774540000.000200",
    }


def reaction(kind: str, channel: str, ts: str, name: str = "pushpin") -> dict[str, Any]:
    item = {"type": "message", "channel": channel, "ts": ts}
    return {
        "type": kind,
        "user": SAM,
        "reaction": name,
        "item": item,
        "item_user": ALEX,
        "event_ts": f"1774540001.{len(kind):06d}",
    }


async def test_a_pinned_message_is_on_the_exported_timeline_with_its_author_and_time(
    rig: Rig,
) -> None:
    room = await declared(rig)
    ts = rig.slack.add_message(room, "Vendor confirmed the cache bug", user=ALEX)
    assert (
        await rig.ws.event(pin_added(room, ts, "Vendor confirmed the cache bug"), "Ev1")
    ).status == 200
    assert (
        await rig.ws.event(pin_added(room, ts, "Vendor confirmed the cache bug"), "Ev1", retry=1)
    ).status == 200
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    exported = export_json(incident, [], rig.deps.runbook, rig.deps.clock.now())
    (pin,) = [e for e in exported["timeline"] if e["type"] == "pinned"]
    assert pin["data"]["author"] == "Alex Morgan" and pin["actor"]["name"] == "Sam Okafor"
    assert pin["data"]["said_at"] == datetime.fromtimestamp(float(ts), UTC).isoformat()
    assert pin["data"]["text"] == "Vendor confirmed the cache bug"


async def test_the_pushpin_reaction_pins_and_taking_it_off_is_recorded(rig: Rig) -> None:
    room = await declared(rig)
    ts = rig.slack.add_message(room, "Client called at 10:05", user=ALEX)
    await rig.ws.event(reaction("reaction_added", room, ts, "eyes"), "Ev2")
    await rig.ws.event(reaction("reaction_added", room, ts), "Ev3")
    await rig.ws.event(reaction("reaction_removed", room, ts), "Ev4")
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    marks = [(e.type, e.data.get("text")) for e in incident.events if "pinned" in e.type]
    assert marks == [("pinned", "Client called at 10:05"), ("unpinned", None)]


async def test_the_bots_own_card_pinned_is_not_put_on_the_timeline_again(rig: Rig) -> None:
    room = await declared(rig)
    card = rig.slack.channels[room].pins[0]
    await rig.ws.event(reaction("reaction_added", room, card), "Ev5")
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and not [e for e in incident.events if e.type == "pinned"]
