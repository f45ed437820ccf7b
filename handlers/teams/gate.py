"""What an activity must be, past its token, before anything reads it further.

    gate = Gate(urls, tenants=frozenset({"tenant-hv"}))
    refused = gate.refusal(turn, claims)   # None, or the answer (400/403) to give instead

From Teams (`channelId` msteams; the Emulator's own in emulator mode), else 403: another
channel of the same Azure Bot (Web Chat, Direct Line) would otherwise act as a Teams user.
From an allowed tenant, else 403. Naming a serviceUrl this bot may call and — with a token —
the very one the token was issued for, else 400: the bot never sends its token to a URL an
activity merely names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiohttp import web
from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from handlers.teams.activity import Turn
from handlers.teams.auth import service_url_claim
from handlers.teams.urls import ServiceUrls, origin

log = logging.getLogger(__name__)
TEAMS = "msteams"
EMULATOR = "emulator"


def same_url(a: str, b: str) -> bool:
    """The same service URL, whatever the case of its host or a trailing slash."""
    return bool(origin(a)) and origin(a) == origin(b) and _path(a) == _path(b)


def _path(url: str) -> str:
    rest = url.strip().partition("://")[2]
    return rest.partition("/")[2].rstrip("/")


def _refused(message: str, status: int) -> web.Response:
    return web.json_response({"error": message}, status=status)


@dataclass(frozen=True)
class Gate:
    urls: ServiceUrls
    tenants: frozenset[str] = frozenset()  # empty: any tenant (MultiTenant, none listed)
    channels: frozenset[str] = frozenset({TEAMS})
    authenticated: bool = True  # a token was checked, so it must name the serviceUrl

    def refusal(self, turn: Turn, claims: ClaimsIdentity | None) -> web.Response | None:
        if turn.source not in self.channels:
            log.warning("refused an activity from channel %r", turn.source or "(none)")
            return _refused("This bot answers Microsoft Teams only.", 403)
        if self.tenants and turn.tenant_id not in self.tenants:
            log.warning("refused an activity from tenant %s", turn.tenant_id or "(none)")
            return _refused("This bot does not serve this tenant.", 403)
        claimed = service_url_claim(claims)
        if not self.urls.allowed(turn.service_url) or (
            self.authenticated and not same_url(claimed, turn.service_url)
        ):
            log.warning("refused an activity naming serviceUrl %s", origin(turn.service_url))
            return _refused("The activity's serviceUrl is not one this bot may call.", 400)
        return None
