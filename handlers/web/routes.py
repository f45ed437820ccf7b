"""The local web chat's routes: plain HTML forms, each POST one service call, then a redirect.

    add_web_chat(app, deps, chat, clock)
    # GET /  GET /runbook  POST /as /declare /action /command /close /clock

A refusal comes back to the room as a message on the page (`?flash=…`); one that wants
words first (an answer that decides not to notify needs a reason) comes with a form asking
for them, which presses the same button again (`&ask=…`). A form the page could not have
sent is answered 400 with a plain message. Nothing needs JavaScript. The pages are
`handlers.web.room_page`, the declare and close forms `handlers.web.incident_forms`, live
updates `handlers.web.live`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from aiohttp import web

from bot import service
from bot.actions import ASKS_FOR_TEXT, DECLARE_ALERT, UnknownAction, press
from bot.decisions import Refused
from bot.runbook import Runbook
from bot.service import Deps
from bot.tick import tick
from bot.timeline import Actor
from handlers.web.chat import (
    Commands,
    OffsetClock,
    WebChat,
)
from handlers.web.form import SPEAKER, Form, Malformed, actor, same_origin, see_other, url
from handlers.web.gate import Gate, guard_hosts
from handlers.web.incident_forms import IncidentForms
from handlers.web.live import LiveUpdates
from handlers.web.pictures import add_pictures
from handlers.web.pins import pin_said
from handlers.web.replies import Replies
from handlers.web.room_page import RoomPage, room_pages
from handlers.web.uploads import shared_file

MAX_HOURS = 24 * 14


class LocalChat:
    """The request handlers; every change goes through `bot.service`, as Slack's would."""

    def __init__(self, deps: Deps, chat: WebChat, clock: OffsetClock) -> None:
        self.deps, self.chat, self.clock = deps, chat, clock
        self.runbook: Runbook = deps.runbook
        self.commands = Commands(deps, chat)
        self.replies = Replies()  # what a button shows its presser alone (a draft)
        self.incident_forms = IncidentForms(deps)
        self.posts: dict[str, Callable[[Form], Awaitable[str]]] = {
            "/as": self._speak_as,
            "/declare": self.incident_forms.declare,
            "/action": self._action,
            "/command": self._command,
            "/close": self.incident_forms.close,
            "/clock": self._fast_forward,
            "/evidence": self._upload,
            "/pin": self._pin,
        }

    async def post(self, request: web.Request) -> web.Response:
        handle = self.posts[request.path]
        if not same_origin(request):
            return web.Response(status=403, text="Form posts from other sites are refused.")
        try:
            form = Form(await request.post(), request.cookies.get(SPEAKER, ""))
        except ValueError:
            return web.Response(status=400, text="The form could not be read.")
        return await self._answer(form, handle)

    async def _answer(self, form: Form, handle: Callable[[Form], Awaitable[str]]) -> web.Response:
        try:
            location = await handle(form)
        except Malformed as error:
            return web.Response(status=400, text=str(error))
        except Refused as error:
            return see_other(url(form.room, flash=error.message, **form.echo()))
        response = see_other(location)
        said = form.fields.get(SPEAKER)
        chosen = self.runbook.find_person(said if isinstance(said, str) else None)
        if chosen is not None:  # whoever last spoke keeps speaking on the next page
            response.set_cookie(SPEAKER, chosen.id, httponly=True, samesite="Lax")
        return response

    def _actor(self, form: Form) -> Actor:
        return actor(self.runbook, form)

    async def _speak_as(self, form: Form) -> str:
        self._actor(form)  # refuses a name the runbook does not hold
        return url(form.room)

    async def _action(self, form: Form) -> str:
        action = form.text("action")
        if action == "close":
            return url(form.room, form="close")
        if action.startswith(DECLARE_ALERT):
            return await self.incident_forms.declare_alert(action)
        actor, key = self._actor(form), form.text("key")
        try:
            reply = await press(self.deps, key, actor, action, form.text("text", ""))
        except UnknownAction as error:
            raise Malformed(str(error)) from None
        except Refused as error:  # the core wants words first: the page asks for them
            if not error.message.startswith(ASKS_FOR_TEXT):
                raise
            return url(form.room, flash=error.message, ask=action, ask_key=key)
        if reply is None:
            return url(form.room)
        return url(form.room, reply=self.replies.keep(actor.person_id or "", reply.text))

    async def _upload(self, form: Form) -> str:
        """A file shared in the room: its bytes hashed and kept, as Slack's are."""
        shared = shared_file(form.fields.get("file"))
        if shared is None:
            raise Malformed("The form has no file.")
        await service.add_evidence(
            self.deps,
            form.text("key"),
            self._actor(form),
            form.text("text", "").strip() or shared.name,
            content=shared.content,
            source="web-upload",
            filename=shared.name,
            content_type=shared.content_type,
        )
        return url(form.room)

    async def _fast_forward(self, form: Form) -> str:
        by = await self._forward_by(form.text("hours").strip())
        if by is None:
            return url(form.room, info="Nothing is scheduled: no reminder or deadline is due.")
        self.clock.advance(by)
        sent = await tick(self.deps)
        moved = f"{by.total_seconds() / 3600:.1f}h".replace(".0h", "h")
        return url(form.room, info=f"The clock moved forward {moved}; {sent} reminder(s) sent.")

    async def _forward_by(self, raw: str) -> timedelta | None:
        """`next` runs to the next scheduled reminder or deadline; otherwise whole hours."""
        if raw == "next":
            due = await self.deps.store.next_due()
            return None if due is None else max(due - self.clock.now(), timedelta(0))
        if not raw.isdigit() or not 0 < int(raw) <= MAX_HOURS:
            raise Malformed(f"Fast-forward by a whole number of hours, 1 to {MAX_HOURS}.")
        return timedelta(hours=int(raw))

    async def _pin(self, form: Form) -> str:
        await pin_said(self.deps, self.chat, form.room, form.text("message"), self._actor(form))
        return url(form.room, info="Pinned to the incident's timeline.")

    async def _command(self, form: Form) -> str:
        said, actor = form.text("text"), self._actor(form)
        then = await self.commands.run(said, form.room, actor)
        return url(then.room, form=then.form, title=then.title, info=then.info)


def add_web_chat(app: web.Application, deps: Deps, chat: WebChat, clock: OffsetClock) -> None:
    """Mount the local web chat on `app`; `clock` is the one `deps` reads, fast-forwarded here."""
    local = LocalChat(deps, chat, clock)
    page = RoomPage(deps, chat, clock, local.replies, room_pages(deps.runbook))
    live = LiveUpdates(chat)
    app.middlewares.append(guard_hosts(Gate()))  # loopback names only: no DNS rebinding
    app.router.add_get("/", page.page)
    app.router.add_get("/runbook", page.runbook_page)
    app.router.add_get("/events", live.events)
    add_pictures(app, deps)
    app.on_shutdown.append(lambda _app: live.end_streams())
    for path in local.posts:
        app.router.add_post(path, local.post)
