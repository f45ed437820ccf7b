"""The Chat port's contract, held by every implementation: the fake chat the service tests
use, Slack over its Web API, Teams over the Bot Framework connector, and the local web chat.

Each implementation comes with a reader of what people in the room would see (the fake
Slack's channel, the fake connector's conversation, the web chat's room, the fake chat's
record), so the suite asserts on what arrived, never on how it was sent.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot import notices
from bot.incident import Incident, Room
from bot.ports import Chat, ChatError, Undeliverable
from bot.runbook import Runbook
from bot.service import Deps
from handlers.slack.chat import SlackChat
from handlers.slack.web_api import Pacer
from handlers.teams.auth import StaticTokens
from handlers.teams.chat import TeamsChat
from handlers.teams.connector import Connector
from handlers.teams.urls import ServiceUrls
from handlers.web.chat import WebChat
from storage.conversations import Conversations, Reference
from storage.engine import make_engine
from storage.memory import MemoryStore
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import SEED_T0
from tests.e2e.slack_rig import ALEX, LEE, PRIYA, SAM, Ticks
from tests.e2e.teams_driver import CHANNEL
from tests.e2e.teams_rig import Waits, teams_runbook
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.fakes.slack_api import FakeSlack
from tests.fakes.teams_connector import FakeConnector
from tests.service.test_seed_case import declare_seed

NOW = SEED_T0 + timedelta(minutes=10)


@dataclass
class Under:
    """One implementation, with what a test needs to read its rooms and to break it."""

    chat: Chat
    shown: Callable[[Room], list[str]]  # each message in the room as stored, in order
    outage: Callable[[], None] | None = None  # the next send meets a platform outage
    shut_out: Callable[[Room], None] | None = None  # the bot can no longer send to the room


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


@asynccontextmanager
async def _fake(runbook: Runbook, tmp_path: Path) -> AsyncIterator[Under]:
    chat = FakeChat(runbook)

    def shown(room: Room) -> list[str]:
        return [m.text for m in chat.messages.values() if m.room == room.id]

    def outage() -> None:
        chat.fail_next = 1

    def shut_out(room: Room) -> None:
        chat.gone = True

    yield Under(chat, shown, outage, shut_out)


@asynccontextmanager
async def _slack(runbook: Runbook, tmp_path: Path) -> AsyncIterator[Under]:
    async with FakeSlack("xoxb-contract", clock=Ticks()) as slack:
        for user, email, name in (
            (LEE, "lee@harbourvale.example", "Lee Chen"),
            (SAM, "sam@harbourvale.example", "Sam Okafor"),
            (PRIYA, "priya@harbourvale.example", "Priya Shah"),
            (ALEX, "alex@harbourvale.example", "Alex Morgan"),
        ):
            slack.add_user(user, email, name)
        url = f"sqlite:///{tmp_path / 'slack.db'}"
        upgrade(url)
        ticks = Ticks()
        client = AsyncWebClient(token="xoxb-contract", base_url=slack.url)
        chat = SlackChat(
            client, runbook, Pacer(1.0, ticks, ticks.sleep), SqlStore(make_engine(url))
        )

        def shown(room: Room) -> list[str]:
            return [_dump([m.text, m.blocks]) for m in slack.messages.get(room.id, [])]

        def outage() -> None:
            slack.server_error("chat.postMessage", 503, times=10)
            slack.server_error("chat.update", 503, times=10)

        def shut_out(room: Room) -> None:
            slack.state.channels[room.id].is_archived = True

        yield Under(chat, shown, outage, shut_out)


@asynccontextmanager
async def _teams(runbook: Runbook, tmp_path: Path) -> AsyncIterator[Under]:
    async with FakeConnector() as connector:
        url = f"sqlite:///{tmp_path / 'teams.db'}"
        upgrade(url)
        engine = make_engine(url)
        conversations = Conversations(engine)
        bot = {"id": "28:bot", "name": "AI Incident"}
        reference = {"bot": bot, "conversation": {"id": CHANNEL, "isGroup": True}}
        await conversations.remember(
            Reference("teams", CHANNEL, connector.url, "tenant-hv", reference), NOW
        )
        wire = Connector(ServiceUrls(extra=(connector.url,)), StaticTokens("t"), sleep=Waits())
        store = SqlStore(engine)
        book = teams_runbook(runbook)
        chat = TeamsChat(
            wire, book, conversations, FakeClock(NOW), store=store, tenant_id="tenant-hv"
        )
        try:

            def shown(room: Room) -> list[str]:
                thread = [s for s in connector.messages(room.id)]
                root = [s for s in connector.messages(CHANNEL) if room.id.endswith(s.id)]
                return [_dump(s.activity) for s in (*root, *thread)]

            def outage() -> None:
                connector.fail("POST", 503, times=10)
                connector.fail("PUT", 503, times=10)

            def shut_out(room: Room) -> None:
                connector.fail("POST", 403, times=10)
                connector.fail("PUT", 403, times=10)

            yield Under(chat, shown, outage, shut_out)
        finally:
            await wire.close()


@asynccontextmanager
async def _web(runbook: Runbook, tmp_path: Path) -> AsyncIterator[Under]:
    chat = WebChat(runbook)

    def shown(room: Room) -> list[str]:
        return [_dump(m.view) for m in chat.rooms[room.id].messages]

    yield Under(chat, shown)  # in-process: no outage, and a room is never closed to it


MAKERS: dict[str, Callable[[Runbook, Path], AbstractAsyncContextManager[Under]]] = {
    "fake": _fake,
    "slack": _slack,
    "teams": _teams,
    "web": _web,
}


@pytest.fixture(params=sorted(MAKERS))
async def under(
    request: pytest.FixtureRequest, runbook: Runbook, tmp_path: Path
) -> AsyncIterator[Under]:
    async with MAKERS[request.param](runbook, tmp_path) as made:
        yield made


@pytest.fixture(params=[name for name in sorted(MAKERS) if name != "web"])
async def breakable(
    request: pytest.FixtureRequest, runbook: Runbook, tmp_path: Path
) -> AsyncIterator[Under]:
    """The implementations that talk to a platform that can be away or shut the bot out
    (the local web chat runs in-process, and its rooms stay open to the bot)."""
    async with MAKERS[request.param](runbook, tmp_path) as made:
        assert made.outage is not None and made.shut_out is not None
        yield made


@pytest.fixture
async def incident(runbook: Runbook) -> Incident:
    return await declare_seed(Deps(runbook, MemoryStore(), FakeChat(runbook), FakeClock(NOW)))


def _said(incident: Incident, words: str) -> notices.Notice:
    return notices.text(incident, words)


async def test_a_room_opened_for_an_incident_names_its_platform_and_id(
    under: Under, incident: Incident
) -> None:
    room = await under.chat.open_room(incident)
    assert room.platform and room.id


async def test_a_post_arrives_in_the_room_and_returns_its_message_id(
    under: Under, incident: Incident
) -> None:
    room = await under.chat.open_room(incident)
    before = len(under.shown(room))
    first = await under.chat.post(room, _said(incident, "Vendor confirmed the cache bug"))
    second = await under.chat.post(room, _said(incident, "Drafts moved to the Held folder"))
    shown = under.shown(room)
    assert first and second and first != second
    assert len(shown) == before + 2
    assert "Vendor confirmed the cache bug" in shown[-2]
    assert "Drafts moved to the Held folder" in shown[-1]


async def test_an_update_changes_the_message_in_place(under: Under, incident: Incident) -> None:
    room = await under.chat.open_room(incident)
    message_id = await under.chat.post(room, _said(incident, "Paging the IT lead"))
    count = len(under.shown(room))
    await under.chat.update(room, message_id, _said(incident, "The IT lead acknowledged"))
    shown = under.shown(room)
    assert len(shown) == count
    assert "The IT lead acknowledged" in shown[-1]
    assert not any("Paging the IT lead" in text for text in shown)


async def test_archiving_a_room_twice_is_no_error(under: Under, incident: Incident) -> None:
    room = await under.chat.open_room(incident)
    await under.chat.archive_room(room)
    await under.chat.archive_room(room)


async def test_an_outage_is_a_chat_error_worth_retrying_not_an_undeliverable(
    breakable: Under, incident: Incident
) -> None:
    room = await breakable.chat.open_room(incident)
    assert breakable.outage is not None
    breakable.outage()
    with pytest.raises(ChatError) as raised:
        await breakable.chat.post(room, _said(incident, "Status at 16:00"))
    assert not isinstance(raised.value, Undeliverable)


async def test_a_room_closed_to_the_bot_is_undeliverable(
    breakable: Under, incident: Incident
) -> None:
    room = await breakable.chat.open_room(incident)
    assert breakable.shut_out is not None
    breakable.shut_out(room)
    with pytest.raises(Undeliverable):
        await breakable.chat.post(room, _said(incident, "Status at 16:00"))
