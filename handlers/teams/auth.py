"""Both directions of Teams' authentication, through the Agents SDK.

Inbound: every request to /api/messages carries a JWT signed by the Bot Framework for our
app id; `Inbound(settings).check(header)` returns its claims, or None to answer 401.
Outbound: `Tokens` gives the bearer token the Bot Connector expects (client credentials
through MSAL); `NoTokens` sends none, for a connector that wants none (the tests' fake).

    inbound = Inbound(app_id="…", tenant_id="…")
    claims = await inbound.check(request.headers.get("Authorization"))
"""

from __future__ import annotations

import logging
from typing import Protocol

from jwt import PyJWTError
from microsoft_agents.authentication.msal import MsalAuth
from microsoft_agents.hosting.core.authorization import AgentAuthConfiguration, ClaimsIdentity
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator

log = logging.getLogger(__name__)
CONNECTOR = "https://api.botframework.com"
SCOPES = ["https://api.botframework.com/.default"]
GRAPH = "https://graph.microsoft.com"
GRAPH_SCOPES = ["https://graph.microsoft.com/.default"]
SERVICE_URL_CLAIM = "serviceurl"


class Tokens(Protocol):
    async def token(self) -> str: ...


class NoTokens:
    async def token(self) -> str:
        return ""


class StaticTokens:
    """A fixed token: tests use it to see which hosts would ever receive one."""

    def __init__(self, value: str) -> None:
        self.value = value

    async def token(self) -> str:
        return self.value


def configuration(
    app_id: str, password: str = "", tenant_id: str = "", *, validate_issuer: bool = False
) -> AgentAuthConfiguration:
    return AgentAuthConfiguration(
        client_id=app_id,
        client_secret=password or None,
        tenant_id=tenant_id or None,
        validate_issuer=validate_issuer,
    )


class MsalTokens:
    """The app's own token for the Bot Connector (or, given GRAPH and GRAPH_SCOPES, for
    Microsoft Graph in the firm's tenant); MSAL caches it until near expiry."""

    def __init__(
        self,
        app_id: str,
        password: str,
        tenant_id: str = "",
        resource: str = CONNECTOR,
        scopes: list[str] | None = None,
    ) -> None:
        self._msal = MsalAuth(configuration(app_id, password, tenant_id))
        self.resource, self.scopes = resource, scopes or SCOPES

    async def token(self) -> str:
        return await self._msal.get_access_token(self.resource, self.scopes)


class Inbound:
    """A token must be signed by the Bot Framework's (or the tenant's) published keys, for
    this app (audience), from an issuer it trusts: the Bot Framework, or the firm's tenant
    when TEAMS_TENANT_ID is set (the SDK checks the issuer only when asked to; it is)."""

    def __init__(self, app_id: str, tenant_id: str = "") -> None:
        config = configuration(app_id, tenant_id=tenant_id, validate_issuer=True)
        self._validator = JwtTokenValidator(config)

    async def check(self, header: str | None) -> ClaimsIdentity | None:
        scheme, _, token = (header or "").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            return await self._validator.validate_token(token.strip())
        except (PyJWTError, ValueError) as error:  # the reason stays in the log, not the reply
            log.warning("a Teams request's token was refused: %s", type(error).__name__)
            return None
        except Exception as error:  # keys unreachable, a validator fault: closed, not a 500
            log.error("a Teams request's token could not be checked: %r", error)
            return None


def service_url_claim(claims: ClaimsIdentity | None) -> str:
    """The service URL the token was issued for ('' when it names none)."""
    if claims is None:
        return ""
    return str(claims.get_claim_value(SERVICE_URL_CLAIM) or "")
