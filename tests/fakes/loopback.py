"""Serving a fake on 127.0.0.1 at a port the system picks (never a fixed one, never beyond
loopback).

    site = Loopback()
    origin = await site.start(app)      # "http://127.0.0.1:54321"
    await site.stop()

    class FakeThing(LoopbackServer):    # or: served for an `async with`, at .url
        def routes(self, app): app.router.add_get("/x", self.x)
"""

from __future__ import annotations

import socket
from types import TracebackType
from typing import Self

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


class LoopbackServer:
    """A fake served on loopback for the length of an `async with` (or from `start` to
    `stop`): a subclass adds its routes in `routes` and names the path its API lives under
    (`path`, joined to `origin` as `url`)."""

    path = "/"

    def __init__(self) -> None:
        self.origin = ""
        self.url = ""
        self._site = Loopback()

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        app = web.Application()
        self.routes(app)
        self.origin = await self._site.start(app)
        self.url = self.origin + self.path

    async def stop(self) -> None:
        await self._site.stop()

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
