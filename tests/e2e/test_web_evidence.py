"""Evidence in the local web chat: an uploaded file is kept byte for byte under RECORDS_DIR
and hashed from its bytes; a link typed as evidence is recorded as a link, not retrieved."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from collections.abc import AsyncIterator
from html import unescape
from pathlib import Path

import pytest
from aiohttp import FormData, web
from aiohttp.test_utils import TestClient, TestServer

from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.service import Deps
from handlers.web.chat import OffsetClock, WebChat
from handlers.web.routes import add_web_chat
from storage.files import RecordsDir
from tests.e2e.test_web_chat import Browser
from tests.fakes.clock import FakeClock

KEY = "AI-2026-0001"
ROOM = "web-ai-2026-0001"
ORIGINAL = b"%PDF-1.7\n\x00\x01binary export of the Acme report\xff\n"


@pytest.fixture
async def browser(
    runbook: Runbook, store: IncidentStore, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[Browser]:
    chat, offset = WebChat(runbook), OffsetClock(clock)
    app = web.Application()
    deps = Deps(runbook, store, chat, offset, RecordsDir(tmp_path / "records"))
    add_web_chat(app, deps, chat, offset)
    async with TestClient(TestServer(app)) as client:
        yield Browser(client, chat, store, offset)


def upload(content: bytes, name: str = "acme-q1.pdf") -> FormData:
    data = FormData()
    data.add_field("room", ROOM)
    data.add_field("key", KEY)
    data.add_field("text", "The report as sent to Acme")
    data.add_field("file", content, filename=name, content_type="application/pdf")
    return data


async def test_an_uploaded_files_stored_hash_is_the_sha256_of_the_original(
    browser: Browser, tmp_path: Path
) -> None:
    await browser.declare()
    page = await browser.open(ROOM)
    assert 'action="/evidence" enctype="multipart/form-data"' in page
    response = await browser.client.post("/evidence", data=upload(ORIGINAL))
    assert response.status == 200
    incident = await browser.store.load(KEY)
    assert incident is not None
    [item] = incident.evidence
    kept = tmp_path / "records" / item.stored
    assert kept.read_bytes() == ORIGINAL
    assert item.sha256 == hashlib.sha256(ORIGINAL).hexdigest() == kept.name
    original = tmp_path / "original.pdf"
    original.write_bytes(ORIGINAL)
    if shutil.which("sha256sum"):  # the check a reader of the record would make
        said = subprocess.run(["sha256sum", str(original)], capture_output=True, check=True)
        assert said.stdout.decode().split()[0] == item.sha256
    assert (item.size, item.content_type, item.filename) == (
        len(ORIGINAL),
        "application/pdf",
        "acme-q1.pdf",
    )
    assert item.source == "web-upload" and not item.link


async def test_an_uploaded_files_name_never_becomes_a_path(
    browser: Browser, tmp_path: Path
) -> None:
    await browser.declare()
    response = await browser.client.post("/evidence", data=upload(b"x", "../../etc/passwd"))
    assert response.status == 200
    incident = await browser.store.load(KEY)
    assert incident is not None
    assert incident.evidence[0].stored == f"evidence/{KEY}/{hashlib.sha256(b'x').hexdigest()}"
    assert not (tmp_path / "etc").exists() and not (tmp_path.parent / "etc").exists()


async def test_an_empty_upload_is_refused_and_records_nothing(browser: Browser) -> None:
    await browser.declare()
    response = await browser.client.post("/evidence", data=upload(b""))
    assert "That file is empty" in unescape(await response.text())
    incident = await browser.store.load(KEY)
    assert incident is not None and incident.evidence == ()


async def test_a_link_is_recorded_as_a_link_not_retrieved(browser: Browser) -> None:
    await browser.declare()
    await browser.open(ROOM)
    page = await browser.command("evidence https://vendor.example/audit/123")
    assert "(link, not retrieved; sha256 " in unescape(page)
    incident = await browser.store.load(KEY)
    assert incident is not None and incident.evidence[0].link
    assert (
        incident.evidence[0].sha256
        == hashlib.sha256(b"https://vendor.example/audit/123").hexdigest()
    )
