"""The incident's timeline picture for the web chat, drawn when the browser asks for it.

    add_pictures(app, deps)   # GET /rooms/AI-2026-0001/timeline.png → image/png

A closed incident is drawn as at its close; an open one as at the (fast-forwarded) clock.
"""

from __future__ import annotations

from aiohttp import web

from bot.papers.picture import timeline_png
from bot.service import Deps

PATH = "/rooms/{key}/timeline.png"


def picture_url(key: str) -> str:
    """`/rooms/AI-2026-0001/timeline.png`"""
    return PATH.format(key=key)


class Pictures:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps

    async def timeline(self, request: web.Request) -> web.Response:
        incident = await self.deps.store.load(request.match_info["key"].upper())
        if incident is None:
            return web.Response(status=404, text="No such incident.")
        at = incident.closed_at or self.deps.clock.now()
        png = timeline_png(incident, self.deps.runbook, at)
        return web.Response(body=png, content_type="image/png")


def add_pictures(app: web.Application, deps: Deps) -> None:
    app.router.add_get(PATH, Pictures(deps).timeline)
