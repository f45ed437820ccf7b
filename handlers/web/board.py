"""The incident board: every incident and every clock on one page, for the DPO or managing
partner who is not in every room. Served with any platform; beyond loopback it needs the
BOARD_TOKEN (as `Authorization: Bearer …`, or `?token=…` once: a login by link, answered
with the same page's address without the token and a session cookie derived from it)."""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.classification import BY_ID
from bot.durations import local_time, time_left
from bot.incident import Incident
from bot.obligations import Obligation, obligations
from bot.ports import LIST_VIEWS
from bot.service import Deps
from handlers.web.board_list import BadListing, board_page, parse
from handlers.web.gate import SESSION_DAYS, Gate

if TYPE_CHECKING:
    from jinja2 import Environment

TEMPLATES = Path(__file__).parent / "templates"
URGENT = timedelta(hours=6)
COOKIE = "board_token"
ACCESS_LOG = "aiohttp.access"  # the logger aiohttp writes each request line to
TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s\"]*")


@dataclass(frozen=True)
class Clock:
    title: str
    due: str
    left: str
    status: str
    urgency: str  # "", "urgent" (under 6 hours) or "overdue"
    owner: str


def _clock(ob: Obligation, deps: Deps, now: datetime) -> Clock:
    tz = deps.runbook.firm.timezone
    due = local_time(ob.due_at, tz) if ob.due_at else "at close"
    left = time_left(ob.due_at, now) if ob.due_at and ob.open else ""
    urgency = "overdue" if ob.status == "overdue" else ""
    if ob.open and ob.due_at and not urgency and ob.due_at - now < URGENT:
        urgency = "urgent"
    owner = ", ".join(deps.runbook.person(p).name for p in ob.terms.owners[:1])
    return Clock(ob.terms.title, due, left, ob.status, urgency, owner)


def _row(incident: Incident, deps: Deps, now: datetime) -> dict[str, Any]:
    owner = deps.runbook.find_person(incident.owner)
    clocks = [_clock(ob, deps, now) for ob in obligations(deps.runbook, incident, now)]
    return {
        "incident": incident,
        "owner": owner.name if owner else "not acknowledged",
        "clocks": clocks,
        "aware": local_time(incident.aware_at, deps.runbook.firm.timezone)
        if incident.aware_at
        else "?",
    }


class Board:
    def __init__(self, deps: Deps, token: str, open_to_loopback: bool, gate: Gate) -> None:
        self.deps, self.token, self.open_to_loopback = deps, token, open_to_loopback
        self.gate = gate
        self._pages: Environment | None = None

    @property
    def pages(self) -> Environment:
        """The page templates, loaded when a page is first asked for: a server whose board
        nobody opens (or that has no token for it) never imports Jinja."""
        if self._pages is None:
            from jinja2 import Environment, FileSystemLoader, StrictUndefined

            self._pages = Environment(
                loader=FileSystemLoader(TEMPLATES), autoescape=True, undefined=StrictUndefined
            )
        return self._pages

    def allowed(self, request: web.Request) -> bool:
        # "Local" is who asks, not where we listen: behind a proxy every peer is loopback.
        if self.open_to_loopback and self.gate.local(request):
            return True
        return self.has_token(request)

    def has_token(self, request: web.Request) -> bool:
        if not self.token:
            return False
        offered = request.headers.get("Authorization", "").removeprefix(
            "Bearer "
        ).strip() or request.query.get("token", "")
        if offered:
            return hmac.compare_digest(offered.encode(), self.token.encode())
        kept = request.cookies.get(COOKIE, "")
        return hmac.compare_digest(kept.encode(), session_of(self.token).encode())

    async def index(self, request: web.Request) -> web.StreamResponse:
        now = self.deps.clock.now()
        try:
            view, number = parse(request.query.get("view", "open"), request.query.get("page", "1"))
        except BadListing as error:
            raise web.HTTPBadRequest(text=str(error)) from error
        html = self.pages.get_template("board.html").render(
            firm=self.deps.runbook.firm.name,
            now=local_time(now, self.deps.runbook.firm.timezone),
            listing=await board_page(self.deps, view, number, now),
            views=LIST_VIEWS,
        )
        return self._respond(request, html)

    async def incident(self, request: web.Request) -> web.StreamResponse:
        incident = await self.deps.store.load(request.match_info["key"].upper())
        if incident is None or not incident.events:
            raise web.HTTPNotFound(text="There is no such incident.")
        now = self.deps.clock.now()
        tz = self.deps.runbook.firm.timezone
        html = self.pages.get_template("board_incident.html").render(
            row=_row(incident, self.deps, now),
            questions=BY_ID,
            when=lambda at: f"{local_time(at, tz)}",
            events=incident.events,
        )
        return self._respond(request, html)

    def _respond(self, request: web.Request, html: str) -> web.StreamResponse:
        return web.Response(text=html, content_type="text/html")


def session_of(token: str) -> str:
    """The cookie a login by link leaves: derived from the BOARD_TOKEN, never the token
    itself (changing the token ends every session)."""
    return hmac.new(token.encode(), b"ai-incident board session", hashlib.sha256).hexdigest()


def _logged_in(request: web.Request, token: str, secure: bool) -> web.StreamResponse:
    """A login by link: the same page again without the token in its address (so it leaves
    the address bar and the next page's Referer), with the session cookie set."""
    query = {k: v for k, v in request.query.items() if k != "token"}
    response = web.Response(
        status=303, headers={"Location": str(request.rel_url.with_query(query))}
    )
    response.set_cookie(
        COOKIE,
        session_of(token),
        httponly=True,
        samesite="Strict",
        secure=secure,
        max_age=SESSION_DAYS * 24 * 3600,
    )
    return response


def _guard(board: Board) -> Any:
    @web.middleware
    async def guard(request: web.Request, handler: Any) -> web.StreamResponse:
        metrics = request.path == "/metrics" and not board.gate.local(request)
        if (request.path.startswith("/board") and not board.allowed(request)) or (
            metrics and not board.has_token(request)
        ):
            raise web.HTTPUnauthorized(
                text="The board needs a login: send the BOARD_TOKEN as 'Authorization: Bearer …'."
            )
        if request.path.startswith("/board") and request.query.get("token") and board.token:
            return _logged_in(request, board.token, board.gate.https(request))
        response: web.StreamResponse = await handler(request)
        return response

    return guard


class HideToken(logging.Filter):
    """A login by link (`/board?token=…`) must not write the BOARD_TOKEN into the access
    log, in the request line or the Referer of the next page."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "token=" in record.getMessage():
            record.msg, record.args = TOKEN_IN_URL.sub(r"\1<hidden>", record.getMessage()), ()
        for name, value in list(vars(record).items()):  # aiohttp's `extra` fields too
            if name != "msg" and isinstance(value, str) and "token=" in value:
                setattr(record, name, TOKEN_IN_URL.sub(r"\1<hidden>", value))
        return True


def hide_token_in_access_log() -> None:
    access = logging.getLogger(ACCESS_LOG)
    if not any(isinstance(f, HideToken) for f in access.filters):
        access.addFilter(HideToken())


def add_board(
    app: web.Application,
    deps: Deps,
    token: str,
    open_to_loopback: bool,
    gate: Gate | None = None,
) -> None:
    """Mount `/board`; with `open_to_loopback` False every request must carry the token,
    and with it True only a request from this machine (no proxy's headers) goes without.
    `/metrics` needs the token too, unless asked from this machine."""
    board = Board(deps, token, open_to_loopback, gate or Gate())
    hide_token_in_access_log()
    app.middlewares.append(_guard(board))
    app.router.add_get("/board", board.index)
    app.router.add_get("/board/{key}", board.incident)
