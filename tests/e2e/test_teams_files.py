"""A file Teams attaches to `@AI Incident evidence` (a file download info, as Teams gives it
where the chat supports files): downloaded without the bot's token, kept and hashed."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.runbook import Runbook
from handlers.teams.files import FILE_INFO
from tests.e2e.teams_rig import KEY, SAM, TeamsRig, connector, declared, running, teams_runbook
from tests.fakes.loopback import LoopbackServer
from tests.fakes.teams_connector import FakeConnector

__all__ = ["connector"]  # fixtures
ORIGINAL = b"%PDF-1.7\n\x00\xffthe Acme report as sent\n"


class FakeSharePoint(LoopbackServer):
    """Pre-authenticated download links: the bytes for anyone holding the URL."""

    def __init__(self) -> None:
        super().__init__()
        self.authorizations: list[str] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/download/{name}", self._download)

    async def _download(self, request: web.Request) -> web.Response:
        self.authorizations.append(request.headers.get("Authorization", ""))
        return web.Response(body=ORIGINAL, content_type="application/pdf")


@pytest.fixture
async def sharepoint() -> AsyncIterator[FakeSharePoint]:
    async with FakeSharePoint() as fake:
        yield fake


@pytest.fixture
async def rig(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path, sharepoint: FakeSharePoint
) -> AsyncIterator[TeamsRig]:
    book = teams_runbook(runbook)
    async with running(connector, book, tmp_path, files=(sharepoint.origin,)) as made:
        yield made


def with_file(rig: TeamsRig, url: str) -> dict[str, Any]:
    activity = rig.tenant._from("channel_message", SAM, rig.room)
    activity["text"] = "<at>AI Incident</at> evidence The report as sent to Acme"
    content = {"downloadUrl": url, "uniqueId": "1150D938", "fileType": "pdf"}
    attachment = {"contentType": FILE_INFO, "name": "acme-q1.pdf", "content": content}
    activity["attachments"] = [attachment]
    return activity


async def test_an_attached_file_is_kept_and_its_hash_is_the_sha256_of_the_original(
    rig: TeamsRig, sharepoint: FakeSharePoint, tmp_path: Path
) -> None:
    await declared(rig)
    assert await rig.tenant.send(with_file(rig, sharepoint.origin + "/download/a")) == 202
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    [item] = incident.evidence
    assert item.sha256 == hashlib.sha256(ORIGINAL).hexdigest()
    assert (tmp_path / "records" / item.stored).read_bytes() == ORIGINAL
    assert (item.size, item.content_type, item.source) == (
        len(ORIGINAL),
        "application/pdf",
        "teams-file",
    )
    assert sharepoint.authorizations == [""]  # the bot's token never goes to the file host
    assert f"Evidence recorded on {KEY}: acme-q1.pdf (sha256 {item.sha256})" in (
        rig.tenant.said(rig.room)
    )


async def test_a_file_link_off_sharepoint_is_not_fetched_and_the_sharer_is_told(
    rig: TeamsRig, sharepoint: FakeSharePoint
) -> None:
    await declared(rig)
    assert await rig.tenant.send(with_file(rig, "https://files.evil.example/a")) == 202
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.evidence == ()
    assert "I could not record acme-q1.pdf as evidence" in rig.tenant.said(rig.room)
    assert sharepoint.authorizations == []
