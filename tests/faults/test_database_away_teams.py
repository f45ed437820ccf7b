"""The database briefly unavailable while Teams is used: the person is told to try again in
the thread, in the same words as Slack and the web chat, and the same command works once the
database is back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer

from bot.runbook import Runbook
from bot.service import Deps
from handlers.database import TRY_AGAIN
from handlers.kept import Kept
from handlers.teams.auth import StaticTokens
from handlers.teams.chat import TeamsChat
from handlers.teams.connector import Connector
from handlers.teams.urls import ServiceUrls
from handlers.work import Work
from storage.conversations import Conversations
from storage.engine import make_engine
from storage.inbox import MemoryInbox
from storage.sql import SqlStore
from tests.conftest import SEED_T0
from tests.e2e.teams_driver import Tenant
from tests.e2e.teams_rig import (
    KEY,
    SAM,
    TOKEN,
    TeamsRig,
    Waits,
    connector,
    declared,
    teams_app,
    teams_runbook,
)
from tests.fakes.clock import FakeClock
from tests.fakes.teams_connector import FakeConnector
from tests.faults.test_database_away import Outage, outage

__all__ = ["connector", "outage"]  # fixtures


@asynccontextmanager
async def teams_tenant(
    url: str, runbook: Runbook, connector: FakeConnector
) -> AsyncIterator[TeamsRig]:
    """Teams over the database that goes away; the inbox is elsewhere, so each activity is
    kept and reaches the bot's work."""
    engine, book = make_engine(url), teams_runbook(runbook)
    store, clock = SqlStore(engine), FakeClock(SEED_T0 + timedelta(minutes=10))
    urls, waits = ServiceUrls(extra=(connector.url,)), Waits()
    wire = Connector(urls, StaticTokens(TOKEN), sleep=waits)
    chat = TeamsChat(wire, book, Conversations(engine), clock, store=store, tenant_id="tenant-hv")
    deps = Deps(book, store, chat, clock)
    kept = Kept(MemoryInbox(), Work(), clock)
    try:
        async with TestClient(TestServer(teams_app(deps, chat, urls, kept))) as http:
            yield TeamsRig(Tenant(http, connector, kept.work), connector, deps, chat, waits, kept)
    finally:
        await wire.close()
        engine.dispose()


async def test_teams_says_try_again_in_the_thread_while_the_database_is_away_then_works(
    outage: Outage,
    runbook: Runbook,
    connector: FakeConnector,
) -> None:
    async with teams_tenant(outage.url, runbook, connector) as rig:
        room = await declared(rig)
        outage.begin()
        try:
            assert await rig.tenant.say(SAM, room, "note while away") == 202
            await rig.kept.work.idle()
        finally:
            outage.end()
        assert rig.tenant.said(room).endswith(TRY_AGAIN)
        assert rig.kept.work.failures == []

        assert await rig.tenant.say(SAM, room, "note after") == 202
        await rig.kept.work.idle()
        assert rig.tenant.said(room).endswith(f"Note added to the timeline of {KEY}.")
        incident = await rig.deps.store.load(KEY)
    assert incident is not None
    notes = [e.data.get("text") for e in incident.events if e.type == "note"]
    assert notes == ["after"]
