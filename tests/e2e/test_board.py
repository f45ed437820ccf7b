"""The incident board as a partner sees it: every incident, every clock."""

from __future__ import annotations

from datetime import timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.service import Deps
from handlers.web.board import add_board
from tests.conftest import SEED_T0
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed


async def client_for(deps: Deps, open_to_loopback: bool) -> TestClient:
    app = web.Application()
    add_board(app, deps, token="s3cret-board", open_to_loopback=open_to_loopback)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


async def test_the_board_shows_each_open_incident_with_its_next_deadline(deps: Deps) -> None:
    incident = await classified_seed(deps)
    client = await client_for(deps, open_to_loopback=True)
    try:
        page = await (await client.get("/board")).text()
        one = await (await client.get(f"/board/{incident.key}")).text()
    finally:
        await client.close()
    assert incident.key in page
    assert "Tell Acme Ltd (contract clause 14.2): pending — 23h 50m left" in page
    assert "Report the breach to the ICO" in one and "2d 23h left" in one


async def test_clocks_under_six_hours_are_red_and_overdue_ones_bold(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await classified_seed(deps)
    clock.set(SEED_T0 + timedelta(hours=68))
    client = await client_for(deps, open_to_loopback=True)
    try:
        page = await (await client.get("/board")).text()
        one = await (await client.get(f"/board/{incident.key}")).text()
    finally:
        await client.close()
    assert '<td class="overdue">Tell Acme Ltd (contract clause 14.2): overdue' in page
    assert '<li class="urgent">Report the breach to the ICO' in one
    assert '<li class="overdue">Notify the PI insurer' in one


async def test_an_incident_page_lists_answers_evidence_and_timeline(deps: Deps) -> None:
    incident = await classified_seed(deps)
    client = await client_for(deps, open_to_loopback=True)
    try:
        page = await (await client.get(f"/board/{incident.key}")).text()
        missing = await client.get("/board/AI-2026-9999")
    finally:
        await client.close()
    assert "Does it involve information about identifiable living people?" in page
    assert "declared" in page and missing.status == 404


@pytest.mark.parametrize("credential", [None, "Bearer wrong"])
async def test_beyond_loopback_the_board_refuses_a_request_without_the_token(
    deps: Deps, credential: str | None
) -> None:
    await classified_seed(deps)
    client = await client_for(deps, open_to_loopback=False)
    headers = {"Authorization": credential} if credential else {}
    try:
        refused = await client.get("/board", headers=headers)
        refused_text = await refused.text()
        allowed = await client.get("/board", headers={"Authorization": "Bearer s3cret-board"})
    finally:
        await client.close()
    assert refused.status == 401 and "AI-2026-0001" not in refused_text
    assert allowed.status == 200
