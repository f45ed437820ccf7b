"""The board, /metrics and the local web chat behind a TLS proxy or tunnel, where every
request arrives from 127.0.0.1: with Slack or Teams set, nothing reaches the board without
BOARD_TOKEN whatever forwarding headers a request carries; pages answer only to the names
configured; a form post from a rebound name declares nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer

from ai_incident.main import build
from bot.runbook import Runbook
from bot.settings import Settings
from tests.e2e.slack_rig import settings_for, workspace_slack
from tests.fakes.slack_api import FakeSlack

TOKEN = "board-9Zx-token"
NAME = "incidents.harbourvale.example"
FORWARDED: list[dict[str, str]] = [
    {},
    {"X-Forwarded-For": "127.0.0.1"},
    {"X-Forwarded-For": "203.0.113.9, 127.0.0.1"},
    {"Forwarded": "for=127.0.0.1;proto=https"},
    {"X-Real-IP": "127.0.0.1"},
    {"X-Forwarded-Host": "localhost", "X-Forwarded-Proto": "https"},
]


def platform_settings(slack: FakeSlack, folder: Path, token: str) -> Settings:
    return Settings(
        **{
            **settings_for(slack).__dict__,
            "database_url": f"sqlite:///{folder / 'incidents.db'}",
            "records_dir": folder / "records",
            "board_token": token,
            "allowed_hosts": NAME,
            "trusted_proxies": "127.0.0.1",
        }
    )


@pytest.fixture
async def served(
    request: pytest.FixtureRequest, runbook: Runbook, tmp_path: Path
) -> AsyncIterator[TestClient]:
    async with workspace_slack() as slack:
        app = build(platform_settings(slack, tmp_path, request.param), runbook)
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            yield client


@pytest.mark.parametrize("served", [TOKEN, ""], indirect=True, ids=["token", "no token"])
@pytest.mark.parametrize("path", ["/board", "/board/AI-2026-0001"])
async def test_with_slack_set_no_request_reaches_the_board_without_the_token(
    served: TestClient, path: str
) -> None:
    for headers in FORWARDED:
        response = await served.get(path, headers={"Host": NAME, **headers})
        assert response.status == 401, (path, headers)


@pytest.mark.parametrize("served", [TOKEN], indirect=True)
async def test_with_the_token_the_board_answers_with_security_headers(served: TestClient) -> None:
    response = await served.get(
        "/board", headers={"Host": NAME, "Authorization": f"Bearer {TOKEN}"}
    )
    assert response.status == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("served", [TOKEN], indirect=True)
async def test_a_page_asked_for_under_another_name_or_from_another_site_is_refused(
    served: TestClient,
) -> None:
    bearer = {"Authorization": f"Bearer {TOKEN}"}
    rebound = await served.get("/board", headers={"Host": "evil.example", **bearer})
    assert rebound.status == 421
    origin = {"Host": NAME, "Origin": "https://evil.example", **bearer}
    assert (await served.get("/board", headers=origin)).status == 403
    assert (await served.get("/board", headers={"Host": "localhost:3000", **bearer})).status == 200


@pytest.mark.parametrize("served", [TOKEN], indirect=True)
async def test_metrics_need_the_token_unless_asked_from_this_machine(served: TestClient) -> None:
    assert (await served.get("/metrics")).status == 200
    proxied = {"Host": NAME, "X-Forwarded-For": "203.0.113.9"}
    assert (await served.get("/metrics", headers=proxied)).status == 401
    bearer = {**proxied, "Authorization": f"Bearer {TOKEN}"}
    assert (await served.get("/metrics", headers=bearer)).status == 200


@pytest.mark.parametrize("served", [TOKEN], indirect=True)
async def test_the_login_cookie_is_http_only_strict_expiring_and_secure_behind_https(
    served: TestClient,
) -> None:
    headers = {"Host": NAME, "X-Forwarded-Proto": "https"}
    login = await served.get(
        "/board", params={"token": TOKEN}, headers=headers, allow_redirects=False
    )
    assert login.status == 303
    cookie = login.cookies["board_token"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["secure"]
    assert int(cookie["max-age"]) > 0
    plain = await served.get(
        "/board", params={"token": TOKEN}, headers={"Host": NAME}, allow_redirects=False
    )
    assert not plain.cookies["board_token"]["secure"]  # plain HTTP: a Secure cookie is lost
