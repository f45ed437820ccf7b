"""The database briefly unavailable: PostgreSQL cut off by a proxy (the real server, which
others use, keeps running), or SQLite locked by another writer holding BEGIN IMMEDIATE past
the busy timeout. People are told to try again — in the web chat's page, in Slack as a
message only they see — never a 5xx or a stack trace; once the database is back the same
request works, with no restart.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.engine import make_url

from ai_incident.main import SystemClock
from bot.runbook import Runbook
from bot.service import Deps
from handlers.database import TRY_AGAIN
from handlers.kept import Kept
from handlers.server import add_health
from handlers.slack.app import build_slack_app
from handlers.slack.chat import SlackChat
from handlers.slack.routes import add_slack_routes
from handlers.slack.web_api import Pacer, web_client
from handlers.web.chat import OffsetClock, WebChat
from handlers.web.routes import add_web_chat
from handlers.work import Work
from storage.engine import make_engine
from storage.inbox import SqlInbox
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import SEED_T0
from tests.e2e.slack_driver import SECRET, Workspace
from tests.e2e.slack_rig import (
    ALEX,
    KEY,
    LEE,
    SAM,
    TOKEN,
    Rig,
    Ticks,
    acknowledged,
    declared,
    settings_for,
)
from tests.fakes.clock import FakeClock
from tests.fakes.slack_api import FakeSlack
from tests.faults.proxy import TcpProxy


@dataclass
class Outage:
    """A database the test can take away and give back."""

    url: str
    proxy: TcpProxy | None = None
    path: Path | None = None
    _holder: list[sqlite3.Connection] = field(default_factory=list)

    def begin(self) -> None:
        if self.proxy is not None:
            self.proxy.cut()
            return
        assert self.path is not None
        holder = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        holder.execute("BEGIN IMMEDIATE")  # the write lock, held until end()
        self._holder.append(holder)

    def end(self) -> None:
        if self.proxy is not None:
            self.proxy.restore()
        for holder in self._holder:
            holder.rollback()
            holder.close()
        self._holder.clear()


@pytest.fixture(params=["postgres", "sqlite"])
def outage(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Outage]:
    if request.param == "sqlite":
        path = tmp_path / "incidents.db"
        upgrade(f"sqlite:///{path}")
        yield Outage(f"sqlite:///{path}", path=path)
        return
    direct = make_url(request.getfixturevalue("postgres_url"))
    assert direct.port in (None, 5432) and direct.host == "127.0.0.1"
    with TcpProxy(("127.0.0.1", 5432)) as proxy:
        through = direct.set(port=proxy.port).render_as_string(hide_password=False)
        yield Outage(through, proxy=proxy)


def said(page: str) -> bool:
    return TRY_AGAIN in page and "Traceback" not in page


@asynccontextmanager
async def web_chat(url: str, runbook: Runbook) -> AsyncIterator[TestClient]:
    """The local web chat as ai_incident.main wires it (its pages and /healthz), on an engine the
    test disposes."""
    engine = make_engine(url)
    store, chat, clock = SqlStore(engine), WebChat(runbook), OffsetClock(SystemClock())
    app = web.Application()
    add_web_chat(app, Deps(runbook, store, chat, clock), chat, clock)
    add_health(app, store, lambda: 0)
    try:
        async with TestClient(TestServer(app)) as http:
            yield http
    finally:
        engine.dispose()


async def test_the_web_chat_says_try_again_while_the_database_is_away_then_works(
    outage: Outage, runbook: Runbook
) -> None:
    async with web_chat(outage.url, runbook) as http:
        form = {"title": "Leak", "system": "drafting-assistant", "failure_type": "other"}
        declared_at = await http.post("/declare", data=form, allow_redirects=False)
        assert declared_at.status == 303
        room = declared_at.headers["Location"].split("room=")[1]
        note = {"room": room, "text": "note while away", "as": "sam"}

        outage.begin()
        try:
            away = await http.post("/command", data=note, allow_redirects=False)
            assert (away.status, said(await away.text())) == (200, True)
            page = await http.get(f"/?room={room}")
            assert page.status == 200 and "Traceback" not in await page.text()
            assert (await http.get("/healthz")).status in (200, 503)
        finally:
            outage.end()

        back = await http.post(
            "/command", data=note | {"text": "note after"}, allow_redirects=False
        )
        assert back.status == 303
        assert (await http.get("/healthz")).status == 200
    engine = make_engine(outage.url)
    incident = await SqlStore(engine).load(KEY)
    engine.dispose()
    assert incident is not None
    notes = [e.data.get("text") for e in incident.events if e.type == "note"]
    assert notes == ["after"]


@asynccontextmanager
async def slack_workspace(url: str, runbook: Runbook) -> AsyncIterator[Rig]:
    async with FakeSlack(TOKEN, clock=Ticks()) as slack:
        for user, name in ((LEE, "lee"), (SAM, "sam"), (ALEX, "alex")):
            slack.add_user(user, f"{name}@harbourvale.example", name.title())
        ticks, clock = Ticks(), FakeClock(SEED_T0 + timedelta(minutes=10))
        engines = [make_engine(url), make_engine(url)]
        store = SqlStore(engines[0])
        chat = SlackChat(
            web_client(TOKEN, slack.url), runbook, Pacer(1.0, ticks, ticks.sleep), store
        )
        deps = Deps(runbook, store, chat, clock)
        kept = Kept(SqlInbox(engines[1]), Work(), clock)
        app = web.Application()
        add_slack_routes(app, build_slack_app(deps, settings_for(slack), chat, kept=kept), SECRET)
        try:
            async with TestClient(TestServer(app)) as http:
                general = slack.add_channel("general", is_private=False, members=[LEE, SAM, ALEX])
                yield Rig(Workspace(http, slack, kept.work), slack, deps, kept, ticks, general)
        finally:
            for engine in engines:
                engine.dispose()


async def test_slack_says_try_again_only_to_the_asker_while_the_database_is_away_then_works(
    outage: Outage, runbook: Runbook
) -> None:
    async with slack_workspace(outage.url, runbook) as rig:
        await declared(rig)
        await acknowledged(rig)
        button = rig.ws.message_with(rig.room, "contain:0:done")

        outage.begin()
        try:
            typed = await rig.ws.command(SAM, rig.room, "note while away")
            clicked = await rig.ws.click(SAM, button, "contain:0:done")
        finally:
            outage.end()
        assert (typed.status, typed.json()) == (
            200,
            {"response_type": "ephemeral", "text": TRY_AGAIN},
        )
        assert clicked.status == 200
        assert [m.text for m in rig.slack.ephemerals if m.user == SAM][-1] == TRY_AGAIN
        assert rig.kept.work.failures == []

        assert (await rig.ws.command(SAM, rig.room, "note after")).status == 200
        assert (await rig.ws.click(SAM, button, "contain:0:done")).status == 200
        incident = await rig.deps.store.load(KEY)
        assert incident is not None
        notes = [e.data.get("text") for e in incident.events if e.type == "note"]
        assert notes == ["after"] and 0 in incident.steps
