"""The web chat's pin button: what someone said in an incident's room, onto its timeline
with who said it, when and what (bot.pins)."""

from __future__ import annotations

from bot import service
from bot.decisions import Refused
from bot.pins import Said
from bot.service import Deps
from bot.timeline import Actor
from handlers.web.chat import WebChat


async def pin_said(deps: Deps, chat: WebChat, room_id: str, message_id: str, actor: Actor) -> str:
    """Pin a person's message of the room; the incident's key."""
    room = chat.rooms.get(room_id)
    found = [m for m in (room.messages if room else []) if m.id == message_id and m.by]
    if room is None or not found:
        raise Refused("Only something a person said in this room can be pinned.")
    key = room.key or await deps.store.find_by_room("web", room_id)
    if not key:
        raise Refused("Only a message in an incident's room goes on a timeline.")
    said = found[0]
    person = next((p for p in deps.runbook.people if p.name == said.by), None)
    person_id = person.id if person else None
    author = Actor(f"web:{person_id or said.by}", said.by, person_id)
    text = said.view.lines[0] if said.view.lines else ""
    await service.pin(deps, key, actor, Said("web", said.id, author, said.posted_at, text))
    return key
