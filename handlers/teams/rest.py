"""One call to a Microsoft REST API (the Bot Connector, Graph) with the rules both share.

    api = Rest("Teams", ServiceUrls(), tokens)
    answer = await api.call("POST", service_url, "v3/conversations", {...})

Only an allowed base URL is called, and the token is fetched after that check, so a forged
URL never sees it. 429 waits out a short Retry-After and hands a long one back as
ChatError(retry_after); 412, 502, 503 and 504 are retried; a subclass's `refuse` turns the
statuses it knows (403, 404, …) into its own errors; anything else is a ChatError naming
the API's error code.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

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


def retry_after(headers: Any, attempt: int) -> float:
    try:
        return max(float(headers.get("Retry-After", "")), 0.0)
    except ValueError:
        return float(2 ** (attempt - 1))


def error_code(body: Any, field: str = "code") -> str:
    """The API's own error code (`{"error": {"code": …}}`), '' when it gave none."""
    error = body.get("error") if isinstance(body, dict) else None
    code = error.get(field) if isinstance(error, dict) else None
    return str(code) if code else ""


class Rest:
    def __init__(
        self, name: str, urls: ServiceUrls, tokens: Tokens, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.name, self.urls, self.tokens, self.sleep = name, urls, tokens, sleep
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:  # made inside the running loop
            timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
            self._session = aiohttp.ClientSession(timeout=timeout)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def refuse(self, status: int, answer: Any, what: str) -> ChatError | None:
        """The error to raise at once for this answer; None applies the retry rules."""
        return None

    async def call(self, method: str, base_url: str, where: str, body: Any = None) -> Any:
        """One API call with the rules above; the parsed JSON answer ({} when empty)."""
        if not self.urls.allowed(base_url):
            raise ChatError(
                f"Refusing to call {origin(base_url) or 'a malformed URL'}: "
                "not a Microsoft service URL"
            )
        url = self.urls.base(base_url) + where
        for attempt in range(1, ATTEMPTS + 1):
            status, headers, answer = await self._once(method, url, body)
            if status < 300:
                return answer
            wait, code = retry_after(headers, attempt), error_code(answer)
            what = f"{self.name} {method} {where[:90]}: {status}" + (f" {code}" if code else "")
            refused = self.refuse(status, answer, what)
            if refused is not None:
                raise refused
            if status == 429 and (wait > MAX_WAIT_S or attempt == ATTEMPTS):
                raise ChatError(what, wait)
            if status not in RETRIED and status != 429:
                raise ChatError(what)
            if attempt == ATTEMPTS:
                raise ChatError(what, 5.0)
            log.info("%s; trying again in %.1f s", what, wait)
            await self.sleep(wait)
        raise AssertionError("unreachable")

    async def _token(self) -> str:
        """The bearer token; a failure to get one (the login endpoint unreachable, a secret
        expired) is a failed send like any other, kept for a repost."""
        try:
            return await self.tokens.token()
        except Exception as error:  # MSAL and the SDK raise many kinds; all mean "not now"
            raise ChatError(
                f"{self.name}: no token from Microsoft's login: {error!r}", 5.0
            ) from None

    async def _once(self, method: str, url: str, body: Any) -> tuple[int, Any, Any]:
        token = await self._token()
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            async with self._client().request(method, url, json=body, headers=headers) as r:
                text = await r.text()
                answer = await r.json(content_type=None) if text.strip() else {}
                return r.status, r.headers, answer
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise ChatError(f"{self.name} {method}: {error!r}", 5.0) from None
