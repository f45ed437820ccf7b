"""What every browser test shares: Debian's Chromium (skipped, with the reason printed,
where it is not installed; CI installs it and sets REQUIRE_BROWSER=1, which turns the skip
into a failure) and the local web chat and board served on an ephemeral loopback port.

    need_browser()
    async with serving(runbook, clock, tmp_path / "incidents.db") as server:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from playwright.async_api import Page, async_playwright

from bot.runbook import Runbook
from bot.service import Deps
from handlers.web.board import add_board
from handlers.web.chat import OffsetClock, WebChat
from handlers.web.routes import add_web_chat
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import ROOT
from tests.fakes.clock import FakeClock

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "tests" / "artifacts"
DEADLINE_S = 300
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def need_browser() -> None:
    if Path(CHROMIUM).exists():
        return
    reason = f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    if os.environ.get("REQUIRE_BROWSER") == "1":
        pytest.fail(reason)
    print(f"SKIPPED browser test: {reason}")
    pytest.skip(reason)


@asynccontextmanager
async def chromium(**page: Any) -> AsyncIterator[Page]:
    """A page in headless Chromium (`page`: Playwright's new_page options), under one
    deadline for the whole test: a stuck browser fails it, never stalls CI."""
    need_browser()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with asyncio.timeout(DEADLINE_S), async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        opened = await browser.new_page(**page)
        opened.set_default_timeout(15_000)
        try:
            yield opened
        finally:
            await browser.close()


@asynccontextmanager
async def serving(runbook: Runbook, clock: FakeClock, db: Path) -> AsyncIterator[str]:
    """The local chat and board over a real SQLite file, on an ephemeral loopback port."""
    url = f"sqlite:///{db}"
    upgrade(url)
    chat, offset = WebChat(runbook), OffsetClock(clock)
    deps = Deps(runbook, SqlStore(make_engine(url)), chat, offset)
    app = web.Application()
    add_web_chat(app, deps, chat, offset)
    add_board(app, deps, token="", open_to_loopback=True)
    async with TestServer(app, host="127.0.0.1") as test_server:
        yield str(test_server.make_url("/"))
