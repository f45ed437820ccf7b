"""What people say, onto the record: a message pinned in the room (or given the 📌
reaction) becomes a timeline event with its author, its original time, its text and its
files; unpinning is recorded beside it, never a deletion.

    pinned(incident, Said("slack", "1711467000.000100", author, at, "Vendor confirmed", ()))
    # -> [Draft(EventType.PINNED, {...})]; [] when that message is on the record pinned already
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.decisions import Draft, Refused
from bot.incident import Incident
from bot.kinds import EventType
from bot.timeline import Actor
from bot.tokens import scrub

MAX_TEXT = 3000


@dataclass(frozen=True)
class Said:
    """A message in the room as the platform keeps it."""

    platform: str
    message_id: str
    author: Actor
    at: datetime  # when it was said, not when it was pinned
    text: str
    files: tuple[str, ...] = ()


def is_pinned(incident: Incident, platform: str, message_id: str) -> bool:
    """Pinned now, as the record goes: the last pin or unpin of that message was a pin."""
    return (platform, message_id) in incident.pinned


def pinned(incident: Incident, said: Said) -> list[Draft]:
    if incident.closed_at is not None:
        raise Refused(f"{incident.key} is closed; its timeline is final.")
    if is_pinned(incident, said.platform, said.message_id):
        return []
    data = {
        "platform": said.platform,
        "message_id": said.message_id,
        "author": said.author.name,
        "author_id": said.author.id,
        "said_at": said.at.isoformat(),
        "text": scrub(said.text)[:MAX_TEXT],
        "files": list(said.files),
    }
    return [Draft(EventType.PINNED, data)]


def unpinned(incident: Incident, platform: str, message_id: str) -> list[Draft]:
    if incident.closed_at is not None or not is_pinned(incident, platform, message_id):
        return []
    return [Draft(EventType.UNPINNED, {"platform": platform, "message_id": message_id})]
