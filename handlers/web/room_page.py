"""The local web chat's pages: a room (or the lobby) with its messages and forms, and the
one-page runbook.

    page = RoomPage(deps, chat, clock, replies, room_pages(deps.runbook))
    app.router.add_get("/", page.page)
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from bot.awareness import LEARNED_LABELS, T0_MEANS
from bot.commands import MAX_COMMAND
from bot.decisions import MAX_TEXT, MAX_TITLE
from bot.durations import local_time
from bot.failures import FAILURE_TYPES
from bot.incident import Incident
from bot.kinds import NoticeKind
from bot.notices import Notice
from bot.runbook import Runbook
from bot.service import Deps
from bot.tokens import STRONG_CLOSE, STRONG_OPEN, strong_as
from bot.views import plain, view
from handlers.web.chat import LOBBY, OffsetClock, WebChat, WebMessage, WebRoom, room_id
from handlers.web.form import SPEAKER, speaker
from handlers.web.pictures import picture_url
from handlers.web.replies import Replies

TEMPLATES = Path(__file__).parent / "templates"
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
# The browser stops typing at the limits the core refuses beyond (maxlength, counted).
LIMITS = {"title": MAX_TITLE, "text": MAX_TEXT, "command": MAX_COMMAND}


class RoomPage:
    def __init__(
        self, deps: Deps, chat: WebChat, clock: OffsetClock, replies: Replies, pages: Environment
    ) -> None:
        self.deps, self.chat, self.clock, self.pages = deps, chat, clock, pages
        self.runbook: Runbook = deps.runbook
        self.replies = replies  # what a button shows its presser alone (a draft)

    async def page(self, request: web.Request) -> web.Response:
        room = await self._room(request.query.get("room", LOBBY))
        incident = await self.deps.store.load(room.key, whole=False) if room.key else None
        context = await self._context(request, room, incident)
        html = self.pages.get_template("page.html").render(context)
        return web.Response(text=html, content_type="text/html")

    async def runbook_page(self, _request: web.Request) -> web.Response:
        from bot.papers.onepager import (
            render_runbook_html,  # written alongside; loaded on first use
        )

        return web.Response(text=render_runbook_html(self.runbook), content_type="text/html")

    async def _room(self, wanted: str) -> WebRoom:
        found = self.chat.rooms.get(wanted)
        if found is None:
            key = await self.deps.store.find_by_room("web", wanted)
            found = WebRoom(wanted, wanted, key) if key else self.chat.rooms[LOBBY]
        return found

    async def _context(
        self, request: web.Request, room: WebRoom, incident: Incident | None
    ) -> dict[str, Any]:
        now, zone = self.clock.now(), self.runbook.firm.timezone
        return {
            "runbook": self.runbook,
            "now": now,
            "offset_hours": int(self.clock.offset.total_seconds() // 3600),
            "speaker": speaker(self.runbook, request.cookies.get(SPEAKER)).id,
            "reply": self._reply(request),
            "incidents": await self.deps.store.list_incidents(),
            "room_of": room_id,
            "archived": self.chat.archived(),
            "room": room,
            "messages": self._messages(room, incident, now),
            "incident": incident,
            "query": request.query,
            "failure_types": FAILURE_TYPES,
            "learned_labels": LEARNED_LABELS,
            "t0_means": T0_MEANS,
            "aware_default": now.astimezone(zone).strftime(LOCAL_INPUT),
            "limits": LIMITS,
        }

    def _reply(self, request: web.Request) -> str:
        said = speaker(self.runbook, request.cookies.get(SPEAKER)).id
        return self.replies.shown(request.query.get("reply", ""), said)

    def _messages(
        self, room: WebRoom, incident: Incident | None, now: datetime
    ) -> list[WebMessage]:
        """The room's messages; after a restart, a fresh card and checklist to carry on from."""
        if room.messages or incident is None:
            return room.messages
        live = (
            Notice(incident, NoticeKind.CARD, now=now),
            Notice(incident, NoticeKind.CONTAINMENT, now=now),
        )
        return [WebMessage(f"live-{n.kind}", n, view(n, self.runbook, now), now) for n in live]


def say(text: str, runbook: Runbook) -> Markup:
    """Core text as HTML: tokens resolved, strong text <strong>, the rest escaped as typed."""
    kept = plain(text, runbook, strong=(STRONG_OPEN, STRONG_CLOSE))
    return Markup(strong_as(kept, "<strong>", "</strong>", lambda part: str(escape(part))))


def room_pages(runbook: Runbook) -> Environment:
    pages = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    pages.filters["say"] = lambda text: say(str(text), runbook)
    pages.filters["local"] = lambda at: local_time(at, runbook.firm.timezone)
    pages.filters["picture_url"] = picture_url
    return pages
