"""Declaring an incident: on the record first, then its room opened and its lead paged.

    incident = await declare(deps, actor, DeclareForm("Report shows another client's data",
                                                      "drafting-assistant", "context_leakage"))

A declare form waits for `record_declaration` alone; `open_room` is safe to call again (the
ticker retries it for an incident whose room a platform failed to open).
"""

from __future__ import annotations

from bot import decisions, notices
from bot.acting import Deps, act, commit, load, undelivered
from bot.decisions import DeclareForm, Draft
from bot.incident import Incident
from bot.kinds import EventType, NoticeKind
from bot.publish import RoomPublisher
from bot.timeline import BOT, Actor


async def declare(deps: Deps, actor: Actor, form: DeclareForm) -> Incident:
    return await open_room(deps, await record_declaration(deps, actor, form))


async def record_declaration(deps: Deps, actor: Actor, form: DeclareForm) -> Incident:
    """The incident on the record, its room not yet opened (`open_room` does that): what a
    declare form waits for before it closes."""
    now = deps.clock.now()
    drafts = decisions.declare(deps.runbook, form, now)  # refuses bad input before any write
    key = await deps.store.next_key(now.year)
    incident, _ = await commit(deps, Incident(key=key), drafts, actor, now)
    return incident


async def open_room(deps: Deps, incident: Incident) -> Incident:
    """Create the incident's room and page the lead chain; safe to call again on a retry."""
    if incident.room is None:
        room = await deps.chat.open_room(incident)
        data = {"platform": room.platform, "id": room.id, "name": room.name, "url": room.url}
        incident = await act(
            deps, incident.key, BOT, lambda i, now: [Draft(EventType.ROOM_OPENED, data)]
        )
        async with deps.store.serial(incident.key):  # shown as the record is by then
            incident = await load(deps, incident.key)
            now = deps.clock.now()
            to_room = RoomPublisher(deps.chat, deps.store, deps.runbook, incident, now)
            await to_room.refresh("card", notices.card(incident))
            await to_room.refresh("containment", notices.Notice(incident, NoticeKind.CONTAINMENT))
        await undelivered(deps, incident.key, to_room.undelivered, now)
    if not any(p.role == "incident_lead" for p in incident.pages):
        incident = await page(deps, incident.key, "incident_lead", 0)
    return incident


async def page(deps: Deps, key: str, role: str, attempt: int) -> Incident:
    chain_ = deps.runbook.roles.get(role, ())
    person = chain_[attempt] if attempt < len(chain_) else None
    data = {"role": role, "person": person, "attempt": attempt}
    return await act(
        deps, key, BOT, lambda i, now: [Draft(EventType.PAGED, data)] if person else []
    )
