"""The incident's timeline picture, shared into its channel under the close summary.

    await share_timeline(chat, room, notice)   # after the summary's text is in the channel

Slack's upload flow: files.getUploadURLExternal (name, length) → POST the bytes to the URL
it gives → files.completeUploadExternal into the channel. A failure is logged, never raised:
the summary's text is posted first and stands on its own.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import aiohttp

from bot.incident import Incident, Room
from bot.notices import Notice
from bot.papers.picture import timeline_png
from bot.ports import ChatError

if TYPE_CHECKING:
    from handlers.slack.chat import SlackChat

log = logging.getLogger(__name__)
UPLOAD_TIMEOUT_S = 30.0


def picture_name(incident: Incident) -> str:
    """`AI-2026-0001-timeline.png`"""
    return f"{incident.key}-timeline.png"


async def share_timeline(chat: SlackChat, room: Room, notice: Notice) -> str | None:
    """The shared file's id, or None (logged) when drawing or uploading it failed."""
    incident = notice.incident
    at = incident.closed_at or notice.now or datetime.now(UTC)
    try:
        png = timeline_png(incident, chat.runbook, at)
        title = f"{incident.key} timeline"
        return await upload(chat, room.id, picture_name(incident), title, png)
    except (ChatError, OSError, ValueError) as error:
        log.warning("could not share the timeline picture of %s: %s", incident.key, error)
        return None


async def upload(chat: SlackChat, channel: str, name: str, title: str, content: bytes) -> str:
    """Upload `content` as file `name` into `channel`; its file id. Failures → ChatError."""
    begun = await chat.call(
        "files.getUploadURLExternal",
        lambda: chat.client.files_getUploadURLExternal(filename=name, length=len(content)),
    )
    file_id = str(begun["file_id"])
    await send_bytes(str(begun["upload_url"]), content)
    files: list[dict[str, str | None]] = [{"id": file_id, "title": title}]
    await chat.call(
        "files.completeUploadExternal",
        lambda: chat.client.files_completeUploadExternal(files=files, channel_id=channel),
        channel,
    )
    return file_id


async def send_bytes(url: str, content: bytes) -> None:
    """POST the bytes to Slack's upload URL (it needs no token: the URL is the grant)."""
    timeout = aiohttp.ClientTimeout(total=UPLOAD_TIMEOUT_S)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.post(url, data=content) as response,
        ):
            if response.status != 200:
                raise ChatError(f"Slack file upload: http_{response.status}")
    except (aiohttp.ClientError, TimeoutError) as error:
        raise ChatError(f"Slack file upload: {error!r}", 5.0) from None
