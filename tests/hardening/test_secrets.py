"""Secrets never leave: after a whole incident run over Slack with distinctive secret values
(bot token, signing secret, board token, a database password), none of them is in any log
line at DEBUG, anything sent to Slack, any page or error answered, any export, report,
evidence pack, register or draft."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import logging
import subprocess
import sys
import zipfile
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.web.async_client import AsyncWebClient

from ai_incident import cli
from bot import service
from bot.decisions import CloseForm
from bot.papers import drafts
from bot.runbook import Runbook
from bot.service import Deps
from bot.settings import Settings
from handlers.slack.app import build_slack_app
from handlers.slack.chat import SlackChat
from handlers.slack.routes import add_slack_routes
from handlers.slack.web_api import Pacer
from handlers.web.board import add_board
from handlers.work import Work
from tests.conftest import ROOT, SEED_T0, person
from tests.e2e.slack_driver import FORM, SECRET, Workspace, signed
from tests.e2e.slack_rig import (
    ALEX,
    KEY,
    LEE,
    PRIYA,
    SAM,
    Rig,
    Ticks,
    acknowledged,
    classified,
    contained,
    declared,
    store_at,
)
from tests.fakes.clock import FakeClock
from tests.fakes.slack_api import FakeSlack

BOT_TOKEN = "xoxb-1111-2222-SECRETbotTOKENq7w8e9"
BOARD_TOKEN = "board-SECRETboardTOKENz1x2c3"
DB_PASSWORD = "SECRETdbPASSWORDp0o9i8"
SECRETS = (BOT_TOKEN, SECRET, BOARD_TOKEN, DB_PASSWORD)


def leaked(text: str) -> list[str]:
    """The secrets (or a telling part of one) found in `text`."""
    return [s for s in SECRETS if s in text or s[-12:] in text]


@pytest.fixture
async def secret_rig(runbook: Runbook, tmp_path: Path) -> AsyncIterator[tuple[Rig, TestClient]]:
    async with FakeSlack(BOT_TOKEN, clock=Ticks()) as slack:
        slack.add_user(LEE, "lee@harbourvale.example", "Lee Chen")
        slack.add_user(SAM, "sam@harbourvale.example", "Sam Okafor")
        slack.add_user(PRIYA, "priya@harbourvale.example", "Priya Shah", deleted=True)
        slack.add_user(ALEX, "alex@harbourvale.example", "Alex Morgan")
        ticks = Ticks()
        client = AsyncWebClient(token=BOT_TOKEN, base_url=slack.url)
        store = store_at(tmp_path)
        chat = SlackChat(client, runbook, Pacer(1.0, ticks, ticks.sleep), store)
        deps = Deps(runbook, store, chat, FakeClock(SEED_T0 + timedelta(minutes=10)))
        settings = Settings(
            slack_bot_token=BOT_TOKEN, slack_signing_secret=SECRET, slack_api_url=slack.url
        )
        work = Work()
        app = web.Application()
        add_slack_routes(app, build_slack_app(deps, settings, chat, work), SECRET)
        add_board(app, deps, BOARD_TOKEN, open_to_loopback=False)
        async with TestClient(TestServer(app)) as http:
            general = slack.add_channel("general", is_private=False, members=[LEE, SAM, ALEX])
            yield Rig(Workspace(http, slack, work), slack, deps, work, ticks, general), http


async def whole_incident(rig: Rig) -> None:
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    await rig.ws.command(SAM, rig.room, "evidence https://vendor.example/audit/123")
    await rig.ws.command(SAM, rig.room, "note Vendor confirmed the cache bug")
    rig.slack.add_file("F0TRACE", "trace.json", b'{"trace": "rows"}', SAM, rig.room)
    event = {"type": "file_shared", "file_id": "F0TRACE", "user_id": SAM, "channel_id": rig.room}
    await rig.ws.event(event, "Ev0FILE")
    await rig.ws.command(LEE, rig.room, "aware 2026-03-26T14:00+00:00 earlier")  # refused
    await rig.ws.command(SAM, rig.room, "frobnicate")  # unknown: help
    priya = person(rig.deps.runbook, "priya")
    form = CloseForm(
        "Session cache shared between users",
        criteria=rig.deps.runbook.reenable_criteria,
        override_reason="Partner accepts the open notices",
    )
    await service.close(rig.deps, KEY, priya, form)


async def error_answers(rig: Rig, http: TestClient) -> list[str]:
    """What refused and failed requests are answered, on the Slack route and the board."""
    body = "command=%2Fai-incident&text=list&user_id=U0SAMOKAFOR&channel_id=C1"
    said = [
        (await rig.ws.send(body, FORM, signed(body, secret="wrong"))).body,
        (await rig.ws.send(body, FORM, signed(body, at=1))).body,
        (await rig.ws.send("payload=%7Bnot", FORM)).body,
        (await rig.ws.send(body, FORM, {})).body,
    ]
    for path, query in (("/board", {}), ("/board", {"token": "wrong"}), ("/board/X", {})):
        said.append(await (await http.get(path, params=query)).text())
    # With the token (a login by link, as the README describes): the pages, not the token.
    for path in ("/board", f"/board/{KEY}", "/board/AI-2026-9999"):
        said.append(await (await http.get(path, params={"token": BOARD_TOKEN})).text())
    return said


def exports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every CLI output over the incident's database, run as an operator would with the
    same environment as the server (so the secrets are there to leak)."""
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'incidents.db'}")
    monkeypatch.setenv("RUNBOOK_PATH", str(ROOT / "runbook.yaml"))
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SECRET)
    monkeypatch.setenv("BOARD_TOKEN", BOARD_TOKEN)
    runs = [
        ["export", KEY, "--format", "json"],
        ["export", KEY, "--format", "md"],
        ["export", KEY, "--format", "html"],
        ["list", "--json"],
        ["list"],
        ["verify", KEY],
        ["register", "--format", "csv"],
        ["register", "--format", "md"],
        ["eval-cases"],
        ["export", "AI-2026-9999"],
        *(["draft", KEY, kind] for kind in drafts.KINDS),
        ["evidence-pack", KEY, "--out", str(tmp_path / "pack.zip")],
    ]
    outputs = []
    for argv in runs:
        out, err = io.StringIO(), io.StringIO()
        with pytest.MonkeyPatch.context() as streams:
            streams.setattr(sys, "stdout", out)
            streams.setattr(sys, "stderr", err)
            with contextlib.suppress(SystemExit):  # "there is no incident" exits 1
                cli.main(argv)
        outputs += [out.getvalue(), err.getvalue()]
    with zipfile.ZipFile(tmp_path / "pack.zip") as pack:
        outputs += [pack.read(name).decode("utf-8", "replace") for name in pack.namelist()]
    return outputs


async def test_no_secret_reaches_a_log_a_message_a_page_or_an_export(
    secret_rig: tuple[Rig, TestClient],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    rig, http = secret_rig
    await whole_incident(rig)
    answers = await error_answers(rig, http)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.closed_at is not None  # the run was whole
    outputs = await asyncio.to_thread(exports, tmp_path, monkeypatch)
    assert any('"key": "AI-2026-0001"' in o for o in outputs)  # the exports ran
    sent = json.dumps([c.params for c in rig.slack.calls], ensure_ascii=False)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    assert "GET /board?token=<hidden> " in logged  # the login by link was logged, hidden
    for where, text in (("logs", logged), ("Slack", sent), *(("answer", a) for a in answers)):
        assert leaked(text) == [], f"a secret in the {where}: {text[:3000]}"
    for output in outputs:
        assert leaked(output) == [], output[:3000]


def test_a_database_password_is_not_shown_when_the_database_cannot_be_reached(
    tmp_path: Path,
) -> None:
    """Port 9 (discard) refuses at once on loopback: the CLI fails, without the password."""
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": f"postgresql://incident:{DB_PASSWORD}@127.0.0.1:9/incidents",
        "RUNBOOK_PATH": str(ROOT / "runbook.yaml"),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SECRET,
    }
    done = subprocess.run(
        [str(Path(sys.executable).parent / "ai-incident"), "list", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode != 0 and "127.0.0.1" in done.stderr
    assert leaked(done.stdout + done.stderr) == [], done.stderr[-3000:]
