"""The workspace as the fake Slack Web API (tests/fakes/slack_api.py) sees it.

Plain records plus the few lookups and id/timestamp generators the methods share.
Nothing here knows about HTTP or about Slack's error codes.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count
from typing import Any
from urllib.parse import quote

# Wall-clock seconds (2024-03-26 15:30 UTC) that the fake's clock reads as its start;
# message timestamps and `created` fields count from here, so runs are reproducible.
EPOCH = 1_711_467_000
TRIGGER_TTL = 3.0  # seconds a trigger_id stays exchangeable, as on Slack
TEAM_DOMAIN = "fake-team"
APP_ID = "A0FAKEAPP"


@dataclass(frozen=True)
class Call:
    """One request the fake answered, in arrival order."""

    method: str
    params: dict[str, Any]
    at: float
    status: int
    ok: bool
    error: str | None


@dataclass
class User:
    id: str
    email: str
    name: str
    deleted: bool = False
    is_bot: bool = False


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool
    is_archived: bool = False
    topic: str = ""
    members: set[str] = field(default_factory=set)
    pins: list[str] = field(default_factory=list)  # message ts, in pin order
    created_by: str = ""
    created: int = EPOCH
    topic_set_by: str = ""
    topic_set_at: int = 0
    is_im: bool = False  # the bot's direct message with one user; `name` is the user id


@dataclass
class Message:
    ts: str
    channel: str
    text: str
    blocks: list[dict[str, Any]] | None
    user: str  # the bot's user id; for an ephemeral message, the user who sees it
    updated: int = 0
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None  # {"event_type": …, "event_payload": {…}}
    broadcast: bool = False  # a thread reply also shown in the channel (reply_broadcast)


@dataclass
class View:
    id: str
    view: dict[str, Any]
    trigger_id: str
    user: str
    updated: int = 0
    hash: str = ""
    root_view_id: str = ""
    previous_view_id: str | None = None  # set for a view pushed with views.push


@dataclass
class File:
    id: str
    name: str
    content: bytes
    user: str
    channels: list[str]
    created: int = EPOCH
    title: str = ""

    @property
    def mimetype(self) -> str:
        return mimetypes.guess_type(self.name)[0] or "application/octet-stream"


@dataclass
class Upload:
    """A file begun with files.getUploadURLExternal: bytes arrive at its URL, then
    files.completeUploadExternal turns it into a File."""

    id: str
    name: str
    length: int
    content: bytes | None = None  # None until POSTed to the upload URL


@dataclass
class Trigger:
    id: str
    user: str
    issued_at: float  # by the fake's clock
    used: bool = False
    expired: bool = False


class SlackState:
    """Users, channels, messages, views, files and triggers of one fake workspace."""

    def __init__(
        self, team_id: str, bot_user_id: str, bot_id: str, clock: Callable[[], float]
    ) -> None:
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.clock = clock
        self.origin = ""  # http://127.0.0.1:<port>, set when the server starts
        self.users: dict[str, User] = {}
        self.channels: dict[str, Channel] = {}
        self.messages: dict[str, list[Message]] = {}
        self.ephemerals: list[Message] = []
        self.views: dict[str, View] = {}
        self.files: dict[str, File] = {}
        self.uploads: dict[str, Upload] = {}  # begun, not yet completed
        self.uploads_disabled = False  # the workspace's admin turned file uploads off
        self.triggers: dict[str, Trigger] = {}
        self._t0 = clock()
        self._last_ts_us = 0
        self._ids: dict[str, count[int]] = {}

    # --- time and ids -------------------------------------------------------------

    def now(self) -> float:
        """Wall-clock seconds, moving with the fake's clock."""
        return EPOCH + (self.clock() - self._t0)

    def next_ts(self) -> str:
        """A message ts: unique, strictly increasing, shaped like "1711467000.000100"."""
        us = max(int(self.now() * 1_000_000), self._last_ts_us + 100)
        self._last_ts_us = us
        return f"{us // 1_000_000}.{us % 1_000_000:06d}"

    def next_id(self, prefix: str, width: int = 7) -> str:
        n = next(self._ids.setdefault(prefix, count(1)))
        return f"{prefix}{n:0{width}d}"

    def new_trigger(self, user: str) -> str:
        n = int(self.next_id("", 1))
        trigger = Trigger(f"{10000 + n}.98765.{n:012x}", user, self.clock())
        self.triggers[trigger.id] = trigger
        return trigger.id

    def new_hash(self) -> str:
        return f"{int(self.now())}.{self.next_id('h', 8)[1:]}"

    # --- lookups --------------------------------------------------------------------

    def channel_named(self, name: str) -> Channel | None:
        found = (c for c in self.channels.values() if c.name == name and not c.is_im)
        return next(found, None)

    def user_by_email(self, email: str) -> User | None:
        wanted = email.strip().lower()
        return next((u for u in self.users.values() if u.email.lower() == wanted), None)

    def message(self, channel: str, ts: str) -> Message | None:
        return next((m for m in self.messages.get(channel, []) if m.ts == ts), None)

    def view_by_external_id(self, external_id: str) -> View | None:
        found = (v for v in self.views.values() if v.view.get("external_id") == external_id)
        return next(found, None)

    def file_url(self, file: File, *, download: bool) -> str:
        middle = "download/" if download else ""
        return f"{self.origin}/files-pri/{self.team_id}-{file.id}/{middle}{quote(file.name)}"

    def upload_url(self, upload: Upload) -> str:
        return f"{self.origin}/upload/v1/{upload.id}"

    def add_channel(
        self, name: str, *, is_private: bool, members: set[str], created_by: str
    ) -> Channel:
        channel = Channel(
            id=self.next_id("C"),
            name=name,
            is_private=is_private,
            members=members,
            created_by=created_by,
            created=int(self.now()),
        )
        self.channels[channel.id] = channel
        self.messages[channel.id] = []
        return channel

    def dm_with(self, user_id: str) -> Channel:
        found = next((c for c in self.channels.values() if c.is_im and c.name == user_id), None)
        if found is not None:
            return found
        dm = Channel(self.next_id("D"), user_id, is_private=True, is_im=True)
        dm.members = {self.bot_user_id, user_id}
        self.channels[dm.id] = dm
        self.messages[dm.id] = []
        return dm
