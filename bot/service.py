"""Use-cases: one short async function each; load → decide (pure) → save → tell the room.

Platform handlers translate what people do into exactly these calls:

    incident = await declare(deps, actor, DeclareForm("Report shows another client's data",
                                                      "drafting-assistant", "context_leakage"))
    await answer(deps, incident.key, actor, "Q3", "unsure")
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot import decisions, notices, pins, proposals, requests
from bot.alerts import AlertStore
from bot.decisions import Busy, CloseForm, DeclareForm, Draft, Forbidden, Refused
from bot.evidence_files import keep_file
from bot.incident import Incident, apply
from bot.kill_switch import KillSwitchSender
from bot.kinds import EventType, NoticeKind
from bot.permissions import permit, permit_read, permit_sign_offs
from bot.ports import Chat, Clock, Conflict, IncidentStore, Records
from bot.publish import RoomPublisher, publish
from bot.runbook import Runbook
from bot.schedule import desired_reminders
from bot.timeline import BOT, Actor, Event, chain

log = logging.getLogger(__name__)
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
    deps: Deps, incident: Incident, drafts: Sequence[Draft], actor: Actor, now: datetime
) -> tuple[Incident, list[Event]]:
    if not drafts:
        return incident, []
    incident, events = _append(incident, drafts, actor, now, deps.runbook)
    reminders = desired_reminders(incident, deps.runbook)
    await deps.store.save(incident, events, reminders, requests.unsettled())
    requests.settled()  # the request's first change is on the record: it is done
    what = ", ".join(e.type.replace("_", " ") for e in events)
    log.info("%s %s, by %s (%s)", incident.key, what, actor.name, actor.id)
    return incident, events


async def record(deps: Deps, key: str, drafts: Sequence[Draft], now: datetime) -> None:
    """Append the bot's own drafts (a reminder sent, a message undelivered) to the record,
    deciding again if another request appended first; published to nobody."""
    async with deps.store.serial(key):
        for _ in range(ATTEMPTS):
            incident = await deps.store.load(key)
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


async def load(deps: Deps, key: str) -> Incident:
    incident = await deps.store.load(key.strip().upper())
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


async def act(deps: Deps, key: str, actor: Actor, decide: Decide) -> Incident:
    """Load, decide, save and tell the room, one piece of work per incident at a time (so
    the room is told in the order the record changed); deciding again if a writer that
    holds no turn (another version of the bot) appended first. An attempt the runbook does
    not permit is recorded as refused, then refused."""
    async with deps.store.serial(key.strip().upper()):
        for _ in range(ATTEMPTS):
            incident = await load(deps, key)
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


async def acknowledge(deps: Deps, key: str, actor: Actor, role: str = "incident_lead") -> Incident:
    return await act(
        deps, key, actor, lambda i, now: decisions.acknowledge(i, deps.runbook, actor, role)
    )


async def handover(deps: Deps, key: str, actor: Actor, to: str, reason: str = "") -> Incident:
    return await act(
        deps, key, actor, lambda i, now: decisions.handover(i, deps.runbook, actor, to, reason)
    )


async def contain(
    deps: Deps, key: str, actor: Actor, step: int, status: str, reason: str = ""
) -> Incident:
    def decide(incident: Incident, now: datetime) -> list[Draft]:
        permit(deps.runbook, incident, actor, "contain", "mark containment steps")
        return decisions.contain(incident, deps.runbook, step, status, reason)

    return await act(deps, key, actor, decide)


async def override_gate(deps: Deps, key: str, actor: Actor, gate: str, reason: str) -> Incident:
    return await act(
        deps,
        key,
        actor,
        lambda i, now: decisions.override_gate(i, deps.runbook, actor, gate, reason),
    )


async def answer(
    deps: Deps, key: str, actor: Actor, question: str, value: str, reason: str = ""
) -> Incident:
    def decide(incident: Incident, now: datetime) -> list[Draft]:
        if not proposals.decides(deps.runbook, incident, actor, question):
            return proposals.propose(incident, deps.runbook, question, value, reason)
        drafts = decisions.answer(incident, deps.runbook, actor, question, value, reason)
        return drafts + _pages_for(incident, drafts, deps.runbook)

    return await act(deps, key, actor, decide)


def _pages_for(incident: Incident, drafts: Sequence[Draft], runbook: Runbook) -> list[Draft]:
    """Page the first person of any role an answer brings in (the DPO for personal data)."""
    paged = {p.role for p in incident.pages}
    roles = [
        str(d.data["role"]) for d in drafts if d.type == EventType.INVOLVED and d.data.get("role")
    ]
    return [
        Draft(EventType.PAGED, {"role": r, "person": runbook.roles[r][0], "attempt": 0})
        for r in dict.fromkeys(roles)
        if r not in paged and runbook.roles.get(r)
    ]


async def add_evidence(
    deps: Deps,
    key: str,
    actor: Actor,
    text: str,
    item: str | None = None,
    content: bytes | None = None,
    source: str = "chat",
    filename: str = "",
    content_type: str = "",
) -> Incident:
    """A file's bytes are kept (under RECORDS_DIR) before the record names them."""
    if content is not None:
        key = (await load(deps, key)).key  # a key that names no incident keeps no file
    stored = await keep_file(deps.records, key, content)
    return await act(
        deps,
        key,
        actor,
        lambda i, now: decisions.add_evidence(
            i, text, item, content, source, filename, content_type, stored
        ),
    )


async def note(deps: Deps, key: str, actor: Actor, text: str) -> Incident:
    return await act(deps, key, actor, lambda i, now: decisions.note(i, text))


async def correct_awareness(
    deps: Deps,
    key: str,
    actor: Actor,
    aware_at: datetime,
    reason: str,
    which: str = "incident",
    confirmed: bool = False,
) -> Incident:
    def decide(i: Incident, now: datetime) -> list[Draft]:
        runbook = deps.runbook
        return decisions.correct_awareness(
            i, runbook, actor, aware_at, reason, now, which, confirmed
        )

    return await act(deps, key, actor, decide)


async def mark_obligation(
    deps: Deps, key: str, actor: Actor, clock: str, status: str, text: str
) -> Incident:
    if status not in ("done", "waived"):
        raise Refused("An obligation is marked done (with a reference) or waived (with a reason).")
    if status == "waived":
        return await act(
            deps, key, actor, lambda i, now: decisions.waive(i, deps.runbook, actor, clock, text)
        )
    return await act(
        deps,
        key,
        actor,
        lambda i, now: decisions.mark_done(i, deps.runbook, actor, clock, text, now),
    )


async def explain_delay(deps: Deps, key: str, actor: Actor, clock: str, reason: str) -> Incident:
    return await act(deps, key, actor, lambda i, now: decisions.explain_delay(i, clock, reason))


async def close(deps: Deps, key: str, actor: Actor, form: CloseForm) -> Incident:
    def decide(incident: Incident, now: datetime) -> list[Draft]:
        permit_sign_offs(deps.runbook, actor, form.criteria)
        return decisions.close(incident, deps.runbook, actor, form)

    return await act(deps, key, actor, decide)


async def pin(deps: Deps, key: str, actor: Actor, said: pins.Said) -> Incident:
    """A message pinned in the room (or given the 📌 reaction), onto the timeline."""
    return await act(deps, key, actor, lambda i, now: pins.pinned(i, said))


async def unpin(deps: Deps, key: str, actor: Actor, platform: str, message_id: str) -> Incident:
    """Unpinning is recorded beside the pin; the pin stays on the timeline."""
    return await act(deps, key, actor, lambda i, now: pins.unpinned(i, platform, message_id))
