"""Teams from settings: what ai_incident.main's `_teams` builds, kept here so the core stays clear
of the SDK.

    chat = add_teams(web_app, deps, settings, engine, kept)   # POST /api/messages, TeamsChat

A SingleTenant bot gets its tokens from the firm's tenant and answers it alone; a
MultiTenant one gets them from the Bot Framework's (botframework.com) and answers the
tenants TEAMS_ALLOWED_TENANTS lists (any, when it lists none). Emulator mode
(TEAMS_EMULATOR=1, no app id) checks no token, sends none, and answers only on loopback.
"""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy import Engine

from bot.runbook import Runbook
from bot.service import Deps
from bot.settings import Settings
from handlers.kept import Kept
from handlers.teams.auth import GRAPH, GRAPH_SCOPES, Inbound, MsalTokens, NoTokens, Tokens
from handlers.teams.chat import TeamsChat
from handlers.teams.connector import Connector
from handlers.teams.edge import Edge
from handlers.teams.emulator import EmulatorConnector
from handlers.teams.gate import EMULATOR, TEAMS, Gate
from handlers.teams.graph import Graph
from handlers.teams.routes import add_teams_routes
from handlers.teams.urls import GRAPH_HOSTS, ServiceUrls
from storage.conversations import Conversations

log = logging.getLogger(__name__)


MULTI_TENANT_AUTHORITY = "botframework.com"  # where a MultiTenant bot gets its tokens
EMULATOR_WARNING = (
    "TEAMS AUTH IS OFF (TEAMS_EMULATOR=1): POST %s takes unauthenticated activities and "
    "replies only to loopback service URLs. For trying the bot in the Bot Framework "
    "Emulator on this machine; never for a real Teams tenant."
)


def token_tenant(settings: Settings) -> str:
    multi = settings.teams_app_type == "MultiTenant"
    return MULTI_TENANT_AUTHORITY if multi else settings.teams_tenant_id


def tenants(settings: Settings) -> frozenset[str]:
    """The tenants whose activities are let in; empty for any."""
    if settings.teams_emulator:
        return frozenset()
    if settings.teams_app_type == "MultiTenant":
        return frozenset(settings.teams_allowed_tenants)
    return frozenset({settings.teams_tenant_id} - {""})


def _gate(settings: Settings) -> tuple[ServiceUrls, Tokens, Inbound | None, Gate]:
    if settings.teams_emulator:
        urls = ServiceUrls.loopback()
        channels = frozenset({TEAMS, EMULATOR})
        return urls, NoTokens(), None, Gate(urls, frozenset(), channels, authenticated=False)
    urls = ServiceUrls()
    app_id, password = settings.teams_app_id, settings.teams_app_password
    tokens = MsalTokens(app_id, password, token_tenant(settings))
    single = settings.teams_tenant_id if settings.teams_app_type == "SingleTenant" else ""
    return urls, tokens, Inbound(app_id, single), Gate(urls, tenants(settings))


def add_teams(
    app: web.Application, deps: Deps, settings: Settings, engine: Engine, kept: Kept
) -> TeamsChat:
    """JWT-checked inbound, MSAL tokens outbound, only to Teams' service URLs (emulator
    mode: neither, and loopback only)."""
    urls, tokens, inbound, gate = _gate(settings)
    connector = (EmulatorConnector if settings.teams_emulator else Connector)(urls, tokens)
    chat = TeamsChat(
        connector,
        deps.runbook,
        Conversations(engine),
        deps.clock,
        store=deps.store,
        tenant_id=settings.teams_tenant_id,
        bot={"id": f"28:{settings.teams_app_id or 'emulator'}", "name": "AI Incident"},
        graph=graph_for(deps.runbook, settings),
    )
    edge = Edge(deps, chat, kept)
    chat.on_blocked = edge.blocked
    add_teams_routes(app, edge, urls, inbound, kept, gate=gate, warning=EMULATOR_WARNING)
    app.on_cleanup.append(lambda _app: connector.close())
    if chat.graph is not None:
        graph = chat.graph
        app.on_cleanup.append(lambda _app: graph.close())
    return chat


def graph_for(runbook: Runbook, settings: Settings) -> Graph | None:
    """Graph for dedicated channels: only where the runbook asks, in the firm's own tenant."""
    if not runbook.rooms.teams_dedicated_channels or settings.teams_emulator:
        return None
    if not settings.teams_tenant_id:
        log.warning(
            "rooms.teams.dedicated_channels is on but TEAMS_TENANT_ID is not set: Graph needs "
            "the firm's tenant, so incidents will open as threads in the incidents channel"
        )
        return None
    tokens = MsalTokens(
        settings.teams_app_id,
        settings.teams_app_password,
        settings.teams_tenant_id,
        GRAPH,
        GRAPH_SCOPES,
    )
    return Graph(ServiceUrls(GRAPH_HOSTS), tokens)
