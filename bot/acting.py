"""How every use-case changes an incident: load → decide (pure) → save → tell the room, one
piece of work per incident at a time, deciding again when another writer appended first.

    incident = await act(deps, "AI-2026-0001", actor, lambda i, now: decisions.note(i, text))
    await record(deps, key, [Draft(EventType.REMINDED, {...})], now)   # the bot's own events

`Deps` is what a piece of work is given: the runbook, the ports, and the platform request
it answers, if any (`deps.answering(Request(row))`: its first save marks that request done).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from bot import decisions
from bot.alerts import AlertStore
from bot.decisions import Busy, Draft, Forbidden, Refused
from bot.incident import Incident, apply
from bot.kill_switch import KillSwitchSender
from bot.kinds import EventType
from bot.permissions import permit, permit_read
from bot.ports import Chat, Clock, Conflict, IncidentStore, Records
from bot.publish import publish
from bot.requests import Request
from bot.runbook import Runbook
from bot.schedule import desired_reminders
from bot.timeline import BOT, Actor, Event, chain

# The use-cases log under one name, "bot.service", the name operators filter on.
log = logging.getLogger("bot.service")
ATTEMPTS = 5

Decide = Callable[[Incident, datetime], list[Draft]]


@dataclass(frozen=True)
class Deps:
    runbook: Runbook
    store: IncidentStore
    chat: Chat
    clock: Clock
    records: Records | None = None  # None: closed incidents leave no files (tests, tools)
    kill_switch: KillSwitchSender | None = None  # sends containment steps' actions
    alerts: AlertStore | None = None  # alerts from monitoring (None: no alert settings)
    request: Request | None = None  # the kept platform request this work answers, if any

    def answering(self, request: Request | None) -> Deps:
        """These deps for work that answers `request` (None: answers none)."""
        return replace(self, request=request)


def _append(
    incident: Incident, drafts: Sequence[Draft], actor: Actor, now: datetime, runbook: Runbook
) -> tuple[Incident, list[Event]]:
    events: list[Event] = []
    for draft in drafts:
        event = chain(incident.last, incident.key, now, actor, draft.type, draft.data)
        incident, events = apply(incident, event), [*events, event]
    for draft in decisions.phase_change(incident, runbook):
        event = chain(incident.last, incident.key, now, BOT, draft.type, draft.data)
        incident, events = apply(incident, event), [*events, event]
    return incident, events


async def commit(
    deps: Deps,
    incident: Incident,
    drafts: Sequence[Draft],
    actor: Actor,
    now: datetime,
    finished: Sequence[tuple[int, str, str]] = (),
) -> tuple[Incident, list[Event]]:
    """Append `drafts` (and any phase change they make) and save; the first save of work
    that answers a request marks the request done in the same transaction, as it finishes
    the claimed reminders `finished` that the drafts record as sent."""
    if not drafts:
        return incident, []
    incident, events = _append(incident, drafts, actor, now, deps.runbook)
    reminders = desired_reminders(incident, deps.runbook)
    request = deps.request
    unsettled = None if request is None else request.unsettled()
    await deps.store.save(incident, events, reminders, unsettled, finished)
    if request is not None:
        request.settle()  # the request's first change is on the record: it is done
    what = ", ".join(e.type.replace("_", " ") for e in events)
    log.info("%s %s, by %s (%s)", incident.key, what, actor.name, actor.id)
    return incident, events


async def record(deps: Deps, key: str, drafts: Sequence[Draft], now: datetime) -> None:
    """Append the bot's own drafts (a reminder sent, a message undelivered) to the record,
    deciding again if another request appended first; published to nobody."""
    async with deps.store.serial(key):
        for _ in range(ATTEMPTS):
            incident = await deps.store.load(key, whole=False)
            if incident is None:
                return
            try:
                await commit(deps, incident, drafts, BOT, now)
                return
            except Conflict:
                continue
    log.error("could not record %s on %s: the incident stayed busy", drafts[0].type, key)


async def published(deps: Deps, incident: Incident, events: Sequence[Event], now: datetime) -> None:
    """Publish `events`; a message that could not be posted goes on the record as
    undelivered, which sends it again later."""
    failed = await publish(deps.chat, deps.store, deps.runbook, incident, events, now)
    await undelivered(deps, incident.key, failed, now)


async def undelivered(
    deps: Deps, key: str, failed: Sequence[Mapping[str, object]], now: datetime
) -> None:
    if failed:
        await record(deps, key, [Draft(EventType.UNDELIVERED, dict(d)) for d in failed], now)


async def load(deps: Deps, key: str, whole: bool = False) -> Incident:
    """The incident from its snapshot (its logs hold only their end); `whole`: all of it."""
    incident = await deps.store.load(key.strip().upper(), whole=whole)
    if incident is None or not incident.events:
        raise Refused(f"There is no incident {key.strip()}.")
    return incident


async def read(deps: Deps, key: str, actor: Actor, in_room: bool = False) -> Incident:
    """The incident, for someone the runbook lets see it (`in_room`: asked in its room);
    anyone else is refused without a word of its detail."""
    incident = await load(deps, key)
    permit_read(deps.runbook, incident, actor, in_room)
    return incident


def _decided(
    deps: Deps, incident: Incident, actor: Actor, decide: Decide, now: datetime
) -> tuple[list[Draft], Forbidden | None]:
    """What to append: the decision's drafts, or the refused attempt itself."""
    try:
        permit(deps.runbook, incident, actor, "change", f"change {incident.key}")
        return decide(incident, now), None
    except Forbidden as refusal:
        return [Draft(EventType.REFUSED, {"said": refusal.message})], refusal


async def act(deps: Deps, key: str, actor: Actor, decide: Decide, whole: bool = False) -> Incident:
    """Load, decide, save and tell the room, one piece of work per incident at a time (so
    the room is told in the order the record changed); deciding again if a writer that
    holds no turn (another version of the bot) appended first. An attempt the runbook does
    not permit is recorded as refused, then refused."""
    async with deps.store.serial(key.strip().upper()):
        for _ in range(ATTEMPTS):
            incident = await load(deps, key, whole)  # whole: the room is shown all of it
            now = deps.clock.now()
            drafts, refusal = _decided(deps, incident, actor, decide, now)
            try:
                incident, events = await commit(deps, incident, drafts, actor, now)
            except Conflict:
                continue
            if refusal is not None:
                raise refusal
            failed = await publish(deps.chat, deps.store, deps.runbook, incident, events, now)
            break
        else:
            raise Busy("The incident is busy; please try again.")
    await undelivered(deps, incident.key, failed, now)
    return incident
