"""A channel of its own per incident (rooms.teams.dedicated_channels): made through a fake
Microsoft Graph on 127.0.0.1, the incident run in it end to end, and every way Graph can
say no ending in a thread in the incidents channel that says why."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.ports import ChatError
from bot.runbook import Runbook
from bot.settings import Settings
from bot.tick import tick
from handlers.teams.auth import StaticTokens
from handlers.teams.graph import Graph
from handlers.teams.urls import GRAPH_HOSTS, ServiceUrls
from handlers.teams.wiring import graph_for
from tests.e2e.teams_driver import CHANNEL, text_of
from tests.e2e.teams_rig import (
    ALEX,
    GRAPH_TOKEN,
    KEY,
    POST,
    SAM,
    TITLE,
    TeamsRig,
    acknowledged,
    classified,
    connector,
    contained,
    declared,
    running,
    teams_runbook,
)
from tests.fakes.graph import FakeGraph
from tests.fakes.teams_connector import FakeConnector

__all__ = ["connector"]  # fixture
GROUP = "8c1b1f52-95f1-4a59-9d6b-3f4a3c2f7d10"
NAME = "AI-2026-0001 Report shows another clients figures"  # no apostrophe: Teams forbids it


def dedicated(runbook: Runbook) -> Runbook:
    book = teams_runbook(runbook)
    rooms = replace(book.rooms, teams_group_id=GROUP, teams_dedicated_channels=True)
    return replace(book, rooms=rooms)


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        fake.add_team(GROUP)
        yield fake


@pytest.fixture
async def rig(
    connector: FakeConnector, graph: FakeGraph, runbook: Runbook, tmp_path: Path
) -> AsyncIterator[TeamsRig]:
    async with running(connector, dedicated(runbook), tmp_path, graph) as started:
        yield started


async def test_declare_makes_a_channel_named_for_the_incident(
    rig: TeamsRig, graph: FakeGraph
) -> None:
    room = await declared(rig)

    assert graph.channels(GROUP) == ["General", NAME]
    made = graph.teams[GROUP].channels[1]
    assert room == made["id"] and rig.connector.threads == []  # no thread in #incidents
    (create,) = [c for c in graph.calls if c.method == "POST"]
    assert create.path == f"/v1.0/teams/{GROUP}/channels"
    assert create.body == {
        "displayName": NAME,
        "description": f"AI incident {KEY}: {TITLE}",
        "membershipType": "standard",
    }
    assert create.authorization == f"Bearer {GRAPH_TOKEN}"
    card = rig.tenant.messages(room)[0]
    assert f"{KEY}: {TITLE}" in text_of(card)
    assert "Turn off AI drafts for all users" in rig.tenant.said(room)
    assert f"Declared {KEY}: {TITLE}" in text_of(rig.tenant.messages(POST)[0])
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    assert (incident.room.platform, incident.room.name) == ("teams", NAME)


async def test_the_whole_incident_runs_in_its_channel(rig: TeamsRig) -> None:
    room = await declared(rig)
    await acknowledged(rig)
    card = rig.tenant.messages(room)[0]
    assert card.updates >= 1 and "**Lead:** <at>Sam Okafor</at>" in text_of(card)
    await contained(rig)
    await classified(rig)

    page = next(m for m in rig.tenant.messages(room) if "Paging <at>Sam" in text_of(m))
    reply_thread = page.conversation  # a reply under one of the bot's posts: no key needed
    assert reply_thread == f"{room};messageid={page.id}"
    await rig.tenant.say(SAM, reply_thread, "status")
    assert f"{KEY} status: {TITLE}" in rig.tenant.said(reply_thread)
    new_post = f"{room};messageid=1774540999999"  # a new post in the channel: no key either
    await rig.tenant.say(ALEX, new_post, "evidence https://vendor.example/audit/123")
    assert f"Evidence recorded on {KEY}" in rig.tenant.said(new_post)

    before = len(rig.tenant.messages(room))
    rig.deps.clock.advance(timedelta(hours=24))  # type: ignore[attr-defined]
    assert await tick(rig.deps) >= 1
    assert "Reminder:" in "\n".join(text_of(m) for m in rig.tenant.messages(room)[before:])
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.evidence and incident.owner == "sam"


async def test_a_channel_an_earlier_try_made_is_used_not_made_twice(
    rig: TeamsRig, graph: FakeGraph
) -> None:
    earlier = graph.add_channel(GROUP, NAME.upper())  # Teams compares names without case

    room = await declared(rig)

    assert room == earlier["id"] and graph.channels(GROUP) == ["General", NAME.upper()]
    (look,) = [c for c in graph.calls if c.method == "GET"]
    assert "displayName" in look.query


async def test_without_the_permission_the_room_is_a_thread_that_says_why(
    rig: TeamsRig, graph: FakeGraph, caplog: pytest.LogCaptureFixture
) -> None:
    graph.teams[GROUP].consented = False

    room = await declared(rig)

    assert room.startswith(f"{CHANNEL};messageid=") and graph.channels(GROUP) == ["General"]
    why = text_of(rig.tenant.messages(room)[1])
    assert "This thread is the incident room" in why and "403 Forbidden" in why
    assert "Channel.Create.Group" in why
    assert rig.tenant.with_action(room, "ack:incident_lead")  # the incident goes on
    assert "no dedicated channel for AI-2026-0001, using a thread" in caplog.text


async def test_graph_busy_is_waited_out(rig: TeamsRig, graph: FakeGraph) -> None:
    graph.fail("POST", 429, **{"Retry-After": "3"})
    graph.fail("GET", 503)  # not asked: the retried POST succeeds

    room = await declared(rig)

    assert rig.waits.waits == [3.0] and graph.channels(GROUP) == ["General", NAME]
    assert room == graph.teams[GROUP].channels[1]["id"]


async def test_no_graph_client_means_a_thread_that_says_so(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path
) -> None:
    async with running(connector, dedicated(runbook), tmp_path) as started:
        room = await declared(started)
        why = text_of(started.tenant.messages(room)[1])
    assert room.startswith(f"{CHANNEL};messageid=") and "TEAMS_TENANT_ID" in why


async def test_graph_is_only_called_on_microsofts_hosts(graph: FakeGraph) -> None:
    client = Graph(ServiceUrls(GRAPH_HOSTS), StaticTokens("secret"), base=graph.url)
    try:
        with pytest.raises(ChatError, match="not a Microsoft service URL"):
            await client.create_channel(GROUP, NAME, "")
    finally:
        await client.close()
    assert graph.calls == []  # the token never left
    assert ServiceUrls(GRAPH_HOSTS).allowed("https://graph.microsoft.com/v1.0/")
    assert not ServiceUrls(GRAPH_HOSTS).allowed("https://graph.microsoft.com.evil.example/")


def test_graph_is_set_up_only_where_the_runbook_asks_and_the_tenant_is_known(
    runbook: Runbook, caplog: pytest.LogCaptureFixture
) -> None:
    app = Settings(teams_app_id="3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", teams_app_password="pw")
    tenant = replace(app, teams_tenant_id="tenant-hv")
    assert isinstance(graph_for(dedicated(runbook), tenant), Graph)
    assert graph_for(teams_runbook(runbook), tenant) is None
    assert graph_for(dedicated(runbook), app) is None
    assert "dedicated_channels is on but TEAMS_TENANT_ID is not set" in caplog.text
