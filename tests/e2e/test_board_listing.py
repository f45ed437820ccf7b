"""The board's list as a partner pages through it: fifty incidents a page, open, overdue or
closed, each with its next deadline, read from the list rows without loading an incident."""

from __future__ import annotations

from datetime import timedelta

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.incident import Incident, replay
from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.schedule import desired_reminders
from bot.service import Deps
from bot.timeline import BOT, chain
from handlers.web.board import add_board
from handlers.web.board_list import PER_PAGE
from storage.memory import MemoryStore
from tests.conftest import SEED_T0
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock


class ListOnlyStore(MemoryStore):
    """A store that refuses to load a whole incident: the list must not need one."""

    async def load(self, key: str, whole: bool = True) -> Incident | None:
        raise AssertionError(f"the board loaded {key} to list it")


async def stored(store: IncidentStore, runbook: Runbook, n: int, clocks: bool) -> None:
    key, at = f"AI-2026-{n:04d}", SEED_T0 + timedelta(minutes=n)
    data = {"title": f"incident {n}", "system": "drafting-assistant", "failure_type": "other"}
    events = [chain(None, key, at, BOT, "declared", data | {"aware_at": at.isoformat()})]
    if clocks:
        opened = {"clock": "ico_art33", "because": "Q3"}
        events.append(chain(events[-1], key, at, BOT, "obligation_opened", opened))
    incident = replay(key, events)
    await store.save(incident, events, desired_reminders(incident, runbook))


async def get(deps: Deps, path: str) -> tuple[int, str]:
    app = web.Application()
    add_board(app, deps, token="", open_to_loopback=True)
    client = TestClient(TestServer(app))
    await client.start_server()
    try:
        response = await client.get(path)
        return response.status, await response.text()
    finally:
        await client.close()


async def test_the_board_pages_open_incidents_fifty_at_a_time_without_loading_one(
    runbook: Runbook, clock: FakeClock, chat: FakeChat
) -> None:
    store = ListOnlyStore()
    for n in range(1, PER_PAGE + 6):
        await stored(store, runbook, n, clocks=n % 2 == 0)
    deps = Deps(runbook, store, chat, clock)
    _, first = await get(deps, "/board")
    _, second = await get(deps, "/board?view=open&page=2")
    assert "AI-2026-0055" in first and "AI-2026-0006" in first and "AI-2026-0005" not in first
    assert 'rel="next" href="/board?view=open&amp;page=2"' in first
    assert "AI-2026-0005" in second and "AI-2026-0001" in second
    assert "next page" not in second and 'rel="prev"' in second
    assert "Report the breach to the ICO: pending — 2d 23h" in first


async def test_overdue_shows_only_incidents_past_a_deadline(
    runbook: Runbook, clock: FakeClock, chat: FakeChat
) -> None:
    store = ListOnlyStore()
    await stored(store, runbook, 1, clocks=True)
    await stored(store, runbook, 2, clocks=False)
    clock.set(SEED_T0 + timedelta(hours=80))
    _, page = await get(Deps(runbook, store, chat, clock), "/board?view=overdue")
    assert "AI-2026-0001" in page and "AI-2026-0002" not in page
    assert '<td class="overdue">Report the breach to the ICO: overdue' in page


async def test_a_view_or_page_the_board_lacks_is_a_clear_refusal(deps: Deps) -> None:
    bad_view = await get(deps, "/board?view=everything")
    bad_page = await get(deps, "/board?page=0")
    assert bad_view == (400, "There is no 'everything' list; there are open, overdue, closed.")
    assert bad_page[0] == 400 and "whole number from 1" in bad_page[1]
