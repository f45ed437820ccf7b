"""Files attached to `@AI Incident evidence …` in Teams, recorded as evidence from their bytes.

Teams gives a file's bytes where it attaches a "file download info" (a chat with the bot
that supports files): a pre-authenticated `downloadUrl` on SharePoint, fetched without the
bot's token. In a channel Teams attaches only a link to the file in SharePoint; that is
recorded as a link, not retrieved.

    found = shared_files(turn.attachments)        # [SharedFile(name, url, type)]
    content = await fetch(found[0], ServiceUrls(FILE_HOSTS))
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

import aiohttp

from handlers.downloads import MAX_BYTES, TIMEOUT, NotFetched, read_capped
from handlers.teams.urls import ServiceUrls

FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
# SharePoint and OneDrive hosts that serve Teams' pre-authenticated download links.
FILE_HOSTS = ("sharepoint.com", "sharepoint.us", "sharepoint-df.com", "sharepoint.cn")
MAX_NAME = 200
TYPES = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "txt": "text/plain"}


@dataclass(frozen=True)
class SharedFile:
    name: str
    url: str
    content_type: str


def shared_files(attachments: Sequence[Mapping[str, Any]]) -> list[SharedFile]:
    """The attachments Teams gave bytes for (file download info), in order."""
    found = []
    for a in attachments:
        content = a.get("content")
        if a.get("contentType") != FILE_INFO or not isinstance(content, Mapping):
            continue
        name = PurePath(str(a.get("name") or "file")).name[:MAX_NAME] or "file"
        kind = str(content.get("fileType") or "").lower()
        found.append(SharedFile(name, str(content.get("downloadUrl") or ""), TYPES.get(kind, "")))
    return found


async def fetch(shared: SharedFile, allowed: ServiceUrls, limit: int = MAX_BYTES) -> bytes:
    if not allowed.allowed(shared.url):
        raise NotFetched("its download link is not on SharePoint")
    try:
        async with (
            aiohttp.ClientSession(timeout=TIMEOUT) as session,
            session.get(shared.url, allow_redirects=False) as response,
        ):
            if response.status != 200:
                raise NotFetched(f"SharePoint answered {response.status} for the download")
            return await read_capped(response, limit)
    except (aiohttp.ClientError, TimeoutError) as error:
        raise NotFetched(f"the download failed: {error!r}") from None
