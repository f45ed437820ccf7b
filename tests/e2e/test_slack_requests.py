"""Slack requests the bot must turn away, the chat's pacing and rate limits, and the server
as `ai-incident serve` builds it from settings."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from ai_incident.main import build
from bot import service
from bot.incident import Room
from bot.notices import text
from bot.ports import ChatError
from bot.runbook import Runbook
from bot.settings import Settings
from bot.tick import tick
from handlers.slack.chat import SlackChat
from handlers.slack.routes import PATH
from tests.conftest import person
from tests.e2e.slack_driver import SECRET, signed
from tests.e2e.slack_rig import KEY, TOKEN, Rig, declared, rig, slack
from tests.fakes.slack_api import SERVER_ERROR_PAGE, Answer, FakeSlack

__all__ = ["rig", "slack"]  # fixtures


# --- bad requests ------------------------------------------------------------------------


async def test_a_wrong_signature_is_401(rig: Rig) -> None:
    body = "command=%2Fai-incident&text=list&user_id=U0SAM&channel_id=C1"
    answer = await rig.ws.send(
        body, "application/x-www-form-urlencoded", signed(body, secret="wrong")
    )
    assert answer.status == 401


async def test_a_timestamp_over_five_minutes_old_is_401(rig: Rig) -> None:
    body = "command=%2Fai-incident&text=list&user_id=U0SAM&channel_id=C1"
    answer = await rig.ws.send(
        body, "application/x-www-form-urlencoded", signed(body, time.time() - 301)
    )
    assert answer.status == 401


async def test_a_timestamp_that_is_not_a_number_is_401(rig: Rig) -> None:
    body = "command=%2Fai-incident&text=list&user_id=U0SAM&channel_id=C1"
    headers = signed(body) | {"X-Slack-Request-Timestamp": "soon"}
    answer = await rig.ws.send(body, "application/x-www-form-urlencoded", headers)
    assert answer.status == 401


@pytest.mark.parametrize(
    "body",
    [
        "payload=%7Bnot+json",
        "payload=%7B%22type%22%3A%22block_actions%22%7D",  # no user, no actions
        "command=%2Fai-incident&text=list",  # no user, no channel
        'payload={"type":"block_actions","user":{"id":"U1"},"actions":[{"action_id":"rm:-rf"}]}',
    ],
)
async def test_a_malformed_payload_is_400(rig: Rig, body: str) -> None:
    answer = await rig.ws.send(body, "application/x-www-form-urlencoded")
    assert answer.status == 400
    assert "Traceback" not in answer.body


async def test_slacks_url_verification_is_answered_with_the_challenge(rig: Rig) -> None:
    body = '{"token": "legacy", "challenge": "3eZbrw1aBm2rZgRNFdxV", "type": "url_verification"}'
    answer = await rig.ws.send(body, "application/json", signed(body))
    assert answer.status == 200 and answer.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV"}


async def test_slacks_certificate_check_is_answered_and_changes_nothing(rig: Rig) -> None:
    answer = await rig.ws.send("ssl_check=1&token=legacy", "application/x-www-form-urlencoded", {})
    assert (answer.status, answer.body) == (200, "")
    assert rig.slack.calls == []


# --- the chat's pacing and rate limits ---------------------------------------------------


async def test_a_short_429_is_waited_out_for_that_channel_only(rig: Rig, runbook: Runbook) -> None:
    room = await declared(rig)
    chat = rig.deps.chat
    assert isinstance(chat, SlackChat)
    rig.slack.rate_limit("chat.postMessage", retry_after=3)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    rig.ticks.waits.clear()
    await chat.post(incident.room, text(incident, "after the limit"))
    assert 3 in rig.ticks.waits and "after the limit" in rig.ws.said(room)
    rig.ticks.waits.clear()
    other = rig.slack.add_channel("elsewhere", members=["UBOT"])
    await chat.post(Room("slack", other), text(incident, "not held up"))
    assert rig.ticks.waits == []


async def test_a_long_429_goes_back_to_the_caller_with_retry_after(rig: Rig) -> None:
    await declared(rig)
    chat = rig.deps.chat
    assert isinstance(chat, SlackChat)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    rig.slack.rate_limit("chat.postMessage", retry_after=120)
    with pytest.raises(ChatError) as error:
        await chat.post(incident.room, text(incident, "later"))
    assert error.value.retry_after == 120


async def test_a_post_slack_refuses_for_good_is_on_the_record_and_not_retried(rig: Rig) -> None:
    await declared(rig)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    sam = person(rig.deps.runbook, "sam")
    await service.acknowledge(rig.deps, KEY, sam)  # its page is updated in place
    rig.slack.channels[incident.room.id].is_archived = True  # archived by a person

    await service.handover(rig.deps, KEY, sam, "priya", "off shift")

    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    (failed,) = [e for e in incident.events if e.type == "undelivered"]
    assert failed.data["again"] is False and "is_archived" in str(failed.data["error"])
    assert not [r for r in await rig.deps.store.reminders(KEY) if r.kind == "repost"]


async def test_a_post_that_fails_for_now_is_sent_again_by_the_ticker(rig: Rig) -> None:
    await declared(rig)
    sam = person(rig.deps.runbook, "sam")
    await service.acknowledge(rig.deps, KEY, sam)
    rig.slack.rate_limit("chat.postMessage", retry_after=120)
    await service.handover(rig.deps, KEY, sam, "priya", "off shift")
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    said = rig.slack.messages[incident.room.id]
    assert not [m for m in said if "now leads" in m.text]

    rig.deps.clock.advance(timedelta(minutes=3))  # type: ignore[attr-defined]
    await tick(rig.deps)

    said = rig.slack.messages[incident.room.id]
    assert len([m for m in said if "now leads" in m.text]) == 1


async def test_a_proxys_html_page_in_place_of_slacks_json_is_a_chat_error(rig: Rig) -> None:
    await declared(rig)
    chat = rig.deps.chat
    assert isinstance(chat, SlackChat)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    rig.slack.answer_next("chat.postMessage", Answer(200, SERVER_ERROR_PAGE))
    with pytest.raises(ChatError, match=r"Slack chat\.postMessage: http_200"):
        await chat.post(incident.room, text(incident, "later"))


async def test_posts_to_one_channel_are_paced_about_a_second_apart(rig: Rig) -> None:
    rig.ticks.waits.clear()
    await declared(rig)
    assert rig.ticks.waits and all(w <= 1.0 for w in rig.ticks.waits)


# --- wiring ---------------------------------------------------------------------------------


async def test_the_server_built_from_settings_verifies_slack_requests(
    slack: FakeSlack, tmp_path: Path
) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'wired.db'}",
        slack_bot_token=TOKEN,
        slack_signing_secret=SECRET,
        slack_api_url=slack.url,
        runbook_path=Path(__file__).resolve().parents[2] / "runbook.yaml",
    )
    async with TestClient(TestServer(build(settings))) as http:
        unsigned = await http.post(PATH, data="command=%2Fai-incident&text=help")
        assert unsigned.status == 401
        body = "command=%2Fai-incident&text=help&user_id=U0SAMOKAFOR&channel_id=C1&user_name=sam"
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
        assert (await http.post(PATH, data=body, headers=headers)).status == 200


# --- rooms ----------------------------------------------------------------------------------


async def test_opening_the_room_again_reuses_the_channel_even_after_a_restart(
    rig: Rig, runbook: Runbook
) -> None:
    await declared(rig)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    again = await rig.deps.chat.open_room(incident)
    chat = rig.deps.chat
    assert isinstance(chat, SlackChat)
    restarted = SlackChat(chat.client, runbook, chat.pacer, rig.deps.store)
    after = await restarted.open_room(incident)
    assert again.id == after.id == rig.room and rig.slack.count("conversations.create") == 1
    assert after.name == rig.slack.channels[rig.room].name


async def test_a_person_slack_does_not_know_is_said_and_the_rest_are_invited(rig: Rig) -> None:
    room = await declared(rig)
    chat = rig.deps.chat
    assert isinstance(chat, SlackChat)
    await chat.invite(Room("slack", room), "", ["jordan", "alex"])
    assert "U0ALEX" in rig.slack.channels[room].members
    assert "I could not invite Jordan Ellis (no Slack account for jordan@harbourvale.example)" in (
        rig.ws.said(room)
    )
