"""FakeGraph: a real HTTP server on 127.0.0.1 speaking the part of Microsoft Graph the bot
uses, `POST` and `GET /v1.0/teams/{group-id}/channels`, with Teams' channel rules.

    async with FakeGraph() as graph:
        graph.add_team(GROUP)                       # the app has Channel.Create.Group there
        graph.add_team(OTHER, consented=False)      # installed without that permission
        graph.fail("POST", 429, **{"Retry-After": "3"})

A name is refused as Teams refuses it: empty, over 50 characters, or holding
~ # % & * { } + / \\ : < > ? | ' " , or '..', or starting with '_' or '.', or ending with '.'
(400 BadRequest); one the team already has, compared without case, is 400 NameAlreadyExists.
No bearer token is 401; a team without the permission is 403; an unknown team 404.
"""

from __future__ import annotations

import itertools
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

FORBIDDEN = re.compile(r"[~#%&*{}+/\\:<>?|'\",]")
FILTER = re.compile(r"^displayName eq '((?:[^']|'')*)'$")


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    query: str
    authorization: str
    body: Any


@dataclass
class Team:
    consented: bool
    channels: list[dict[str, Any]] = field(default_factory=list)


def _error(status: int, code: str, message: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": message}}, status=status)


def refusal(name: str) -> str:
    """Why Teams would refuse this channel name ('' when it would not)."""
    if not name.strip():
        return "Channel name cannot be empty."
    if len(name) > 50:
        return "Channel name cannot be longer than 50 characters."
    if FORBIDDEN.search(name) or ".." in name or name[0] in "_." or name.endswith("."):
        return "Channel name contains invalid characters."
    return ""


class FakeGraph(LoopbackServer):
    path = "/v1.0/"

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self.teams: dict[str, Team] = {}
        self.faults: dict[str, deque[tuple[int, dict[str, str]]]] = {}
        self._ids = itertools.count(1)

    def add_team(self, group_id: str, *, consented: bool = True) -> None:
        team = Team(consented)
        team.channels.append(self._channel("General", ""))
        self.teams[group_id] = team

    def add_channel(self, group_id: str, name: str) -> dict[str, Any]:
        made = self._channel(name, "")
        self.teams[group_id].channels.append(made)
        return made

    def fail(self, method: str, status: int, times: int = 1, **headers: str) -> None:
        self.faults.setdefault(method, deque()).extend((status, headers) for _ in range(times))

    def channels(self, group_id: str) -> list[str]:
        return [c["displayName"] for c in self.teams[group_id].channels]

    def _channel(self, name: str, description: str) -> dict[str, Any]:
        number = next(self._ids)
        return {
            "id": f"19:{number:032x}@thread.tacv2",
            "displayName": name,
            "description": description,
            "membershipType": "standard",
            "webUrl": f"https://teams.microsoft.com/l/channel/19%3a{number:032x}%40thread.tacv2",
        }

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(request.method, request.path, request.query_string, auth, body))
        queue = self.faults.get(request.method)
        if queue:
            status, headers = queue.popleft()
            return web.json_response(
                {"error": {"code": f"Status{status}", "message": "as told"}},
                status=status,
                headers=headers,
            )
        if not auth.startswith("Bearer ") or not auth[7:].strip():
            return _error(401, "InvalidAuthenticationToken", "Access token is empty.")
        team = self.teams.get(request.match_info["group"])
        if team is None:
            return _error(404, "NotFound", "No team found with the given group id.")
        if request.method == "GET":
            return self._list(team, request.query.get("$filter", ""))
        if request.method == "POST":
            return self._create(team, body)
        return _error(405, "BadRequest", "Method not allowed.")

    def _list(self, team: Team, where: str) -> web.Response:
        if not where:
            return web.json_response({"value": team.channels})
        matched = FILTER.match(where)
        if matched is None:
            return _error(400, "BadRequest", "Invalid filter clause.")
        name = matched.group(1).replace("''", "'")
        return web.json_response(
            {"value": [c for c in team.channels if c["displayName"].lower() == name.lower()]}
        )

    def _create(self, team: Team, body: Any) -> web.Response:
        if not team.consented:
            return _error(
                403,
                "Forbidden",
                "Missing role permissions on the request. API requires one of "
                "'Channel.Create.Group, Channel.Create'.",
            )
        name = str(body.get("displayName", "")) if isinstance(body, dict) else ""
        why = refusal(name)
        if why:
            return _error(400, "BadRequest", why)
        if any(c["displayName"].lower() == name.lower() for c in team.channels):
            return _error(
                400, "NameAlreadyExists", "Channel name already existed, please use other name."
            )
        made = self._channel(name, str(body.get("description", "")))
        team.channels.append(made)
        return web.json_response(made, status=201)

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/v1.0/teams/{group}/channels", self._handle)
