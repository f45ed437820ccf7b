"""Sends a containment step's kill-switch request: signed, retried on 5xx and timeouts.

    sender = HttpKillSwitch(secret, env)          # env resolves ${NAME} in header values
    outcome = await sender.send(request)          # Outcome(ok=True, status=200, …)

Each attempt carries a fresh X-AI-Incident-Timestamp and its signature, and the same
Idempotency-Key, so a receiver that saw an earlier attempt can tell it is the same press.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping

import aiohttp

from bot.kill_switch import KillRequest, Outcome, sign
from bot.runbook_actions import ENV_REFERENCE

ATTEMPTS = 3
BACKOFF_S = (0.5, 2.0)  # before the second and third attempts

Pause = Callable[[float], Awaitable[None]]


class Unset(Exception):
    """A header names an environment variable that is not set."""


def resolved(value: str, env: Mapping[str, str]) -> str:
    def sub(m: object) -> str:
        name = m.group(1)  # type: ignore[attr-defined]
        if not env.get(name):
            raise Unset(name)
        return str(env[name])

    return ENV_REFERENCE.sub(sub, value)


class HttpKillSwitch:
    def __init__(
        self,
        secret: str,
        env: Mapping[str, str],
        pause: Pause = asyncio.sleep,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret, self.env, self.pause, self.clock = secret, env, pause, clock

    def headers(self, req: KillRequest) -> dict[str, str]:
        headers = {name: resolved(value, self.env) for name, value in req.headers}
        if req.body:
            headers["Content-Type"] = "application/json"
        stamp = int(self.clock())
        headers["X-AI-Incident-Timestamp"] = str(stamp)
        headers["X-AI-Incident-Signature"] = sign(self.secret, stamp, req.body)
        headers["Idempotency-Key"] = req.idempotency_key
        return headers

    async def send(self, req: KillRequest) -> Outcome:
        if not self.secret:
            return Outcome(ok=False, error="KILL_SWITCH_SECRET is not set: nothing was sent.")
        try:
            self.headers(req)
        except Unset as unset:
            return Outcome(ok=False, error=f"{unset} is not set: nothing was sent.")
        started = time.monotonic()
        outcome = Outcome(ok=False)
        for attempt in range(1, ATTEMPTS + 1):
            outcome = await self._once(req, attempt)
            if outcome.ok or not _worth_again(outcome):
                break
            if attempt < ATTEMPTS:
                await self.pause(BACKOFF_S[attempt - 1])
        elapsed = int((time.monotonic() - started) * 1000)
        return Outcome(
            outcome.ok, outcome.status, outcome.excerpt, elapsed, outcome.attempts, outcome.error
        )

    async def _once(self, req: KillRequest, attempt: int) -> Outcome:
        timeout = aiohttp.ClientTimeout(total=req.timeout_s)
        try:
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.request(
                    req.method, req.url, data=req.body.encode(), headers=self.headers(req)
                ) as response,
            ):
                text = (await response.text(errors="replace"))[:300]
                return Outcome(200 <= response.status < 300, response.status, text, 0, attempt)
        except TimeoutError:
            return Outcome(False, None, "", 0, attempt, f"no answer within {req.timeout_s:g} s")
        except aiohttp.ClientError as error:
            return Outcome(False, None, "", 0, attempt, f"could not connect: {error}"[:200])


def _worth_again(outcome: Outcome) -> bool:
    """5xx, a timeout or a refused connection; a 4xx answer will not change by asking again."""
    return outcome.status is None or outcome.status >= 500
