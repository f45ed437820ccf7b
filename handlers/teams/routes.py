"""Teams on the one aiohttp server: `POST /api/messages` for every activity.

    chat = TeamsChat(connector, runbook, conversations, clock)
    add_teams_routes(web_app, Edge(deps, chat), urls, Inbound(app_id))   # JWT checked
    add_teams_routes(web_app, Edge(deps, chat), urls, None)   # tests only: says so loudly

Each request is checked before anything reads it: a missing or bad JWT is 401; a body that
is no activity, or one whose serviceUrl is not Microsoft's (or not the one its token was
issued for), is 400 — the bot never sends its token to a URL an activity merely names. The
turn is handled before the answer (as the Agents SDK's adapter does); a fault is logged and
answered 500 with no detail, never shown in chat.
"""

from __future__ import annotations

import logging

from aiohttp import web

from handlers.teams.activity import MAX_BODY, Malformed, Turn, read_turn
from handlers.teams.auth import Inbound, service_url_claim
from handlers.teams.commands import Commands
from handlers.teams.edge import Edge
from handlers.teams.submits import Submits
from handlers.teams.urls import ServiceUrls, origin

log = logging.getLogger(__name__)
PATH = "/api/messages"
UNAUTHENTICATED = (
    "TEAMS REQUESTS ARE NOT AUTHENTICATED: no TEAMS_APP_ID is set, so anyone who can reach "
    "POST %s can act as any Teams user. This is for local tests only."
)


class Teams:
    """The turn handler: store the reference, then run the command or the submission."""

    def __init__(self, edge: Edge) -> None:
        self.edge = edge
        self.commands, self.submits = Commands(edge), Submits(edge)

    async def handle(self, turn: Turn) -> None:
        await self.edge.arrived(turn)
        if turn.kind == "command":
            await self.commands.run(turn)
        elif turn.kind == "submit":
            await self.submits.run(turn)


def _bad(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400)


def add_teams_routes(
    app: web.Application, edge: Edge, urls: ServiceUrls, inbound: Inbound | None
) -> None:
    teams = Teams(edge)
    if inbound is None:
        app.on_startup.append(lambda _app: _warn())

    async def messages(request: web.Request) -> web.Response:
        claims = None
        if inbound is not None:
            claims = await inbound.check(request.headers.get("Authorization"))
            if claims is None:
                return web.json_response({"error": "Unauthorized"}, status=401)
        if (request.content_length or 0) > MAX_BODY:
            return web.json_response({"error": "The activity is too large."}, status=413)
        try:
            turn = read_turn(await request.json())
        except (ValueError, UnicodeDecodeError) as error:
            return _bad(str(error) if isinstance(error, Malformed) else "The body is not JSON.")
        claimed = service_url_claim(claims)
        if not urls.allowed(turn.service_url) or (
            claimed and origin(claimed) != origin(turn.service_url)
        ):
            log.warning("refused an activity naming serviceUrl %s", origin(turn.service_url))
            return _bad("The activity's serviceUrl is not one this bot may call.")
        try:
            await teams.handle(turn)
        except Malformed as error:
            return _bad(str(error))
        except Exception:
            log.exception("a Teams turn failed")
            return web.json_response({"error": "The bot could not handle that."}, status=500)
        return web.Response(status=202)

    app.router.add_post(PATH, messages)


async def _warn() -> None:
    log.warning(UNAUTHENTICATED, PATH)
