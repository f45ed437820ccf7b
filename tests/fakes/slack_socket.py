"""Slack's Socket Mode end, for tests: a WebSocket server on 127.0.0.1 (ephemeral port) that
greets the app as Slack does, delivers envelopes and hands back what the app acked.

    async with SocketModeServer() as server:
        slack.allow_socket_mode(APP_TOKEN, server.url)   # apps.connections.open answers it
        ...                                              # the app connects
        await server.connected()
        acked = await server.deliver("slash_commands", {"command": "/ai-incident", …})
        # -> {"envelope_id": "…"} (plus "payload" when the app answered with a body)

The app must acknowledge each envelope by its envelope_id, as over HTTP it answers 200.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.loopback import LoopbackServer

ANSWER_WITHIN_S = 5.0  # a generous bound; a test waits on events, never sleeps


class SocketModeServer(LoopbackServer):
    path = "/link"

    def __init__(self) -> None:
        super().__init__()  # url: ws://127.0.0.1:<port>/link once started
        self.acks: dict[str, asyncio.Future[dict[str, Any]]] = {}
        self._socket: web.WebSocketResponse | None = None
        self._connected = asyncio.Event()
        self._ids = itertools.count(1)

    def routes(self, app: web.Application) -> None:
        app.router.add_get(self.path, self._link)

    async def start(self) -> None:
        await super().start()
        self.url = self.url.replace("http://", "ws://", 1)

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        await super().stop()

    async def connected(self) -> None:
        await asyncio.wait_for(self._connected.wait(), ANSWER_WITHIN_S)

    async def deliver(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send one envelope; the app's acknowledgement of it."""
        assert self._socket is not None, "no app is connected"
        envelope_id = f"env-{next(self._ids)}"
        self.acks[envelope_id] = asyncio.get_running_loop().create_future()
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._socket.send_str(json.dumps(envelope))
        return await asyncio.wait_for(self.acks[envelope_id], ANSWER_WITHIN_S)

    async def _link(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._socket = ws
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0FAKE"}}
        await ws.send_str(json.dumps(hello))
        self._connected.set()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                self._acked(json.loads(message.data))
        return ws

    def _acked(self, answer: dict[str, Any]) -> None:
        waiting = self.acks.get(str(answer.get("envelope_id")))
        if waiting is not None and not waiting.done():
            waiting.set_result(answer)
