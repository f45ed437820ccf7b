"""The Bot Connector REST API (what Teams calls the "connector"), with its failure rules.

    connector = Connector(ServiceUrls(), MsalTokens(app_id, password))
    made = await connector.create_conversation(service_url, {"isGroup": True, ...})
    activity_id = await connector.send(service_url, made["id"], {"type": "message", ...})
    await connector.update(service_url, made["id"], activity_id, {...})

Only allowed service URLs are called (handlers.teams.urls): the token is fetched after
that check, so a forged URL never sees it. 429 waits out a short Retry-After and hands a
long one back as ChatError(retry_after); 412, 502, 503 and 504 are retried; 403 means the
bot was removed (Blocked); anything else is a ChatError naming the connector's error code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.ports import ChatError
from handlers.teams.auth import Tokens
from handlers.teams.urls import ServiceUrls, origin

log = logging.getLogger(__name__)
ATTEMPTS = 3
MAX_WAIT_S = 30.0  # a longer Retry-After goes back to the caller (the ticker reschedules)
RETRIED = {412, 502, 503, 504}
TIMEOUT_S = 20.0

Sleep = Callable[[float], Awaitable[None]]


class Blocked(ChatError):
    """403: the bot was removed from the conversation (or the user blocked it)."""


class NotFound(ChatError):
    """404: no such conversation, activity or member."""


def _retry_after(headers: Any, attempt: int) -> float:
    try:
        return max(float(headers.get("Retry-After", "")), 0.0)
    except ValueError:
        return float(2 ** (attempt - 1))


def _code(status: int, body: Any) -> str:
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get("code") if isinstance(error, dict) else None
    return f"{status} {code}" if code else str(status)


def path(*parts: str) -> str:
    return "v3/conversations/" + "/".join(quote(p, safe="") for p in parts)


class Connector:
    def __init__(self, urls: ServiceUrls, tokens: Tokens, sleep: Sleep = asyncio.sleep) -> None:
        self.urls, self.tokens, self.sleep = urls, tokens, sleep
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:  # made inside the running loop
            timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def call(self, method: str, service_url: str, where: str, body: Any = None) -> Any:
        """One API call with the rules above; the parsed JSON answer ({} when empty)."""
        if not self.urls.allowed(service_url):
            raise ChatError(
                f"Refusing to call {origin(service_url) or 'a malformed URL'}: "
                "not a Microsoft service URL"
            )
        url = self.urls.base(service_url) + where
        for attempt in range(1, ATTEMPTS + 1):
            status, headers, answer = await self._once(method, url, body)
            if status < 300:
                return answer
            wait = _retry_after(headers, attempt)
            what = f"Teams {method} {where[:90]}: {_code(status, answer)}"
            if status == 403:
                raise Blocked(what)
            if status == 404:
                raise NotFound(what)
            if status == 429 and (wait > MAX_WAIT_S or attempt == ATTEMPTS):
                raise ChatError(what, wait)
            if status not in RETRIED and status != 429:
                raise ChatError(what)
            if attempt == ATTEMPTS:
                raise ChatError(what, 5.0)
            log.info("%s; trying again in %.1f s", what, wait)
            await self.sleep(wait)
        raise AssertionError("unreachable")

    async def _once(self, method: str, url: str, body: Any) -> tuple[int, Any, Any]:
        token = await self.tokens.token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            async with self._client().request(method, url, json=body, headers=headers) as r:
                text = await r.text()
                answer = await r.json(content_type=None) if text.strip() else {}
                return r.status, r.headers, answer
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise ChatError(f"Teams {method}: {error!r}", 5.0) from None

    async def create_conversation(self, service_url: str, params: dict[str, Any]) -> dict[str, Any]:
        answer = await self.call("POST", service_url, "v3/conversations", params)
        return answer if isinstance(answer, dict) else {}

    async def send(self, service_url: str, conversation_id: str, activity: dict[str, Any]) -> str:
        answer = await self.call("POST", service_url, path(conversation_id, "activities"), activity)
        return str(answer.get("id", "")) if isinstance(answer, dict) else ""

    async def update(
        self, service_url: str, conversation_id: str, activity_id: str, activity: dict[str, Any]
    ) -> None:
        where = path(conversation_id, "activities", activity_id)
        await self.call("PUT", service_url, where, {**activity, "id": activity_id})

    async def member(
        self, service_url: str, conversation_id: str, member_id: str
    ) -> dict[str, Any] | None:
        """A member by id, AAD object id or UPN; None when the conversation has no such one."""
        try:
            answer = await self.call(
                "GET", service_url, path(conversation_id, "members", member_id)
            )
        except NotFound:
            return None
        return answer if isinstance(answer, dict) else None
