"""FakeChat: a real implementation of the Chat port that keeps what the core posted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.incident import Incident, Room
from bot.notices import Notice
from bot.ports import ChatError, Undeliverable
from bot.runbook import Runbook
from bot.views import View, plain, view


@dataclass
class Posted:
    room: str
    message_id: str
    notice: Notice
    view: View
    text: str
    updates: int = 0


@dataclass
class FakeChat:
    runbook: Runbook
    messages: dict[str, Posted] = field(default_factory=dict)
    rooms: list[Room] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)  # room ids, in the order archived
    fail_next: int = 0  # the next N sends raise ChatError, as a platform outage would
    fail_once_on: str = ""  # the next send whose text holds this raises ChatError
    gone: bool = False  # every send raises Undeliverable, as an archived room would
    rooms_fail: int = 0  # the next N rooms cannot be opened, as in a platform outage

    async def open_room(self, incident: Incident) -> Room:
        if self.rooms_fail:
            self.rooms_fail -= 1
            raise ChatError("fake outage opening a room", retry_after=30)
        room = Room("fake", f"R{len(self.rooms) + 1}", f"aiinc-{incident.key.lower()}")
        self.rooms.append(room)
        return room

    def _render(self, notice: Notice) -> tuple[View, str]:
        v = view(notice, self.runbook, notice.now or datetime.now(UTC))
        text = "\n".join(plain(s, self.runbook) for s in (v.title, *v.lines))
        return v, text

    def _maybe_fail(self, text: str) -> None:
        if self.gone:
            raise Undeliverable("fake room archived")
        if self.fail_next:
            self.fail_next -= 1
            raise ChatError("fake outage", retry_after=1)
        if self.fail_once_on and self.fail_once_on in text:
            self.fail_once_on = ""
            raise ChatError("fake outage", retry_after=1)

    async def post(self, room: Room, notice: Notice) -> str:
        v, text = self._render(notice)
        self._maybe_fail(text)
        message_id = f"m{len(self.messages) + 1}"
        self.messages[message_id] = Posted(room.id, message_id, notice, v, text)
        return message_id

    async def update(self, room: Room, message_id: str, notice: Notice) -> None:
        v, text = self._render(notice)
        self._maybe_fail(text)
        old = self.messages[message_id]
        self.messages[message_id] = Posted(room.id, message_id, notice, v, text, old.updates + 1)

    async def archive_room(self, room: Room) -> None:
        self._maybe_fail(f"archive {room.id}")
        if room.id not in self.archived:
            self.archived.append(room.id)

    def texts(self) -> list[str]:
        return [m.text for m in self.messages.values()]

    def of_kind(self, kind: str) -> list[Posted]:
        return [m for m in self.messages.values() if m.notice.kind == kind]
