"""Serving a fake on 127.0.0.1 at a port the system picks (never a fixed one, never beyond
loopback).

    site = Loopback()
    origin = await site.start(app)      # "http://127.0.0.1:54321"
    await site.stop()
"""

from __future__ import annotations

import socket

from aiohttp import web


class Loopback:
    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None

    async def start(self, app: web.Application) -> str:
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
        await web.SockSite(self._runner, sock).start()
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
