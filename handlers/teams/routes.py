"""Teams on the one aiohttp server: `POST /api/messages` for every activity.

    chat = TeamsChat(connector, runbook, conversations, clock)
    add_teams_routes(web_app, Edge(deps, chat, kept), urls, Inbound(app_id))   # JWT checked
    add_teams_routes(web_app, Edge(deps, chat, kept), urls, None)   # tests only: loudly

Each request is checked before anything reads it: a missing or bad JWT is 401; a body that
is no activity, or a submission no card of ours makes, is 400; then handlers.teams.gate
refuses what is not from Teams or from the firm's tenants (403) and a serviceUrl the bot
may not call (400). A good activity is kept in the inbox and answered at once: a message
202, a card's Action.Execute 200 with the body Teams expects; the turn is worked after the answer
(Teams gives up on a bot after about 15 seconds, and a Graph channel or a 429 can take
longer). The message action "Add to incident timeline" (handlers.teams.timeline) is
answered with its dialog, and its Add with the outcome when the work ends in time. Teams
sending the same activity again changes nothing twice; a crash after the answer loses
nothing (the inbox sweep works it again). A fault is logged, never shown in chat.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from aiohttp import web

from bot.requests import Request
from bot.views import View
from handlers.database import TRY_AGAIN, database_away
from handlers.kept import Kept, key_of
from handlers.teams import timeline
from handlers.teams.activity import FETCH_TASK, MAX_BODY, Malformed, Turn, read_turn
from handlers.teams.auth import Inbound
from handlers.teams.chat import PLATFORM
from handlers.teams.commands import Commands
from handlers.teams.edge import Edge
from handlers.teams.gate import Gate
from handlers.teams.submits import Submits
from handlers.teams.timeline import ANSWER_WITHIN_S, TimelineAction
from handlers.teams.urls import ServiceUrls

log = logging.getLogger(__name__)
PATH = "/api/messages"
UNAUTHENTICATED = (
    "TEAMS REQUESTS ARE NOT AUTHENTICATED: no TEAMS_APP_ID is set, so anyone who can reach "
    "POST %s can act as any Teams user. This is for local tests only."
)


KIND = "teams:activity"  # the inbox's name for a kept Teams activity


class Teams:
    """The turn handler: store the reference, then run the command or the submission."""

    def __init__(self, edge: Edge, within_s: float = ANSWER_WITHIN_S) -> None:
        self.edge, self.within_s = edge, within_s
        self.commands, self.submits = Commands(edge), Submits(edge)
        self.timeline = TimelineAction(edge, within_s)

    def answering(self, request: Request | None) -> Teams:
        """The same handler, for work that answers `request`: its deps carry it to the core."""
        if request is None:
            return self
        return Teams(replace(self.edge, deps=self.edge.deps.answering(request)), self.within_s)

    @staticmethod
    def check(turn: Turn) -> None:
        if turn.kind == "submit":
            Submits.check(turn)
        elif turn.kind == "message_action":
            timeline.check(turn)

    async def handle(self, turn: Turn) -> None:
        try:
            await self.edge.arrived(turn)
            if turn.kind == "command":
                await self.commands.run(turn)
            elif turn.kind == "submit":
                await self.submits.run(turn)
            elif turn.kind == "message_action":
                await self.timeline.record(turn)
        except Exception as error:  # worked after Teams had its answer: say so where it was said
            if not database_away(error):
                raise
            log.warning("the database is away: %s", error)
            await self.edge.tell(turn, View(TRY_AGAIN))

    async def again(self, request: Request | None, body: Mapping[str, Any]) -> None:
        """A kept activity worked again after a crash (checked when it came)."""
        try:
            await self.answering(request).handle(read_turn(dict(body)))
        except Malformed as error:  # kept by a version that read activities differently
            log.warning("a kept Teams activity cannot be read again: %s", error)


def _bad(message: str) -> web.Response:
    return web.json_response({"error": message}, status=400)


def activity_key(turn: Turn, body: Any) -> str:
    """What Teams repeats when it sends an activity again: its id in its conversation."""
    seen = turn.activity_id or json.dumps(body, sort_keys=True)
    return key_of(PLATFORM, "activity", turn.conversation_id, seen)


INVOKED = {  # what Teams expects back for an Action.Execute: the card is updated in place
    "statusCode": 200,
    "type": "application/vnd.microsoft.activity.message",
    "value": "Working on it…",
}


def add_teams_routes(
    app: web.Application,
    edge: Edge,
    urls: ServiceUrls,
    inbound: Inbound | None,
    kept: Kept,
    *,
    gate: Gate | None = None,
    warning: str = UNAUTHENTICATED,
    within_s: float = ANSWER_WITHIN_S,
) -> None:
    """`gate` says which channels, tenants and service URLs are let in (by default Teams,
    the chat's tenant if it has one, `urls`); `warning` is logged at start when there is
    no `inbound` check; `within_s`, how long a message action's Add waits for its outcome."""
    teams = Teams(edge, within_s)
    tenants = frozenset({edge.chat.tenant_id} - {""})
    checks = gate or Gate(urls, tenants, authenticated=inbound is not None)
    kept.on(KIND, teams.again)
    if inbound is None:
        app.on_startup.append(lambda _app: _warn(warning))
    app.router.add_post(PATH, Activities(teams, inbound, checks, kept).messages)


class Activities:
    """`POST /api/messages`: each activity checked, kept, answered; its turn worked after."""

    def __init__(self, teams: Teams, inbound: Inbound | None, checks: Gate, kept: Kept) -> None:
        self.teams, self.inbound, self.checks, self.kept = teams, inbound, checks, kept

    async def messages(self, request: web.Request) -> web.Response:
        claims = None
        if self.inbound is not None:
            claims = await self.inbound.check(request.headers.get("Authorization"))
            if claims is None:
                return web.json_response({"error": "Unauthorized"}, status=401)
        if (request.content_length or 0) > MAX_BODY:
            return web.json_response({"error": "The activity is too large."}, status=413)
        try:
            body = await request.json()
            turn = read_turn(body)
            self.teams.check(turn)
        except (ValueError, UnicodeDecodeError) as error:
            return _bad(str(error) if isinstance(error, Malformed) else "The body is not JSON.")
        refused = self.checks.refusal(turn, claims)
        if refused is not None:
            return refused
        if turn.kind == "message_action":
            return web.json_response(await self._message_action(turn, body))
        if turn.kind == "invoke":  # an invoke no card of ours sends
            return web.json_response({"error": "Not implemented."}, status=501)
        await self._started(turn, body)
        return web.json_response(INVOKED) if turn.invoked else web.Response(status=202)

    async def _message_action(self, turn: Turn, body: Any) -> dict[str, Any]:
        """Its dialog; or, Add pressed, kept and worked like any change."""
        actions = self.teams.timeline
        if turn.name == FETCH_TASK:  # reads only: nothing to keep
            return await timeline.safely(actions.dialog(turn))
        return await timeline.safely(actions.answer(turn, lambda: self._started(turn, body)))

    async def _started(self, turn: Turn, body: Any) -> asyncio.Task[None] | None:
        """Kept, and its work started; None when Teams sent it again (kept before)."""
        row = await self.kept.keep(KIND, activity_key(turn, body), body)
        if row is None:
            log.info("Teams sent activity %s again; it was kept before", turn.activity_id)
            return None
        return self.kept.start(row, lambda request: self.teams.answering(request).handle(turn))


async def _warn(warning: str) -> None:
    log.warning(warning, PATH)
