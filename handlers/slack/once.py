"""A room message posted once, even when Slack's answer is lost.

Slack has no idempotency key for `chat.postMessage`. A post whose connection dropped or
timed out may have been posted, so it is never simply sent again: each named message
carries its slot (`KEY/slot`) in the message's metadata, and after an unanswered post the
channel's latest messages are read back (`conversations.history` with
`include_all_metadata`; a thread reply's thread with `conversations.replies`); a message
found with that slot is the one posted, else it is sent again. A message that may have
been posted before (its slot's claim taken over from a poster that went away, or its last
post unanswered) is looked for before its first post too.

    ts = await OncePoster(chat).send(channel, message, "AI-2026-0007/card")
    ts = await OncePoster(chat).send(channel, part, "AI-2026-0007/summary#2", thread=ts)
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.ports import ChatError
from handlers.slack.blocks import Message

if TYPE_CHECKING:
    from handlers.slack.chat import SlackChat

log = logging.getLogger(__name__)
EVENT_TYPE = "ai_incident_message"
ATTEMPTS = 4
LOOKBACK = 100  # messages read back: the unanswered post is among the newest
BACKOFF_S = 0.2


class Unanswered(ChatError):
    """The connection failed or timed out: Slack may or may not have done the work."""


def unretried(client: AsyncWebClient) -> AsyncWebClient:
    """The same client without blind retries of a dropped connection (5xx and 429 handling
    stay: Slack documents that a 5xx did not post)."""
    handlers = [
        h for h in client.retry_handlers if not isinstance(h, AsyncConnectionErrorRetryHandler)
    ]
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        ssl=client.ssl,
        proxy=client.proxy,
        headers=client.headers,
        retry_handlers=handlers,
    )


def slot_of(message: Any) -> str:
    metadata = message.get("metadata") if isinstance(message, dict) else None
    if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
        return ""
    payload = metadata.get("event_payload")
    return str(payload.get("slot", "")) if isinstance(payload, dict) else ""


class OncePoster:
    def __init__(self, chat: SlackChat) -> None:
        self.chat = chat
        self.client = unretried(chat.client)

    async def send(
        self,
        channel: str,
        message: Message,
        slot: str,
        thread: str = "",
        broadcast: bool = False,
        unsure: bool = False,
    ) -> str:
        """Post `message` (under `thread`, when given) once; `unsure`: look for it first."""
        for attempt in range(ATTEMPTS):
            if attempt:
                await self.chat.pacer.sleep(BACKOFF_S * 2 ** (attempt - 1))
            if unsure:
                try:
                    found = await self.find(channel, slot, thread)
                except ChatError as error:
                    log.warning("could not check whether %s was posted: %s", slot, error)
                    continue
                if found:
                    log.info("%s was posted though Slack's answer was lost", slot)
                    return found
            try:
                return await self._post(channel, message, slot, thread, broadcast)
            except Unanswered:
                unsure = True
        raise Unanswered(f"Slack chat.postMessage: no answer for {slot}", 5.0)

    async def _post(
        self, channel: str, message: Message, slot: str, thread: str, broadcast: bool
    ) -> str:
        async def send() -> AsyncSlackResponse:
            await self.chat.pacer.turn(channel)
            return await self.client.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=message.blocks,
                metadata={"event_type": EVENT_TYPE, "event_payload": {"slot": slot}},
                thread_ts=thread or None,
                reply_broadcast=bool(thread and broadcast) or None,
            )

        answer = await self.chat.call("chat.postMessage", send, channel)
        return str(answer["ts"])

    async def find(self, channel: str, slot: str, thread: str = "") -> str:
        """The ts of the newest message posted for `slot` in the channel (in `thread`, when
        given), or ""."""
        client = self.chat.client
        if thread:
            answer = await self.chat.call(
                "conversations.replies",
                lambda: client.conversations_replies(
                    channel=channel, ts=thread, limit=LOOKBACK, include_all_metadata=True
                ),
            )
        else:
            answer = await self.chat.call(
                "conversations.history",
                lambda: client.conversations_history(
                    channel=channel, limit=LOOKBACK, include_all_metadata=True
                ),
            )
        messages: list[dict[str, Any]] = answer.get("messages") or []
        found = [str(m.get("ts", "")) for m in messages if slot_of(m) == slot]
        return max(found, key=float) if found else ""
