"""The board beyond loopback (what tests/e2e/test_board.py leaves out): every page and every
way of offering a credential is refused without the right token, and with no BOARD_TOKEN
set at all nothing is shown."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.service import Deps
from handlers.web.board import COOKIE, add_board
from tests.service.test_seed_case import classified_seed

TOKEN = "board-7Kq2-token"


@pytest.fixture(params=[TOKEN, ""], ids=["token set", "no token set"])
async def board(request: pytest.FixtureRequest, deps: Deps) -> AsyncIterator[TestClient]:
    await classified_seed(deps)
    app = web.Application()
    add_board(app, deps, token=request.param, open_to_loopback=False)
    async with TestClient(TestServer(app)) as client:
        yield client


PATHS = ("/board", "/board/", "/board/AI-2026-0001", "/board/ai-2026-0001", "/board/x/../")
OFFERED: list[dict[str, dict[str, str]]] = [
    {},
    {"headers": {"Authorization": "Bearer "}},
    {"headers": {"Authorization": f"Bearer {TOKEN[:-1]}"}},
    {"headers": {"Authorization": f"Bearer {TOKEN}x"}},
    {"headers": {"Authorization": f"Basic {TOKEN}"}},
    {"headers": {"Authorization": "Bearer ✓ñ"}},
    {"params": {"token": ""}},
    {"params": {"token": "wrong"}},
    {"cookies": {COOKIE: "wrong"}},
]


async def test_without_the_token_no_board_page_is_shown(board: TestClient) -> None:
    for path in PATHS:
        for offered in OFFERED:
            board.session.cookie_jar.clear()
            board.session.cookie_jar.update_cookies(offered.get("cookies", {}))
            response = await board.get(
                path, headers=offered.get("headers"), params=offered.get("params")
            )
            text = await response.text()
            assert response.status == 401, (path, offered, response.status)
            assert "AI-2026-0001" not in text and "ICO" not in text, (path, offered)
            assert COOKIE not in response.cookies


async def test_with_no_board_token_configured_even_an_empty_one_is_refused(deps: Deps) -> None:
    await classified_seed(deps)
    app = web.Application()
    add_board(app, deps, token="", open_to_loopback=False)
    async with TestClient(TestServer(app)) as client:
        response = await client.get("/board", params={"token": ""})
        assert response.status == 401


@pytest.mark.parametrize("path", ["/board", "/board/AI-2026-0001"])
async def test_the_right_token_opens_each_page(deps: Deps, path: str) -> None:
    """The control: the same requests with the token are answered."""
    await classified_seed(deps)
    app = web.Application()
    add_board(app, deps, token=TOKEN, open_to_loopback=False)
    async with TestClient(TestServer(app)) as client:
        response = await client.get(path, headers={"Authorization": f"Bearer {TOKEN}"})
        assert response.status == 200 and "AI-2026-0001" in await response.text()


async def test_a_login_by_link_drops_the_token_from_the_address_and_keeps_a_derived_cookie(
    deps: Deps,
) -> None:
    await classified_seed(deps)
    app = web.Application()
    add_board(app, deps, token=TOKEN, open_to_loopback=False)
    async with TestClient(TestServer(app)) as client:
        login = await client.get(
            "/board/AI-2026-0001", params={"token": TOKEN}, allow_redirects=False
        )
        assert login.status == 303 and login.headers["Location"] == "/board/AI-2026-0001"
        session = login.cookies[COOKIE]
        assert session.value and TOKEN not in session.value and session["httponly"]

        page = await client.get("/board")  # the cookie alone
        assert page.status == 200 and "AI-2026-0001" in await page.text()

        client.session.cookie_jar.clear()
        client.session.cookie_jar.update_cookies({COOKIE: TOKEN})  # the raw token is no session
        assert (await client.get("/board")).status == 401
