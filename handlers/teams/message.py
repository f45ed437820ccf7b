"""A message as Teams hands it to a message action (`value.messagePayload`): who said it,
when, its text and its files.

    message = read_message(turn.value)   # Malformed for a payload Teams would not send
    message.text    # "Vendor confirmed the cache bug & the fix" (HTML read as text)
    message.files   # (Attached("acme-q1.pdf", "https://…sharepoint.com/…", None), …)

Teams sends the body as HTML. It is read, never rendered: only its text is kept (a mention
as the name, an emoji as itself, an inline picture as "[image]", a line break or paragraph
as a new line); what is inside <script> or <style> is dropped. A file Teams gives bytes for
(a file download info) can be hashed; any other (a file on SharePoint, a picture hosted by
Teams) is a link, kept without its query string (which may carry a token).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from handlers.teams.activity import Malformed
from handlers.teams.files import FILE_INFO, MAX_NAME, SharedFile, shared_files

MAX_HTML = 200_000  # characters read of a body (the core keeps the first 3,000 of its text)
MAX_FILES = 20
MAX_URL = 2000
MAX_ID = 200
SKIPPED = frozenset({"script", "style", "template", "head", "title", "noscript"})
BLOCKS = frozenset({"p", "div", "li", "tr", "blockquote", "pre", "h1", "h2", "h3", "h4"})
EMOJI = "http://schema.skype.com/Emoji"
SPACES = re.compile(r"[ \t\r\n\f\v\xa0]+")


@dataclass(frozen=True)
class Attached:
    name: str
    url: str  # a link to it, "" where Teams gives its bytes instead
    download: SharedFile | None = None


@dataclass(frozen=True)
class Message:
    id: str
    at: datetime  # when it was said
    text: str
    author_id: str  # the sender's Microsoft Entra object id; "" for an app or the bot
    author_name: str
    files: tuple[Attached, ...] = ()

    @property
    def by_person(self) -> bool:
        return bool(self.author_id)


class _Text(HTMLParser):
    """The text of Teams' HTML, and the pictures it shows inline (as links)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.pictures: list[str] = []
        self.skipping = 0
        self.pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag in SKIPPED:
            self.skipping += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in BLOCKS:
            self._line()
            self.pre += tag == "pre"
        elif tag == "emoji" or (tag == "img" and found.get("itemtype") == EMOJI):
            self.parts.append(found.get("alt", ""))
        elif tag == "img":
            self.parts.append("[image]")
            self.pictures.append(found.get("src", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self._line()
            self.pre = max(0, self.pre - (tag == "pre"))

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if not self.pre:
            data = SPACES.sub(" ", data)
            data = data.lstrip(" ") if self._at_line_start() else data
        self.parts.append(data)

    def _at_line_start(self) -> bool:
        said = "".join(self.parts[-2:])
        return not said or said.endswith("\n")

    def _line(self) -> None:
        """A block starts or ends: a new line, unless one has just started."""
        if not self._at_line_start():
            self.parts.append("\n")


def html_text(html: str) -> tuple[str, list[str]]:
    """What an HTML body says, as plain lines; and the sources of its inline pictures."""
    reader = _Text()
    reader.feed(html[:MAX_HTML])
    reader.close()
    lines = (line.rstrip(" \xa0") for line in "".join(reader.parts).split("\n"))
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return text, reader.pictures


def _link(url: str) -> str:
    """A link as recorded: http(s) only, without its query or fragment."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # "http://[broken": no link
        return ""
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))[:MAX_URL]


def _attached(item: Mapping[str, Any]) -> Attached | None:
    if item.get("contentType") == FILE_INFO:
        found = shared_files([item])
        return Attached(found[0].name, "", found[0]) if found else None
    url = _link(str(item.get("contentUrl") or ""))
    name = str(item.get("name") or "").strip()[:MAX_NAME]
    return Attached(name or "a file", url) if url else None


def _files(payload: Mapping[str, Any], pictures: list[str]) -> tuple[Attached, ...]:
    items = payload.get("attachments")
    listed = [a for a in items if isinstance(a, Mapping)] if isinstance(items, list) else []
    found = [f for a in listed if (f := _attached(a)) is not None]
    found += [Attached("a picture in the message", url) for p in pictures if (url := _link(p))]
    return tuple(found[:MAX_FILES])


def _said_at(payload: Mapping[str, Any]) -> datetime:
    try:
        at = datetime.fromisoformat(str(payload.get("createdDateTime") or ""))
    except ValueError:
        raise Malformed("The message action's message has no time it was said.") from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _author(payload: Mapping[str, Any]) -> tuple[str, str]:
    sender = payload.get("from")
    user = sender.get("user") if isinstance(sender, Mapping) else None
    if not isinstance(user, Mapping) or not user.get("id"):
        return "", ""  # an app's message (the bot's own among them)
    return str(user["id"])[:MAX_ID], str(user.get("displayName") or "")[:MAX_NAME]


def _body(payload: Mapping[str, Any]) -> tuple[str, list[str]]:
    body = payload.get("body")
    content = body.get("content") if isinstance(body, Mapping) else None
    if not isinstance(content, str):
        return "", []
    if isinstance(body, Mapping) and body.get("contentType") == "text":
        return content[:MAX_HTML].strip(), []
    return html_text(content)


def read_message(value: Mapping[str, Any]) -> Message:
    payload = value.get("messagePayload")
    if not isinstance(payload, Mapping):
        raise Malformed("A message action without the message.")
    message_id = payload.get("id")
    if not isinstance(message_id, str) or not message_id or len(message_id) > MAX_ID:
        raise Malformed("The message action's message has no id.")
    author_id, author_name = _author(payload)
    text, pictures = _body(payload)
    return Message(
        message_id,
        _said_at(payload),
        text,
        author_id,
        author_name,
        _files(payload, pictures),
    )
