"""A firm's kill-switch endpoint on 127.0.0.1, checking each request as a real one should
(the signature over timestamp and body, a recent timestamp, the idempotency key), and
answering as told: 200, 500 then 200, 401, or not at all (hanging past the timeout).

    async with Receiver("500-then-200") as receiver:
        runbook = runbook_with_action(receiver.url)
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import time
from dataclasses import dataclass
from typing import Any

import yaml
from aiohttp import web

from bot.runbook import Runbook
from bot.runbook_parse import parse_runbook
from tests.conftest import ROOT
from tests.fakes.loopback import LoopbackServer

SECRET = "kill-switch-test-secret"
FLAGS_TOKEN = "flags-token-not-in-the-runbook"


@dataclass(frozen=True)
class Seen:
    method: str
    headers: dict[str, str]
    body: str
    signed: bool  # the signature matched the body and timestamp


class Receiver(LoopbackServer):
    path = "/flags/ai-drafts"

    def __init__(self, behaviour: str = "ok") -> None:
        super().__init__()
        self.behaviour = behaviour
        self.seen: list[Seen] = []
        self.keys_done: set[str] = set()
        self._release = asyncio.Event()

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", self.path, self.answer)

    async def stop(self) -> None:
        self._release.set()
        await super().stop()

    async def answer(self, request: web.Request) -> web.Response:
        body = await request.text()
        headers = dict(request.headers)
        self.seen.append(Seen(request.method, headers, body, _verified(headers, body)))
        if not self.seen[-1].signed or headers.get("Authorization") != f"Bearer {FLAGS_TOKEN}":
            return web.Response(status=401, text="signature or token refused")
        return await self._as_told(headers.get("Idempotency-Key", ""))

    async def _as_told(self, key: str) -> web.Response:
        if self.behaviour == "401":
            return web.Response(status=401, text="this key may not switch features off")
        if self.behaviour == "hang":
            await self._release.wait()
        if self.behaviour == "500-then-200" and len(self.seen) == 1:
            return web.Response(status=500, text="flag service restarting")
        again = key in self.keys_done
        self.keys_done.add(key)
        return web.json_response({"flag": "ai-drafts", "enabled": False, "repeat": again})


def _verified(headers: dict[str, str], body: str) -> bool:
    stamp = headers.get("X-AI-Incident-Timestamp", "")
    if not stamp.isdigit() or abs(time.time() - int(stamp)) > 300:
        return False
    mac = hmac.new(SECRET.encode(), f"v1:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(headers.get("X-AI-Incident-Signature", ""), f"v1={mac}")


def runbook_with_action(url: str, **action: Any) -> Runbook:
    """The example runbook, its drafting tool's first step given an action aimed at `url`."""
    return parse_runbook(runbook_text_with_action(url, **action), "runbook.yaml")


def runbook_text_with_action(url: str, **action: Any) -> str:
    fields = {
        "method": "POST",
        "url": url,
        "headers": {"Authorization": "Bearer ${FLAGS_TOKEN}"},
        "body": {"enabled": False, "incident": "{incident}", "step": "{step}"},
        "timeout_s": 5,
    } | action
    step = {"text": "Turn off AI drafts for all users", "action": fields}
    block = yaml.safe_dump([step], default_flow_style=True, width=10_000).strip()[1:-1]
    text = (ROOT / "runbook.yaml").read_text(encoding="utf-8")
    plain = '      - "Turn off AI drafts for all users"'
    assert plain in text
    return text.replace(plain, f"      - {block}")


def environment() -> dict[str, str]:
    return {"FLAGS_TOKEN": FLAGS_TOKEN, "KILL_SWITCH_SECRET": SECRET}
