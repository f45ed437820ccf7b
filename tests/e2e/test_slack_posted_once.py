"""A room message is posted once even when Slack's answer to the post is lost: the bot
reads the channel back (message metadata carries the message's slot) before sending it
again. Against the fake Slack, whose connection drops after the post took effect."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from bot import service
from bot.kinds import NoticeKind
from bot.notices import Notice, text
from bot.publish import LEASE, RoomPublisher
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


async def test_a_thread_reply_whose_answer_was_lost_is_found_in_its_thread(rig: Rig) -> None:
    room = await declared(rig)
    chat, incident = rig.deps.chat, await rig.deps.store.load(KEY)
    assert isinstance(chat, SlackChat) and incident is not None and incident.room is not None
    card = await rig.deps.store.message_id(KEY, "card")
    assert card
    rig.slack.drop_after("chat.postMessage")
    notice = replace(text(incident, "Vendor call at 3pm"), slot=f"{KEY}/e9.1", thread="card")
    ts = await chat.post(incident.room, notice)
    posted = [m for m in rig.slack.messages[room] if m.text == "Vendor call at 3pm"]
    assert [(m.ts, m.thread_ts) for m in posted] == [(ts, card)]
    assert rig.slack.count("conversations.replies") == 1


async def test_a_long_messages_later_part_whose_answer_was_lost_is_posted_once(
    rig: Rig,
) -> None:
    room = await declared(rig)
    sam = person(rig.deps.runbook, "sam")
    for n in range(60):  # the summary lists each, a block each: over one message's 50
        await service.add_evidence(rig.deps, KEY, sam, f"Export {n}: " + "drafts log " * 180)
    chat, incident = rig.deps.chat, await rig.deps.store.load(KEY)
    assert isinstance(chat, SlackChat) and incident is not None and incident.room is not None
    rig.slack.drop_after("chat.postMessage", times=2)  # the first part's answer, the second's
    summary = Notice(incident, NoticeKind.SUMMARY, slot=f"{KEY}/summary")
    ts = await chat.post(incident.room, summary)
    said = rig.slack.messages[room]
    assert len([m for m in said if m.ts == ts or "(continued)" in m.text]) == 2
    (more,) = [m for m in said if "(continued)" in m.text]
    assert more.thread_ts == ts

    await chat.update(incident.room, ts, summary)  # updated in place, not posted again
    assert len([m for m in rig.slack.messages[room] if "(continued)" in m.text]) == 1
    assert more.updated == 1


async def test_a_claim_taken_over_from_a_poster_that_died_after_posting_is_not_posted_again(
    rig: Rig,
) -> None:
    room = await declared(rig)
    chat, incident = rig.deps.chat, await rig.deps.store.load(KEY)
    assert isinstance(chat, SlackChat) and incident is not None and incident.room is not None
    store, now = rig.deps.store, rig.deps.clock.now()
    # A publisher claimed the slot and posted it, then died before recording the message.
    assert await store.claim_message(KEY, "evidence", now, LEASE)
    said = text(incident, "Evidence for the drafting assistant")
    gone = await chat.post(incident.room, replace(said, slot=f"{KEY}/evidence"))
    before = rig.slack.count("chat.postMessage")

    later = now + LEASE + timedelta(seconds=1)
    await RoomPublisher(chat, store, rig.deps.runbook, incident, later).post(said, "evidence")
    assert rig.slack.count("chat.postMessage") == before  # found, not posted again
    assert rig.slack.count("conversations.history") == 1
    assert await store.message_id(KEY, "evidence") == gone
    assert [m.ts for m in rig.slack.messages[room] if m.text == said.text] == [gone]
