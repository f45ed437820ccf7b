"""Teams from settings: what ai_incident.main's `_teams` builds, kept here so the core stays clear
of the SDK.

    chat = add_teams(web_app, deps, settings, engine, kept)   # POST /api/messages, TeamsChat
"""

from __future__ import annotations

import logging

from aiohttp import web
from sqlalchemy import Engine

from bot.runbook import Runbook
from bot.service import Deps
from bot.settings import Settings
from handlers.kept import Kept
from handlers.teams.auth import GRAPH, GRAPH_SCOPES, Inbound, MsalTokens
from handlers.teams.chat import TeamsChat
from handlers.teams.connector import Connector
from handlers.teams.edge import Edge
from handlers.teams.graph import Graph
from handlers.teams.routes import add_teams_routes
from handlers.teams.urls import GRAPH_HOSTS, ServiceUrls
from storage.conversations import Conversations

log = logging.getLogger(__name__)


def add_teams(
    app: web.Application, deps: Deps, settings: Settings, engine: Engine, kept: Kept
) -> TeamsChat:
    """JWT-checked inbound, MSAL tokens outbound, only to Microsoft's service URLs."""
    urls = ServiceUrls()
    tokens = MsalTokens(
        settings.teams_app_id, settings.teams_app_password, settings.teams_tenant_id
    )
    connector = Connector(urls, tokens)
    chat = TeamsChat(
        connector,
        deps.runbook,
        Conversations(engine),
        deps.clock,
        store=deps.store,
        tenant_id=settings.teams_tenant_id,
        bot={"id": f"28:{settings.teams_app_id}", "name": "AI Incident"},
        graph=graph_for(deps.runbook, settings),
    )
    edge = Edge(deps, chat, kept)
    chat.on_blocked = edge.blocked
    inbound = Inbound(settings.teams_app_id, settings.teams_tenant_id)
    add_teams_routes(app, edge, urls, inbound, kept)
    app.on_cleanup.append(lambda _app: connector.close())
    if chat.graph is not None:
        graph = chat.graph
        app.on_cleanup.append(lambda _app: graph.close())
    return chat


def graph_for(runbook: Runbook, settings: Settings) -> Graph | None:
    """Graph for dedicated channels: only where the runbook asks, in the firm's own tenant."""
    if not runbook.rooms.teams_dedicated_channels:
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
