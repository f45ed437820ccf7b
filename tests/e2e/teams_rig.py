"""The Teams end-to-end rig: the real aiohttp server with the Teams route (auth off), the
fake connector behind it, the runbook's people as Teams members, and the seed case's steps
driven as those people would, through the cards the bot sent.

    async def test_something(teams_rig: TeamsRig) -> None:
        await declared(teams_rig); await acknowledged(teams_rig)

Test modules import the fixtures `connector` and `teams_rig` from here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.kill_switch import KillSwitchSender
from bot.permissions import REGULATOR
from bot.runbook import Runbook
from bot.service import Deps
from handlers.kept import Kept
from handlers.teams.auth import Inbound, StaticTokens
from handlers.teams.cards import CARD_TYPE
from handlers.teams.chat import TeamsChat
from handlers.teams.connector import Connector
from handlers.teams.edge import Edge
from handlers.teams.files import FILE_HOSTS
from handlers.teams.graph import Graph
from handlers.teams.routes import add_teams_routes
from handlers.teams.timeline import ANSWER_WITHIN_S
from handlers.teams.urls import GRAPH_HOSTS, ServiceUrls
from handlers.work import Work
from storage.alerts import SqlAlerts
from storage.conversations import Conversations
from storage.engine import make_engine
from storage.files import RecordsDir
from storage.inbox import SqlInbox
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import SEED_T0
from tests.contract.adaptive_cards import problems
from tests.e2e.slack_rig import ANSWERS, KEY, TITLE
from tests.e2e.teams_driver import CHANNEL, TEAM, Tenant, User, actions
from tests.fakes.clock import FakeClock
from tests.fakes.graph import FakeGraph
from tests.fakes.teams_connector import FakeConnector, Sent

TOKEN = "bot-token-for-microsoft-only"
GRAPH_TOKEN = "graph-token-for-microsoft-only"
LEE = User("29:1lee", "Lee Chen", "aad-lee", "lee@harbourvale.example")
SAM = User("29:1sam", "Sam Okafor", "aad-sam", "sam@harbourvale.example")
ALEX = User("29:1alex", "Alex Morgan", "aad-alex", "alex@harbourvale.example")
PRIYA = User("29:1priya", "Priya Shah", "aad-priya", "priya@harbourvale.example")
JORDAN = User("29:1jordan", "Jordan Ellis", "aad-jordan", "jordan@harbourvale.example")
POST = f"{CHANNEL};messageid=1774539602583"  # Lee's post in the incidents channel
__all__ = ["ANSWERS", "KEY", "TITLE"]


class Waits:
    """The connector's sleeps, recorded and skipped: no test waits out a Retry-After."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


@dataclass
class TeamsRig:
    tenant: Tenant
    connector: FakeConnector
    deps: Deps
    chat: TeamsChat
    waits: Waits
    kept: Kept
    room: str = ""


@pytest.fixture
async def connector() -> AsyncIterator[FakeConnector]:
    async with FakeConnector() as fake:
        for user in (LEE, SAM, ALEX, PRIYA, JORDAN):
            fake.add_member(user.id, user.name, user.email, user.aad)
        yield fake


def teams_runbook(runbook: Runbook) -> Runbook:
    rooms = replace(runbook.rooms, teams_team_id=TEAM, teams_channel_id=CHANNEL)
    return replace(runbook, rooms=rooms)


def teams_app(
    deps: Deps,
    chat: TeamsChat,
    urls: ServiceUrls,
    kept: Kept,
    inbound: Inbound | None = None,
    files: tuple[str, ...] = (),
    within_s: float = ANSWER_WITHIN_S,
) -> web.Application:
    """`files`: origins besides SharePoint that Teams file downloads may come from;
    `within_s`: how long a message action's Add waits for its outcome."""
    app = web.Application()
    edge = Edge(deps, chat, kept, ServiceUrls(FILE_HOSTS, extra=files))
    chat.on_blocked = edge.blocked
    add_teams_routes(app, edge, urls, inbound, kept, within_s=within_s)
    return app


def invalid_cards(connector: FakeConnector) -> list[str]:
    cards = [
        a["content"]
        for call in connector.calls
        if isinstance(call.body, dict)
        for a in [
            *call.body.get("attachments", []),
            *call.body.get("activity", {}).get("attachments", []),
        ]
        if a.get("contentType") == CARD_TYPE
    ]
    return [problem for card in cards for problem in problems(card)]


@asynccontextmanager
async def running(
    connector: FakeConnector,
    book: Runbook,
    tmp_path: Path,
    graph: FakeGraph | None = None,
    kill_switch: KillSwitchSender | None = None,
    files: tuple[str, ...] = (),
    within_s: float = ANSWER_WITHIN_S,
) -> AsyncIterator[TeamsRig]:
    """The Teams server over a fresh SQLite file; with `graph`, a Graph client aimed at it."""
    url = f"sqlite:///{tmp_path / 'teams.db'}"
    upgrade(url)
    engine = make_engine(url)
    store, clock, waits = SqlStore(engine), FakeClock(SEED_T0 + timedelta(minutes=10)), Waits()
    urls = ServiceUrls(extra=(connector.url,))
    wire = Connector(urls, StaticTokens(TOKEN), sleep=waits)
    client = None
    if graph is not None:
        allowed = ServiceUrls(GRAPH_HOSTS, extra=(graph.url,))
        client = Graph(allowed, StaticTokens(GRAPH_TOKEN), base=graph.url, sleep=waits)
    chat = TeamsChat(
        wire, book, Conversations(engine), clock, store=store, tenant_id="tenant-hv", graph=client
    )
    records = RecordsDir(tmp_path / "records")
    deps = Deps(
        book, store, chat, clock, records, kill_switch=kill_switch, alerts=SqlAlerts(engine)
    )
    kept = Kept(SqlInbox(engine), Work(), clock)
    try:
        async with TestClient(
            TestServer(teams_app(deps, chat, urls, kept, files=files, within_s=within_s))
        ) as http:
            yield TeamsRig(Tenant(http, connector, kept.work), connector, deps, chat, waits, kept)
        await kept.work.idle()
        assert kept.work.failures == []  # no turn failed unseen
        assert invalid_cards(connector) == []  # every card sent or updated: Adaptive Cards 1.5
    finally:
        await wire.close()
        if client is not None:
            await client.close()


@pytest.fixture
async def teams_rig(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path
) -> AsyncIterator[TeamsRig]:
    async with running(connector, teams_runbook(runbook), tmp_path) as rig:
        yield rig


DECLARED = {
    "system": "drafting-assistant",
    "failure_type": "context_leakage",
    "noticed": "Acme's Q1 report shows Brightside's revenue",
    "aware_date": "2026-03-26",
    "aware_time": "15:30",
}


async def declared(rig: TeamsRig) -> str:
    assert await rig.tenant.say(LEE, POST, f"declare {TITLE}") == 202
    form = rig.tenant.last(POST)
    assert await rig.tenant.fill(LEE, form, DECLARED) == 200
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None, rig.tenant.said(POST)
    rig.room = incident.room.id
    return rig.room


async def acknowledged(rig: TeamsRig) -> None:
    page = rig.tenant.with_action(rig.room, "ack:incident_lead")
    assert await rig.tenant.click(SAM, page, "ack:incident_lead") == 200


async def contained(rig: TeamsRig) -> None:
    for step in range(3):
        action = f"contain:{step}:done"
        await rig.tenant.click(SAM, rig.tenant.with_action(rig.room, action), action)
    action = "contain:3:not_possible"
    card = rig.tenant.with_action(rig.room, action)
    await rig.tenant.click(SAM, card, action, "The vendor holds the key")


async def classified(rig: TeamsRig) -> None:
    """Answer as the DPO (the regulator questions as the compliance principal); an answer
    that stops a clock is asked for its reason, then given."""
    for question, value in ANSWERS:
        action = f"classify:{question}:{value}"
        before = len(rig.tenant.messages(rig.room))
        who = JORDAN if question in REGULATOR else ALEX
        await rig.tenant.click(who, rig.tenant.with_action(rig.room, action), action)
        asking = [m for m in rig.tenant.messages(rig.room)[before:] if _asks(m, action)]
        if asking:
            await rig.tenant.click(who, asking[0], action, f"{question}: ruled out")


def _asks(message: Sent, action: str) -> bool:
    """An inline form whose Save presses `action`: the bot asking for words first."""
    return any(
        a["type"] == "Action.ShowCard"
        and any(s.get("data", {}).get("action") == action for s in actions(a["card"]))
        for a in actions(message.cards)
    )
