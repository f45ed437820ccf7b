"""Tell the room what just happened: each new event posts or refreshes the messages it
affects. The record is saved before this runs, so a failed send loses nothing: a message
that could not be posted is handed back (`publish` returns it), for the caller to record
as an "undelivered" event, which schedules it to be sent again (bot.schedule, bot.tick)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from bot import kill_switch
from bot.anchor import short
from bot.evidence_phase import evidence_start
from bot.incident import Incident
from bot.kinds import EventType, NoticeKind, ReminderKind
from bot.notices import Notice, deadline_reminder, fields_of, page, text
from bot.obligations import terms
from bot.ports import Chat, ChatError, IncidentStore, Undeliverable
from bot.runbook import Runbook
from bot.timeline import Event
from bot.tokens import mention, moment

log = logging.getLogger(__name__)
# A claimed slot with no message after this long lost its poster (a crash): it may be taken.
LEASE = timedelta(minutes=2)


class RoomPublisher:
    """The incident's room as seen while publishing one batch of events.

    A named slot (the card, a question, an obligation) is claimed in the store before it
    is posted, so a second publisher updates it rather than posting it again; an update is
    dropped when the slot already shows a newer version of the incident than this one."""

    def __init__(
        self, chat: Chat, store: IncidentStore, runbook: Runbook, incident: Incident, now: datetime
    ) -> None:
        self.chat, self.store, self.runbook = chat, store, runbook
        self.incident, self.now = incident, now
        self.undelivered: list[dict[str, object]] = []
        self.version = incident.last.seq if incident.last else 0
        self._posted = 0  # unnamed posts of this batch, told apart in their idempotency key
        self.refreshed: set[str] = set()

    async def post(self, notice: Notice, slot: str = "") -> None:
        room = self.incident.room
        if room is None:
            return
        # claimed before and never recorded: its poster went away, or its post went unanswered
        unsure = bool(slot) and await self.store.message_slot(self.incident.key, slot) is not None
        if slot and not await self.store.claim_message(self.incident.key, slot, self.now, LEASE):
            await self.refresh(slot, notice, post_if_missing=False)  # someone has it: update
            return
        self._posted += 1
        tag = slot or f"e{self.version}.{self._posted}"
        named = f"{self.incident.key}/{tag}"
        notice = replace(notice, now=notice.now or self.now, slot=named, unsure=unsure)
        try:
            message_id = await self.chat.post(room, notice)
        except ChatError as error:
            if slot:
                await self.store.release_message(self.incident.key, slot)
            self._failed(notice, slot, error)
            return
        if slot:
            await self.store.remember_message(self.incident.key, slot, message_id)
            await self.store.applied_message(self.incident.key, slot, self.version)

    def _failed(self, notice: Notice, slot: str, error: ChatError) -> None:
        again = not isinstance(error, Undeliverable)
        later = "sent again later" if again else "not sent again"
        log.warning("could not post to %s (%s): %s", self.incident.key, later, error)
        said = {"what": notice.kind, "slot": slot, "error": str(error)[:300], "again": again}
        self.undelivered.append(said | {"notice": fields_of(notice)})

    async def refresh(self, slot: str, notice: Notice, *, post_if_missing: bool = True) -> None:
        """Update a message in place; post it if it was never posted."""
        self.refreshed.add(slot)
        room = self.incident.room
        found = await self.store.message_slot(self.incident.key, slot)
        if room is None:
            return
        if found is None or not found.message_id:  # never posted, or another is posting it
            if post_if_missing:
                await self.post(notice, slot)
            return
        if found.version > self.version:
            return  # it already shows a newer record than this batch's
        notice = replace(notice, now=notice.now or self.now, slot=f"{self.incident.key}/{slot}")
        try:
            await self.chat.update(room, found.message_id, notice)
        except ChatError as error:
            log.warning("could not update %s of %s: %s", slot, self.incident.key, error)
            return
        await self.store.applied_message(self.incident.key, slot, self.version)

    def notice(self, kind: NoticeKind, **fields: str) -> Notice:
        return Notice(self.incident, kind, now=self.now, **fields)  # type: ignore[arg-type]


async def _questions(room: RoomPublisher, event: Event) -> None:
    """The questions are one message, refreshed whole: one post, then updates in place."""
    await room.refresh("questions", room.notice(NoticeKind.QUESTIONS))


async def _phase(room: RoomPublisher, event: Event) -> None:
    to = str(event.data["to"])
    if to == "classification":  # what the room must act on first, ahead of the news
        await _questions(room, event)
    # The record's head goes out with each phase change, beyond reach of the database.
    head = f"record head {short(event.hash)}, event {event.seq}"
    await room.post(text(room.incident, f"Phase: {event.data['from']} → {to} ({head})"))
    await room.refresh("card", room.notice(NoticeKind.CARD))
    if to == "evidence":
        said = evidence_start(room.incident, room.runbook)
        await room.post(text(room.incident, said), "evidence")  # evidence kept: its replies
    if to == "closed":
        await room.post(room.notice(NoticeKind.SUMMARY), "summary")


async def _obligation(room: RoomPublisher, event: Event) -> None:
    clock = str(event.data["clock"])
    await room.refresh(f"obligation:{clock}", room.notice(NoticeKind.OBLIGATION, clock=clock))
    await _reminders_of(room, clock)


async def _reminders_of(room: RoomPublisher, clock: str) -> None:
    """The clock's reminders already in the room, brought up to date as sent but with the
    obligation's status now: once it is settled, their buttons go."""
    inc = room.incident
    if inc.room is None:
        return
    for r in await room.store.reminders(inc.key):
        if (
            r.kind not in (ReminderKind.DEADLINE, ReminderKind.OVERDUE)
            or r.data.get("clock") != clock
        ):
            continue
        if r.status != "sent" or not r.message_id or r.sent_at is None:
            continue
        try:
            await room.chat.update(
                inc.room, r.message_id, deadline_reminder(room.runbook, inc, r, r.sent_at)
            )
        except ChatError as error:
            log.warning("could not update a reminder of %s: %s", inc.key, error)


def _page_slot(role: str, attempt: int) -> str:
    return f"page:{role}:{attempt}"


async def _paged(room: RoomPublisher, event: Event) -> None:
    d = event.data
    notice = page(room.incident, str(d["role"]), str(d["person"]), int(d["attempt"]))
    await room.post(notice, _page_slot(str(d["role"]), int(d["attempt"])))


async def _acknowledged(room: RoomPublisher, event: Event) -> None:
    """A click's confirmation, in place: each page for the role says who acknowledged it and
    when, its Acknowledge button gone, and the card names the lead. Nothing new is posted."""
    role = str(event.data["role"])
    await room.refresh("card", room.notice(NoticeKind.CARD))
    for p in room.incident.pages:
        if p.role == role:
            notice = page(room.incident, p.role, p.person, p.attempt)
            await room.refresh(_page_slot(p.role, p.attempt), notice, post_if_missing=False)


async def _handed_over(room: RoomPublisher, event: Event) -> None:
    d = event.data
    why = f" ({d['reason']})" if d.get("reason") else ""
    who, was = mention(str(d["to"])), mention(str(d["from"]))
    said = f"{who} now leads {room.incident.key}, taking over from {was}{why}."
    await room.post(text(room.incident, said, (str(d["to"]),)))
    await room.refresh("card", room.notice(NoticeKind.CARD))


async def _overridden(room: RoomPublisher, event: Event) -> None:
    """News the room needs: someone went past a gate, and why."""
    d = event.data
    said = f"{event.actor.name} overrode the {d.get('gate')} gate: {d.get('reason')}"
    await room.post(text(room.incident, said))


async def _involved(room: RoomPublisher, event: Event) -> None:
    """Whom an answer brings in, under the questions message (its page pings them)."""
    d = event.data
    said = text(room.incident, f"Bring in: {d.get('who')} (because of {d.get('because')}).")
    await room.post(replace(said, thread="questions"))


async def _evidence(room: RoomPublisher, event: Event) -> None:
    """Each piece of evidence kept, under the evidence phase's message where there is one."""
    d = event.data
    link = "link, not retrieved; " if d.get("link") else ""
    said = f"Evidence recorded by {event.actor.name}: {d.get('text')} ({link}"
    said += f"sha256 {str(d.get('sha256', ''))[:16]}…)"
    await room.post(replace(text(room.incident, said), thread="evidence"))


async def _proposed(room: RoomPublisher, event: Event) -> None:
    """A click's confirmation, in place: the questions message shows the answer as proposed,
    by whom and when, until its decider confirms it."""
    await _questions(room, event)


async def _delay(room: RoomPublisher, event: Event) -> None:
    """The reason for a delay, under its obligation's message (where its reminders are)."""
    clock = str(event.data["clock"])
    title = terms(room.runbook, clock).title
    said = text(room.incident, f"Reason for delay on {title}: {event.data['reason']}")
    await room.post(replace(said, thread=f"obligation:{clock}"))
    await _reminders_of(room, clock)


async def _awareness(room: RoomPublisher, event: Event) -> None:
    d = event.data
    await room.post(
        text(
            room.incident,
            f"{event.actor.name} corrected T0{_which(d)} to "
            f"{moment(datetime.fromisoformat(str(d['to'])))}: "
            f"{d['reason']}. Every deadline that runs from it has moved.",
        )
    )
    await room.refresh("card", room.notice(NoticeKind.CARD))
    for clock in room.incident.obligations:
        await room.refresh(f"obligation:{clock}", room.notice(NoticeKind.OBLIGATION, clock=clock))


def _which(data: Mapping[str, Any]) -> str:
    return " (aware of the personal-data breach)" if data.get("which") == "breach" else ""


async def _step(room: RoomPublisher, event: Event) -> None:
    await room.refresh("containment", room.notice(NoticeKind.CONTAINMENT))


async def _kill_switch(room: RoomPublisher, event: Event) -> None:
    if event.type == kill_switch.RESULT:
        await room.post(text(room.incident, kill_switch.said(event.data, room.incident.key)))
    await room.refresh("containment", room.notice(NoticeKind.CONTAINMENT))


async def _answered(room: RoomPublisher, event: Event) -> None:
    await _questions(room, event)


# Keyed by EventType; an event read back from storage looks itself up by its plain string.
HANDLERS: dict[str, Callable[[RoomPublisher, Event], Awaitable[None]]] = {
    EventType.PHASE_CHANGED: _phase,
    EventType.OBLIGATION_OPENED: _obligation,
    EventType.OBLIGATION_REOPENED: _obligation,
    EventType.OBLIGATION_DONE: _obligation,
    EventType.OBLIGATION_WAIVED: _obligation,
    EventType.PAGED: _paged,
    EventType.ACKNOWLEDGED: _acknowledged,
    EventType.HANDED_OVER: _handed_over,
    EventType.AWARENESS_CORRECTED: _awareness,
    EventType.CONTAINMENT_STEP: _step,
    kill_switch.SENT: _kill_switch,
    kill_switch.RESULT: _kill_switch,
    EventType.ANSWERED: _answered,
    EventType.INVOLVED: _involved,
    EventType.EVIDENCE_ADDED: _evidence,
    EventType.GATE_OVERRIDDEN: _overridden,
    EventType.OVERDUE_REASON: _delay,
    EventType.ANSWER_PROPOSED: _proposed,
}


async def publish(
    chat: Chat,
    store: IncidentStore,
    runbook: Runbook,
    incident: Incident,
    events: Sequence[Event],
    now: datetime,
) -> list[dict[str, object]]:
    """Post and refresh what `events` affect; the messages that could not be posted."""
    room = RoomPublisher(chat, store, runbook, incident, now)
    for event in events:
        handler = HANDLERS.get(event.type)
        if handler is not None:
            await handler(room, event)
    if "card" not in room.refreshed and any(e.type in HANDLERS for e in events):
        await room.refresh("card", room.notice(NoticeKind.CARD))  # its clocks and next step moved
    return room.undelivered
