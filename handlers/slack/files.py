"""Files shared in an incident's channel, recorded as evidence: downloaded with the bot
token, hashed (SHA-256) with their size and type, who shared them and when; the bytes are
kept under RECORDS_DIR (bot.evidence_files).

    await FileEvidence(edge, token, api_url).record("C0123", "F0456", "U0SAM")

A file already recorded (a redelivered event, the same file announced twice) is left alone;
one the bot could not fetch is said to the person who shared it, with what to do instead.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlparse

import aiohttp
from slack_sdk.errors import SlackApiError

from bot import service
from bot.incident import Incident
from bot.views import View
from handlers.downloads import MAX_BYTES, TIMEOUT, NotFetched, read_capped
from handlers.slack.edge import Edge

log = logging.getLogger(__name__)
MAX_NAME = 200  # characters of a file name kept; the evidence text's own limit is 3,000
HIDDEN = ("Cc", "Cf", "Cs", "Zl", "Zp")  # Unicode categories a name may not show raw


def shown_name(name: str) -> str:
    """A shared file's name as recorded and shown: control, format and separator characters
    (a NUL; a right-to-left override that makes 'cod.exe' read 'exe.doc') written as visible
    escapes, and cut to MAX_NAME characters. The name is never used as a path."""
    safe = "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in HIDDEN else c for c in name)
    return safe if len(safe) <= MAX_NAME else safe[: MAX_NAME - 1] + "…"


def marker(file_id: str) -> str:
    return f"Slack file {file_id}"


def recorded(incident: Incident, file_id: str) -> bool:
    return any(e.source == "slack-file" and marker(file_id) in e.text for e in incident.evidence)


def trusted(url: str, api_url: str) -> bool:
    """Only Slack's own hosts (or the API host configured) ever see the bot token."""
    host, api_host = urlparse(url).hostname or "", urlparse(api_url).hostname or ""
    return host == api_host or host == "slack.com" or host.endswith(".slack.com")


async def download(url: str, token: str, limit: int = MAX_BYTES) -> bytes:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        aiohttp.ClientSession(timeout=TIMEOUT) as session,
        session.get(url, headers=headers, allow_redirects=False) as response,
    ):
        if response.status != 200 or response.content_type == "text/html":
            raise NotFetched(f"Slack answered {response.status} for the download")
        return await read_capped(response, limit)


class FileEvidence:
    def __init__(self, edge: Edge, token: str, api_url: str) -> None:
        self.edge, self.token, self.api_url = edge, token, api_url

    async def record(self, channel: str, file_id: str, user: str) -> None:
        key = await self.edge.deps.store.find_by_room("slack", channel)
        incident = await self.edge.deps.store.load(key) if key else None
        if incident is None or recorded(incident, file_id):
            return
        try:
            info = await self._info(file_id)
            content = await self._fetch(info)
        except NotFetched as error:
            said = (
                f"I could not record that file as evidence on {incident.key} ({error}). "
                "Record it with `/ai-incident evidence <link>`."
            )
            await self.edge.tell(channel, user, View(said))
            return
        name = shown_name(str(info.get("name") or file_id))
        actor = await self.edge.actor(user)
        await service.add_evidence(
            self.edge.deps,
            incident.key,
            actor,
            f"{name} ({marker(file_id)})",
            content=content,
            source="slack-file",
            filename=name,
            content_type=str(info.get("mimetype") or ""),
        )

    async def _info(self, file_id: str) -> Mapping[str, Any]:
        try:
            answer = await self.edge.chat.client.files_info(file=file_id)
        except SlackApiError as error:
            raise NotFetched(f"files.info: {error.response.get('error')}") from None
        found = answer.get("file")
        if not isinstance(found, Mapping):
            raise NotFetched("files.info gave no file")
        return found

    async def _fetch(self, info: Mapping[str, Any]) -> bytes:
        url = str(info.get("url_private_download") or info.get("url_private") or "")
        if not trusted(url, self.api_url):
            raise NotFetched("its download link is not on Slack")
        size = info.get("size")
        if isinstance(size, int) and size > MAX_BYTES:  # said before, not found after 100 MB
            raise NotFetched(f"the file is over {MAX_BYTES // (1024 * 1024)} MB")
        try:
            return await download(url, self.token)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise NotFetched(f"the download failed: {error!r}") from None
