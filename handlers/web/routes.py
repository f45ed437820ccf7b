"""The local web chat's pages: plain HTML forms, each POST one service call, then a redirect.

    add_web_chat(app, deps, chat, clock)
    # GET /  GET /runbook  POST /as /declare /action /command /close /clock

A refusal comes back to the room as a message on the page (`?flash=…`); a form the page
could not have sent is answered 400 with a plain message. Nothing needs JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape
from multidict import MultiDictProxy

from bot import service, triage
from bot.actions import UnknownAction, press
from bot.awareness import LEARNED_LABELS, T0_MEANS
from bot.commands import MAX_COMMAND
from bot.decisions import MAX_TEXT, MAX_TITLE, CloseForm, DeclareForm, Refused
from bot.durations import local_time
from bot.failures import FAILURE_TYPES
from bot.incident import Incident
from bot.kinds import NoticeKind
from bot.notices import Notice
from bot.runbook import Person, Runbook
from bot.service import Deps
from bot.tick import tick
from bot.timeline import Actor
from bot.views import plain, view
from handlers.web.chat import (
    LOBBY,
    Commands,
    OffsetClock,
    WebChat,
    WebMessage,
    WebRoom,
    room_id,
)
from handlers.web.gate import Gate, guard_hosts
from handlers.web.pictures import add_pictures, picture_url
from handlers.web.pins import pin_said
from handlers.web.replies import Replies
from handlers.web.uploads import regression_case, shared_file

TEMPLATES = Path(__file__).parent / "templates"
SSE_KEEPALIVE_S = 15.0
SSE_ROUNDS = 240  # an hour of keep-alives; the browser reconnects by itself
# Fields sent back to a form a refusal reopens, so nobody types them twice.
ECHO = (
    "form",
    "title",
    "system",
    "noticed",
    "aware_at",
    "failure_type",
    "root_cause",
    "alert",
    "learned_via",
    "vendor_notice_at",
    "vendor_aware_at",
)
ECHO_CLOSE = (
    "lessons",
    "remediation",
    "override_reason",
    "regression_input",
    "regression_output",
    "must_contain",
    "must_not_contain",
)
LOCAL_INPUT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends
MAX_HOURS = 24 * 14
MAX_URL = 4000
MAX_SAID = 200  # characters of a message or room kept when a URL is cut (×9 once encoded)
# The browser stops typing at the limits the core refuses beyond (maxlength, counted).
LIMITS = {"title": MAX_TITLE, "text": MAX_TEXT, "command": MAX_COMMAND}
SPEAKER = "as"  # the form field and cookie naming who is speaking
STRONG = re.compile(r"\*([^*\s][^*]*)\*")

Fields = MultiDictProxy[str | bytes | bytearray | web.FileField]


class Malformed(Exception):
    """A form the page could not have sent; answered 400, never a stack trace."""


class Form:
    """Posted fields read as text; a field that is missing (and has no default) is Malformed."""

    def __init__(self, fields: Fields, cookie: str) -> None:
        self.fields, self.cookie = fields, cookie

    def text(self, name: str, default: str | None = None) -> str:
        value = self.fields.get(name, default)
        if not isinstance(value, str):
            raise Malformed(f"The form has no text field '{name}'.")
        return value

    def texts(self, name: str) -> list[str]:
        values = self.fields.getall(name, [])
        texts = [v for v in values if isinstance(v, str)]
        if len(texts) != len(values):
            raise Malformed(f"The form's '{name}' fields must be text.")
        return texts

    @property
    def room(self) -> str:
        value = self.fields.get("room", LOBBY)
        return value if isinstance(value, str) else LOBBY

    def echo(self) -> dict[str, str]:
        names = (*ECHO, *ECHO_CLOSE)
        return {n: v for n in names if isinstance(v := self.fields.get(n), str)}


def url(room: str, **params: str) -> str:
    """Where a post sends the browser next. A URL over MAX_URL could not be requested (the
    server reads 8 KB of request line): then the typed fields are not echoed, the rest cut."""
    kept = {k: v for k, v in params.items() if v}
    found = "/?" + urlencode({"room": room, **kept})
    if len(found) <= MAX_URL:
        return found
    said = {k: v[:MAX_SAID] for k, v in kept.items() if k in ("flash", "info")}
    return "/?" + urlencode({"room": room[:MAX_SAID], **said})


def _see_other(location: str) -> web.Response:
    return web.Response(status=303, headers={"Location": location})


def _same_origin(request: web.Request) -> bool:
    """Browsers send Origin on cross-site form posts; refuse those to the local chat."""
    origin = request.headers.get("Origin")
    return origin is None or urlparse(origin).netloc == request.host


class LocalChat:
    """The request handlers; every change goes through `bot.service`, as Slack's would."""

    def __init__(self, deps: Deps, chat: WebChat, clock: OffsetClock, pages: Environment) -> None:
        self.deps, self.chat, self.clock, self.pages = deps, chat, clock, pages
        self.closing = False  # set at shutdown so open event streams end at once
        self.runbook: Runbook = deps.runbook
        self.commands = Commands(deps, chat)
        self.replies = Replies()  # what a button shows its presser alone (a draft)
        self.posts: dict[str, Callable[[Form], Awaitable[str]]] = {
            "/as": self._speak_as,
            "/declare": self._declare,
            "/action": self._action,
            "/command": self._command,
            "/close": self._close,
            "/clock": self._fast_forward,
            "/evidence": self._upload,
            "/pin": self._pin,
        }

    async def page(self, request: web.Request) -> web.Response:
        room = await self._room(request.query.get("room", LOBBY))
        incident = await self.deps.store.load(room.key) if room.key else None
        context = await self._context(request, room, incident)
        html = self.pages.get_template("page.html").render(context)
        return web.Response(text=html, content_type="text/html")

    async def runbook_page(self, _request: web.Request) -> web.Response:
        from bot.papers.onepager import (
            render_runbook_html,  # written alongside; loaded on first use
        )

        return web.Response(text=render_runbook_html(self.runbook), content_type="text/html")

    async def post(self, request: web.Request) -> web.Response:
        handle = self.posts[request.path]
        if not _same_origin(request):
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
            return _see_other(url(form.room, flash=error.message, **form.echo()))
        response = _see_other(location)
        said = form.fields.get(SPEAKER)
        chosen = self.runbook.find_person(said if isinstance(said, str) else None)
        if chosen is not None:  # whoever last spoke keeps speaking on the next page
            response.set_cookie(SPEAKER, chosen.id, httponly=True, samesite="Lax")
        return response

    def _speaker(self, chosen: str | None) -> Person:
        return self.runbook.find_person(chosen) or self.runbook.chain("incident_lead")[0]

    def _actor(self, form: Form) -> Actor:
        chosen = form.text(SPEAKER, "")
        if chosen and self.runbook.find_person(chosen) is None:
            raise Malformed(f"'{chosen[:40]}' is not a person in the runbook.")
        person = self._speaker(chosen or form.cookie)
        return Actor(id=f"web:{person.id}", name=person.name, person_id=person.id)

    async def _speak_as(self, form: Form) -> str:
        self._actor(form)  # refuses a name the runbook does not hold
        return url(form.room)

    async def _declare(self, form: Form) -> str:
        declared = DeclareForm(
            title=form.text("title"),
            system=form.text("system"),
            failure_type=form.text("failure_type"),
            noticed=form.text("noticed", ""),
            aware_at=self._aware_at(form.text("aware_at", "")),
            learned_via=form.text("learned_via", ""),
            vendor_notice_at=self._aware_at(form.text("vendor_notice_at", "")),
            vendor_aware_at=self._aware_at(form.text("vendor_aware_at", "")),
        )
        incident = await service.declare(self.deps, self._actor(form), declared)
        alert = form.text("alert", "")
        if alert.isdigit() and self.deps.alerts is not None:
            actor = self._actor(form)
            await triage.declared(self.deps, self.deps.alerts, int(alert), actor, incident.key)
        return url(incident.room.id if incident.room else LOBBY)

    async def _declare_alert(self, action: str) -> str:
        """The declare form, filled in from the alert; T0 stays the person's to set."""
        alert_id = action.rpartition(":")[2]
        known = alert_id.isdigit() and self.deps.alerts is not None
        record = await self.deps.alerts.get(int(alert_id)) if known and self.deps.alerts else None
        if record is None:
            raise Malformed(f"There is no alert '{alert_id[:20]}'.")
        filled = triage.prefill(record, self.runbook)
        said = {"title": filled.title, "system": filled.system, "noticed": filled.noticed}
        return url(LOBBY, form="declare", alert=alert_id, **said)

    def _aware_at(self, text: str) -> datetime | None:
        """`datetime-local` has no zone: it is the firm's wall-clock time."""
        if not text.strip():
            return None
        try:
            at = datetime.fromisoformat(text.strip())
        except ValueError:
            raise Malformed(f"'{text[:40]}' is not a date and time.") from None
        return at if at.tzinfo else at.replace(tzinfo=self.runbook.firm.timezone)

    async def _action(self, form: Form) -> str:
        action = form.text("action")
        if action == "close":
            return url(form.room, form="close")
        if action.startswith("alert:declare:"):
            return await self._declare_alert(action)
        actor = self._actor(form)
        try:
            reply = await press(self.deps, form.text("key"), actor, action, form.text("text", ""))
        except UnknownAction as error:
            raise Malformed(str(error)) from None
        if reply is None:
            return url(form.room)
        return url(form.room, reply=self.replies.keep(actor.person_id or "", reply.text))

    async def _close(self, form: Form) -> str:
        failure_type = form.text("failure_type", "")
        if failure_type and failure_type not in FAILURE_TYPES:
            raise Malformed(f"'{failure_type[:40]}' is not a failure type.")
        closing = CloseForm(
            root_cause=form.text("root_cause"),
            failure_type=failure_type,
            criteria=form.texts("criteria"),
            lessons=form.text("lessons", ""),
            remediation=form.text("remediation", ""),
            override_reason=form.text("override_reason", ""),
            regression=regression_case(lambda name: form.text(name, "")),
        )
        incident = await service.close(self.deps, form.text("key"), self._actor(form), closing)
        return url(room_id(incident.key))

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

    async def _pin(self, form: Form) -> str:
        await pin_said(self.deps, self.chat, form.room, form.text("message"), self._actor(form))
        return url(form.room, info="Pinned to the incident's timeline.")

    async def _command(self, form: Form) -> str:
        said, actor = form.text("text"), self._actor(form)
        then = await self.commands.run(said, form.room, actor)
        return url(then.room, form=then.form, title=then.title, info=then.info)

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
            "speaker": self._speaker(request.cookies.get(SPEAKER)).id,
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
        speaker = self._speaker(request.cookies.get(SPEAKER)).id
        return self.replies.shown(request.query.get("reply", ""), speaker)

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


def _strong(text: str) -> Markup:
    """Escape, then show the core's `*answer*` emphasis in bold."""
    return Markup(STRONG.sub(r"<strong>\1</strong>", str(escape(text))))


def _pages(runbook: Runbook) -> Environment:
    pages = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    pages.filters["say"] = lambda text: _strong(plain(str(text), runbook))
    pages.filters["local"] = lambda at: local_time(at, runbook.firm.timezone)
    pages.filters["picture_url"] = picture_url
    return pages


def add_web_chat(app: web.Application, deps: Deps, chat: WebChat, clock: OffsetClock) -> None:
    """Mount the local web chat on `app`; `clock` is the one `deps` reads, fast-forwarded here."""
    local = LocalChat(deps, chat, clock, _pages(deps.runbook))
    app.middlewares.append(guard_hosts(Gate()))  # loopback names only: no DNS rebinding
    app.router.add_get("/", local.page)
    app.router.add_get("/runbook", local.runbook_page)
    app.router.add_get("/events", local.events)
    add_pictures(app, deps)
    app.on_shutdown.append(lambda _app: local.end_streams())
    for path in local.posts:
        app.router.add_post(path, local.post)
