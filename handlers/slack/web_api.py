"""Slack's Web API as the bot reaches it: the client, its rate limits, per-channel pacing.

client = web_client(token, "https://slack.com/api/")
pacer = Pacer()
await pacer.turn(channel)        # about one post a second per channel
wait = retry_after(error)        # seconds a 429 asks for; None for any other error
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient

TRANSIENT_RETRIES = 3

Sleep = Callable[[float], Awaitable[None]]


def web_client(token: str, api_url: str) -> AsyncWebClient:
    """Slack's Web API client; a dropped connection or a 5xx is tried again a few times
    (0.2 s, 0.4 s, 0.8 s apart), for every call the bot and Bolt make through it."""
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.2)
    transient = [
        AsyncConnectionErrorRetryHandler(
            max_retry_count=TRANSIENT_RETRIES, interval_calculator=backoff
        ),
        AsyncServerErrorRetryHandler(
            max_retry_count=TRANSIENT_RETRIES, interval_calculator=backoff
        ),
    ]
    return AsyncWebClient(token=token, base_url=api_url, retry_handlers=transient)


def retry_after(error: SlackApiError) -> float | None:
    response = error.response
    if response.status_code != 429 and response.get("error") != "ratelimited":
        return None
    headers = {str(k).lower(): v for k, v in (response.headers or {}).items()}
    try:
        return float(headers.get("retry-after", 1))
    except ValueError:
        return 1.0


def error_code(error: SlackApiError) -> str:
    return str(error.response.get("error") or f"http_{error.response.status_code}")


class Pacer:
    """About one post a second per channel: each post books the next free second of its
    channel, so a busy or rate-limited channel never waits on another."""

    def __init__(
        self,
        interval_s: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.interval_s, self.clock, self.sleep = interval_s, clock, sleep
        self._free_at: dict[str, float] = {}

    async def turn(self, channel: str) -> None:
        now = self.clock()
        at = max(now, self._free_at.get(channel, now))
        self._free_at[channel] = at + self.interval_s
        if at > now:
            await self.sleep(at - now)

    def hold(self, channel: str, seconds: float) -> None:
        self._free_at[channel] = max(self._free_at.get(channel, 0.0), self.clock() + seconds)
