"""Live updates for the local web chat's pages: server-sent events, one per change.

live = LiveUpdates(chat)
app.router.add_get("/events", live.events)
app.on_shutdown.append(lambda _app: live.end_streams())
"""

from __future__ import annotations

from aiohttp import web

from handlers.web.chat import WebChat

SSE_KEEPALIVE_S = 15.0
SSE_ROUNDS = 240  # an hour of keep-alives; the browser reconnects by itself


class LiveUpdates:
    def __init__(self, chat: WebChat) -> None:
        self.chat = chat
        self.closing = False  # set at shutdown so open event streams end at once

    async def end_streams(self) -> None:
        self.closing = True
        self.chat.wake_waiters()

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: one `data:` line each time any room changes."""
        response = web.StreamResponse(
            headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
        )
        await response.prepare(request)
        seen = self.chat.version
        try:
            for _ in range(SSE_ROUNDS):
                if self.closing:
                    break
                seen_now = await self.chat.wait_change(seen, SSE_KEEPALIVE_S)
                line = f"data: {seen_now}\n\n" if seen_now != seen else ": keep-alive\n\n"
                await response.write(line.encode())
                seen = seen_now
        except ConnectionResetError:  # the page was closed or moved on: normal, not a fault
            pass
        return response
