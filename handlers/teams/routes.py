"""Teams on the one aiohttp server: `POST /api/messages` for every activity.

    chat = TeamsChat(connector, runbook, conversations, clock)
    add_teams_routes(web_app, Edge(deps, chat, kept), urls, Inbound(app_id))   # JWT checked
    add_teams_routes(web_app, Edge(deps, chat, kept), urls, None)   # tests only: loudly

Each request is checked before anything reads it: a missing or bad JWT is 401; a body that
is no activity, a submission no card of ours makes, or one whose serviceUrl is not
Microsoft's (or not the one its token was issued for), is 400 — the bot never sends its
token to a URL an activity merely names. With TEAMS_TENANT_ID set, an activity from any
other tenant (the app installed elsewhere) is 403 and never reaches the incidents. A good
activity is kept in the inbox and answered 202 at once; the turn is worked after the answer
(Teams gives up on a bot after about 15 seconds, and a Graph channel or a 429 can take
longer). Teams sending the same activity
again changes nothing twice; a crash after the answer loses nothing (the inbox sweep works
it again). A fault is logged, never shown in chat.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from aiohttp import web

from handlers.kept import Kept, key_of
from handlers.teams.activity import MAX_BODY, Malformed, Turn, read_turn
from handlers.teams.auth import Inbound, service_url_claim
from handlers.teams.chat import PLATFORM
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


KIND = "teams:activity"  # the inbox's name for a kept Teams activity


class Teams:
    """The turn handler: store the reference, then run the command or the submission."""

    def __init__(self, edge: Edge) -> None:
        self.edge = edge
        self.commands, self.submits = Commands(edge), Submits(edge)

    @staticmethod
    def check(turn: Turn) -> None:
        if turn.kind == "submit":
            Submits.check(turn)

    async def handle(self, turn: Turn) -> None:
        await self.edge.arrived(turn)
        if turn.kind == "command":
            await self.commands.run(turn)
        elif turn.kind == "submit":
            await self.submits.run(turn)

    async def again(self, body: Mapping[str, Any]) -> None:
        """A kept activity worked again after a crash (checked when it came)."""
        try:
            await self.handle(read_turn(dict(body)))
        except Malformed as error:  # kept by a version that read activities differently
            log.warning("a kept Teams activity cannot be read again: %s", error)


def _bad(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400)


def activity_key(turn: Turn, body: Any) -> str:
    """What Teams repeats when it sends an activity again: its id in its conversation."""
    seen = turn.activity_id or json.dumps(body, sort_keys=True)
    return key_of(PLATFORM, "activity", turn.conversation_id, seen)


def add_teams_routes(
    app: web.Application, edge: Edge, urls: ServiceUrls, inbound: Inbound | None, kept: Kept
) -> None:
    teams = Teams(edge)
    kept.on(KIND, teams.again)
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
            body = await request.json()
            turn = read_turn(body)
            teams.check(turn)
        except (ValueError, UnicodeDecodeError) as error:
            return _bad(str(error) if isinstance(error, Malformed) else "The body is not JSON.")
        firm = edge.chat.tenant_id
        if firm and turn.tenant_id != firm:  # the app installed in someone else's tenant
            log.warning("refused an activity from tenant %s", turn.tenant_id or "(none)")
            return web.json_response({"error": "This bot serves one tenant."}, status=403)
        claimed = service_url_claim(claims)
        if not urls.allowed(turn.service_url) or (
            claimed and origin(claimed) != origin(turn.service_url)
        ):
            log.warning("refused an activity naming serviceUrl %s", origin(turn.service_url))
            return _bad("The activity's serviceUrl is not one this bot may call.")
        row = await kept.keep(KIND, activity_key(turn, body), body)
        if row is None:
            log.info("Teams sent activity %s again; it was kept before", turn.activity_id)
        else:
            kept.start(row, lambda: teams.handle(turn))
        return web.Response(status=202)

    app.router.add_post(PATH, messages)


async def _warn() -> None:
    log.warning(UNAUTHENTICATED, PATH)
