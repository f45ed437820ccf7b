"""The fake Slack's message metadata, conversations.history and conversations.replies
behave as Slack's do."""

from __future__ import annotations

import aiohttp
import pytest
from slack_sdk.web.async_client import AsyncWebClient

from tests.fakes.slack_api import FakeSlack
from tests.fakes.test_slack_api import client, error_of, new_channel, slack, ticks

__all__ = ["client", "slack", "ticks"]  # fixtures
SLOT = {"event_type": "ai_incident_message", "event_payload": {"slot": "AI-2026-0001/card"}}


async def test_history_lists_top_level_messages_newest_first(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    first = await client.chat_postMessage(channel=channel, text="one")
    await client.chat_postMessage(channel=channel, text="reply", thread_ts=first["ts"])
    await client.chat_postMessage(channel=channel, text="two")
    answer = await client.conversations_history(channel=channel)
    assert [m["text"] for m in answer["messages"]] == ["two", "one"]
    assert answer["has_more"] is False


async def test_metadata_is_shown_only_when_asked_for(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    await client.chat_postMessage(channel=channel, text="card", metadata=SLOT)
    plain = await client.conversations_history(channel=channel)
    assert "metadata" not in plain["messages"][0]
    full = await client.conversations_history(channel=channel, include_all_metadata=True)
    assert full["messages"][0]["metadata"] == SLOT


async def test_replies_list_a_thread_parent_first_with_metadata_when_asked(
    client: AsyncWebClient,
) -> None:
    channel = await new_channel(client)
    first = await client.chat_postMessage(channel=channel, text="card")
    await client.chat_postMessage(channel=channel, text="a", thread_ts=first["ts"], metadata=SLOT)
    await client.chat_postMessage(channel=channel, text="elsewhere")
    await client.chat_postMessage(channel=channel, text="b", thread_ts=first["ts"])
    answer = await client.conversations_replies(
        channel=channel, ts=first["ts"], include_all_metadata=True
    )
    assert [m["text"] for m in answer["messages"]] == ["card", "a", "b"]
    assert answer["messages"][1]["metadata"] == SLOT
    assert await error_of(client.conversations_replies(channel=channel, ts="1.0")) == (
        "thread_not_found"
    )


async def test_metadata_without_an_event_type_is_refused(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    bad = {"event_payload": {"slot": "x"}}
    error = await error_of(client.chat_postMessage(channel=channel, text="x", metadata=bad))
    assert error == "invalid_metadata_schema"


async def test_history_pages_by_cursor(client: AsyncWebClient) -> None:
    channel = await new_channel(client)
    for n in range(5):
        await client.chat_postMessage(channel=channel, text=str(n))
    page = await client.conversations_history(channel=channel, limit=3)
    cursor = page["response_metadata"]["next_cursor"]
    rest = await client.conversations_history(channel=channel, limit=3, cursor=cursor)
    assert [m["text"] for m in page["messages"] + rest["messages"]] == ["4", "3", "2", "1", "0"]
    assert page["has_more"] is True and rest["has_more"] is False


async def test_a_private_channel_the_bot_is_not_in_has_no_history_for_it(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    channel = slack.add_channel("secret", members=["U0ALICE"])
    assert await error_of(client.conversations_history(channel=channel)) == "channel_not_found"


async def test_a_post_dropped_after_it_took_effect_is_in_the_channel(
    slack: FakeSlack, client: AsyncWebClient
) -> None:
    channel = await new_channel(client)
    slack.drop_after("chat.postMessage")
    with pytest.raises(aiohttp.ClientError):
        await client.chat_postMessage(channel=channel, text="made it")
    assert [m.text for m in slack.messages[channel]] == ["made it"]
