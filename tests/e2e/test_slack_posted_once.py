"""A room message is posted once even when Slack's answer to the post is lost: the bot
reads the channel back (message metadata carries the message's slot) before sending it
again. Against the fake Slack, whose connection drops after the post took effect."""

from __future__ import annotations

from dataclasses import replace

from bot import service
from bot.notices import text
from handlers.slack.chat import SlackChat
from tests.conftest import person
from tests.e2e.slack_rig import KEY, Rig, declared, rig, slack

__all__ = ["rig", "slack"]  # fixtures


async def test_a_post_whose_answer_was_lost_is_found_in_the_channel_not_sent_twice(
    rig: Rig,
) -> None:
    room = await declared(rig)
    chat, incident = rig.deps.chat, await rig.deps.store.load(KEY)
    assert isinstance(chat, SlackChat) and incident is not None and incident.room is not None
    rig.slack.drop_after("chat.postMessage")
    notice = replace(text(incident, "Vendor call at 3pm"), slot=f"{KEY}/e9.1")
    ts = await chat.post(incident.room, notice)
    posted = [m for m in rig.slack.messages[room] if m.text == "Vendor call at 3pm"]
    assert [m.ts for m in posted] == [ts]
    assert rig.slack.count("conversations.history") == 1


async def test_a_post_that_never_arrived_is_sent_again_after_looking(rig: Rig) -> None:
    room = await declared(rig)
    chat, incident = rig.deps.chat, await rig.deps.store.load(KEY)
    assert isinstance(chat, SlackChat) and incident is not None and incident.room is not None
    rig.slack.drop("chat.postMessage")
    notice = replace(text(incident, "Logs exported"), slot=f"{KEY}/e9.2")
    await chat.post(incident.room, notice)
    assert [m.text for m in rig.slack.messages[room]].count("Logs exported") == 1
    assert rig.slack.count("conversations.history") == 1


async def test_the_room_hears_of_a_handover_once_when_slack_drops_the_answer(
    rig: Rig,
) -> None:
    room = await declared(rig)
    sam = person(rig.deps.runbook, "sam")
    await service.acknowledge(rig.deps, KEY, sam)
    rig.slack.drop_after("chat.postMessage", times=2)
    await service.handover(rig.deps, KEY, sam, "priya", "off shift")
    said = [m.text for m in rig.slack.messages[room]]
    assert len([t for t in said if "now leads" in t]) == 1
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and not [e for e in incident.events if e.type == "undelivered"]
