"""What reaches POST /api/messages and what the bot sends back out, at the edges: JWT,
forged service URLs, malformed activities, and the connector's 429, 403 and 5xx answers."""

from __future__ import annotations

import copy

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import notices, service
from bot.papers.export import export_json
from bot.ports import ChatError
from handlers.teams.auth import Inbound
from handlers.teams.urls import ServiceUrls
from storage.conversations import Reference
from tests.conftest import person
from tests.e2e.teams_driver import fixture
from tests.e2e.teams_rig import (
    KEY,
    LEE,
    POST,
    TOKEN,
    TeamsRig,
    acknowledged,
    connector,
    declared,
    teams_app,
    teams_rig,
)
from tests.fakes.teams_connector import FakeConnector

__all__ = ["connector", "teams_rig"]  # fixtures


def activity(url: str) -> dict[str, object]:
    found = copy.deepcopy(fixture("channel_message"))
    found["serviceUrl"] = url
    return found


async def test_with_an_app_id_a_request_without_a_valid_token_is_401(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    urls = ServiceUrls(extra=(rig.connector.url,))
    app = teams_app(
        rig.deps, rig.chat, urls, rig.kept, Inbound("3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d")
    )
    async with TestClient(TestServer(app)) as http:
        for headers in ({}, {"Authorization": "Bearer not.a.jwt"}, {"Authorization": "Basic x"}):
            async with http.post(
                "/api/messages", json=activity(rig.connector.url), headers=headers
            ) as r:
                assert r.status == 401
    assert rig.connector.calls == []


async def test_a_forged_service_url_never_receives_the_token(teams_rig: TeamsRig) -> None:
    async with FakeConnector() as evil:
        assert await teams_rig.tenant.send(activity(evil.url)) == 400
        assert (
            await teams_rig.tenant.send(activity("https://smba.trafficmanager.net.evil.example/"))
            == 400
        )
        ref = Reference("teams", "19:forged@thread.tacv2", evil.url, "tenant-hv", {})
        await teams_rig.chat.conversations.remember(ref, teams_rig.deps.clock.now())
        with pytest.raises(ChatError, match="not a Microsoft service URL"):
            await teams_rig.chat.connector.send(evil.url, "19:forged@thread.tacv2", {})
        assert evil.calls == []


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        b"[1, 2]",
        b'{"type": "message"}',
        b'{"type": "message", "conversation": {"id": "19:x"}, "serviceUrl": 7}',
    ],
)
async def test_what_teams_would_never_send_is_400(teams_rig: TeamsRig, body: bytes) -> None:
    headers = {"Content-Type": "application/json"}
    async with teams_rig.tenant.http.post("/api/messages", data=body, headers=headers) as r:
        assert r.status == 400 and "Traceback" not in await r.text()


async def test_a_submit_no_card_of_ours_carries_is_400(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    card = rig.tenant.with_action(rig.room, "ack:incident_lead")
    assert await rig.tenant.submit(LEE, card, {"action": "rm:-rf"}, {}) == 400
    assert await rig.tenant.submit(LEE, card, {"form": "nope"}, {}) == 400


async def test_a_short_429_is_waited_out_and_a_long_one_handed_back(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    rig.connector.fail("POST", 429, **{"Retry-After": "2"})
    await rig.chat.post(incident.room, notices.text(incident, "after a pause"))
    assert rig.waits.waits == [2.0] and "after a pause" in rig.tenant.said(rig.room)
    rig.connector.fail("POST", 429, **{"Retry-After": "120"})
    with pytest.raises(ChatError) as raised:
        await rig.chat.post(incident.room, notices.text(incident, "later"))
    assert raised.value.retry_after == 120.0


async def test_412_502_and_504_are_retried(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    for status in (412, 502, 504):
        rig.connector.fail("PUT", status)
    await acknowledged(rig)  # its page is updated in place through the three failures
    page = next(m for m in rig.tenant.messages(rig.room) if "Acknowledged by" in str(m.cards))
    assert page.updates == 1 and rig.connector.count("PUT") >= 4


async def test_403_marks_the_thread_blocked_says_so_and_stops_sending(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    rig.connector.fail("POST", 403)
    with pytest.raises(ChatError):
        await rig.chat.post(incident.room, notices.text(incident, "anyone there?"))
    ref = await rig.chat.conversations.find("teams", rig.room)
    assert ref is not None and ref.blocked_at is not None
    calls = len(rig.connector.calls)
    with pytest.raises(ChatError, match="removed"):
        await rig.chat.post(incident.room, notices.text(incident, "still there?"))
    assert len(rig.connector.calls) == calls
    record = await rig.deps.store.load(KEY)
    assert record is not None
    said = export_json(record, [], rig.deps.runbook, rig.deps.clock.now())
    notes = [e["data"]["text"] for e in said["timeline"] if e["type"] == "note"]
    assert any("removed from this incident's thread" in n for n in notes)


async def test_after_the_bot_is_removed_messages_are_recorded_not_queued(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    await declared(rig)
    sam = person(rig.deps.runbook, "sam")
    await service.acknowledge(rig.deps, KEY, sam)  # its page is updated in place
    await rig.chat.conversations.block("teams", rig.room, rig.deps.clock.now())
    calls = len(rig.connector.calls)

    await service.handover(rig.deps, KEY, sam, "priya", "off shift")  # news: posted

    assert len(rig.connector.calls) == calls  # nothing sent to Teams
    record = await rig.deps.store.load(KEY)
    assert record is not None
    failed = [e for e in record.events if e.type == "undelivered"]
    assert failed and all(e.data["again"] is False for e in failed)
    assert not [r for r in await rig.deps.store.reminders(KEY) if r.kind == "repost"]


async def test_every_inbound_activity_refreshes_the_stored_service_url(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await rig.tenant.say(LEE, POST, "help")
    ref = await rig.chat.conversations.find("teams", POST)
    assert ref is not None and ref.service_url == rig.connector.url
    assert (await rig.chat.conversations.find("teams", "19:incidents@thread.tacv2")) is not None
    assert all(c.authorization == f"Bearer {TOKEN}" for c in rig.connector.calls)


async def test_an_activity_from_another_tenant_is_403_and_changes_nothing(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    elsewhere = activity(rig.connector.url)
    elsewhere["channelData"] = {"tenant": {"id": "tenant-of-someone-else"}}
    elsewhere["conversation"] = {"id": "19:their-channel@thread.tacv2", "tenantId": "x"}
    elsewhere["text"] = "<at>AI Incident</at> declare Their incident"

    assert await rig.tenant.send(elsewhere) == 403

    assert rig.connector.calls == []
    assert await rig.chat.conversations.latest("teams") is None  # not even remembered
