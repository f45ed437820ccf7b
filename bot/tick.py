"""One wake of the reminder ticker: claim what is due, re-check it, send it, record it.

    sent = await tick(deps)   # the scheduler calls this; tests call it with an injected clock

A reminder is re-derived from the incident at send time: one that no longer applies (the
obligation is done, the page acknowledged, the incident closed) is cancelled, not sent.
An "archive" reminder is no message: it archives a closed incident's room; a "records"
reminder writes a closed incident's report, register entry and regression case.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import datetime, timedelta

from bot.decisions import Draft
from bot.incident import Incident, Room
from bot.kinds import EventType, NoticeKind, ReminderKind
from bot.notices import Notice, deadline_reminder, from_fields
from bot.obligations import terms
from bot.papers.close_files import closed_records
from bot.ports import ChatError, Conflict
from bot.schedule import Reminder, desired_reminders, kept_running
from bot.service import Deps, commit, open_room, published, record
from bot.timeline import BOT
from bot.tokens import mention, mentions

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
BATCH = 100
MAX_BACKOFF = timedelta(minutes=10)
PARALLEL_INCIDENTS = 8
# Reminder kinds whose sending appends to the incident or writes elsewhere: each is sent on
# its own, on a fresh load; every other kind is a message, sent with its neighbours.
ALONE = frozenset({ReminderKind.PAGE, ReminderKind.ROOM, ReminderKind.RECORDS})


def _lead(deps: Deps, inc: Incident) -> str:
    return inc.owner or deps.runbook.roles["incident_lead"][0]


def _unsure(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> Notice:
    qid, lead = str(r.data["question"]), _lead(deps, inc)
    kept = [terms(deps.runbook, c).title for c in kept_running(inc, deps.runbook, qid)]
    running = f"it keeps running: {'; '.join(kept)}" if kept else "it may keep a clock running"
    text = (
        f"{qid} is still 'unsure' (counted as yes). {mention(lead)}, resolve it before the "
        f"deadline: {running}."
    )
    return Notice(inc, NoticeKind.TEXT, text=text, question=qid, mentions=(lead,), now=now)


def _unanswered(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> Notice:
    role = str(r.data["role"]).replace("_", " ")
    chain = deps.runbook.roles.get(str(r.data["role"]), ())
    text = (
        f"Nobody in the {role} chain acknowledged {inc.key}. "
        f"{mentions((*chain, *deps.runbook.roles.get('managing_partner', ())))}"
    )
    return Notice(inc, NoticeKind.TEXT, text=text, now=now)


def _nudge(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> Notice:
    lead = _lead(deps, inc)
    text = f"No update on {inc.key} for a while. {mention(lead)}, please post a status note."
    return Notice(inc, NoticeKind.TEXT, text=text, mentions=(lead,), now=now)


def _deadline(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> Notice:
    """A clock's reminder: under its obligation; in the room once due."""
    notice = deadline_reminder(deps.runbook, inc, r, now)
    return replace(notice, thread=f"obligation:{r.data['clock']}", loud=_due(notice))


def _due(notice: Notice) -> bool:
    return notice.text.startswith("OVERDUE") or "due now" in notice.text


# Sending one reminder; returns the platform message id ('' where no message is its record).
Send = Callable[[Deps, Incident, Reminder, datetime], Awaitable[str]]


def _room_of(inc: Incident) -> Room:
    if inc.room is None:
        raise ChatError("the incident has no room yet")
    return inc.room


def _posting(build: Callable[[Deps, Incident, Reminder, datetime], Notice]) -> Send:
    async def send(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> str:
        room = _room_of(inc)
        return await deps.chat.post(room, build(deps, inc, r, now))

    return send


async def _page(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> str:
    """The next person in the role's chain is paged; past its end, the room is told."""
    chain, attempt = deps.runbook.roles[str(r.data["role"])], int(r.data["attempt"])
    if attempt >= len(chain):
        return await _posting(_unanswered)(deps, inc, r, now)
    data = {"role": r.data["role"], "person": chain[attempt], "attempt": r.data["attempt"]}
    inc, events = await commit(deps, inc, [Draft(EventType.PAGED, data)], BOT, now)
    await published(deps, inc, events, now)
    return ""


async def _records(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> str:
    if deps.records is not None:
        whole = await deps.store.load(inc.key)  # the papers read the whole record
        await deps.records.keep(closed_records(whole or inc, deps.runbook))
    return ""


async def _open_room(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> str:
    await open_room(deps, inc)  # opens it, posts the card and pages the lead
    return ""


async def _archive(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> str:
    await deps.chat.archive_room(_room_of(inc))
    return ""


async def _repost(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> str:
    """A room message that could not be posted, built again from the incident as it is now;
    not sent where a later refresh already put that message (its slot) in the room."""
    room = _room_of(inc)
    inc = await deps.store.load(inc.key) or inc  # whole: a summary lists all its evidence
    failed = next(e for e in inc.reposts if e.seq == int(r.data["seq"]))
    slot = str(failed.data.get("slot", ""))
    if slot and await deps.store.message_id(inc.key, slot):
        return ""
    notice = from_fields(inc, failed.data["notice"], now)
    message_id = await deps.chat.post(room, notice)
    if slot:
        await deps.store.remember_message(inc.key, slot, message_id)
    return message_id


SEND: dict[ReminderKind, Send] = {
    ReminderKind.DEADLINE: _posting(_deadline),
    ReminderKind.OVERDUE: _posting(_deadline),
    ReminderKind.PAGE: _page,
    ReminderKind.UNSURE: _posting(_unsure),
    ReminderKind.NUDGE: _posting(_nudge),
    ReminderKind.ARCHIVE: _archive,
    ReminderKind.RECORDS: _records,
    ReminderKind.REPOST: _repost,
    ReminderKind.ROOM: _open_room,
}


async def _send(deps: Deps, inc: Incident, r: Reminder, now: datetime) -> str:
    """Deliver one reminder; returns the platform message id ('' when paging did it)."""
    return await SEND[ReminderKind(r.kind)](deps, inc, r, now)


async def _deliver(deps: Deps, r: Reminder, now: datetime) -> bool:
    inc = await deps.store.load(r.incident_key, whole=False)
    wanted = {s.dedupe_key for s in desired_reminders(inc, deps.runbook)} if inc else set()
    if inc is None or r.dedupe_key not in wanted:
        await deps.store.finish_reminder(r.id, "cancelled", now)
        return False
    if r.dedupe_key in inc.reminded:
        await deps.store.finish_reminder(r.id, "sent", now)  # sent before a crash; not again
        return False
    try:
        message_id = await _send(deps, inc, r, now)
    except ChatError as error:
        await _retry(deps, r, now, error)
        return False
    sent = {"key": r.dedupe_key, "kind": r.kind, "late_by_s": (now - r.due_at).total_seconds()}
    await record(deps, r.incident_key, [Draft(EventType.REMINDED, sent)], now)
    await deps.store.finish_reminder(r.id, "sent", now, message_id)
    return True


async def _retry(deps: Deps, r: Reminder, now: datetime, error: ChatError) -> None:
    backoff = timedelta(seconds=error.retry_after or 2 ** min(r.attempts, 9))
    log.warning("reminder %s failed (attempt %d): %s", r.dedupe_key, r.attempts + 1, error)
    await deps.store.retry_reminder(r.id, now + min(backoff, MAX_BACKOFF), str(error))


async def _deliver_together(deps: Deps, reminders: list[Reminder], now: datetime) -> int:
    """Several of one incident's reminders from one load: each sent in turn, then all their
    `reminded` events and the rows finished in one transaction, so a burst costs one load
    and one write per incident however many of its reminders are due."""
    if not reminders:
        return 0
    inc = await deps.store.load(reminders[0].incident_key, whole=False)
    wanted = {s.dedupe_key for s in desired_reminders(inc, deps.runbook)} if inc else set()
    before = inc.reminded if inc else frozenset()
    finished: list[tuple[int, str, str]] = []
    drafts: list[Draft] = []
    for r in reminders:
        if inc is None or r.dedupe_key not in wanted or r.dedupe_key in before:
            # no longer wanted: cancelled; sent before a crash: finished, not sent again
            finished.append((r.id, "sent" if r.dedupe_key in before else "cancelled", ""))
            continue
        try:
            message_id = await _send(deps, inc, r, now)
        except ChatError as error:
            await _retry(deps, r, now, error)
            continue
        late = (now - r.due_at).total_seconds()
        drafts.append(
            Draft(EventType.REMINDED, {"key": r.dedupe_key, "kind": r.kind, "late_by_s": late})
        )
        finished.append((r.id, "sent", message_id))
    await _record_sent(deps, inc, drafts, finished, now)
    return len(drafts)


async def _record_sent(
    deps: Deps,
    inc: Incident | None,
    drafts: list[Draft],
    finished: list[tuple[int, str, str]],
    now: datetime,
) -> None:
    """The `reminded` events and the finished rows, in one transaction where it can be."""
    if inc is None or not drafts:
        await deps.store.finish_reminders(finished, now)
        return
    try:
        await commit(deps, inc, drafts, BOT, now, finished)
    except Conflict:  # someone appended since the load: decide again on a fresh one
        await record(deps, inc.key, drafts, now)
        await deps.store.finish_reminders(finished, now)


async def _deliver_in_order(
    deps: Deps, reminders: list[Reminder], now: datetime, gate: asyncio.Semaphore
) -> int:
    """One incident's reminders in due order: those that change the incident themselves
    (a page, a room, the records) one by one, the runs between them together."""
    sent, run = 0, []
    async with gate:
        for r in reminders:
            if r.kind not in ALONE:
                run.append(r)
                continue
            sent += await _deliver_together(deps, run, now) + await _deliver(deps, r, now)
            run = []
        return sent + await _deliver_together(deps, run, now)


async def tick(deps: Deps) -> int:
    """Send every reminder that is due, oldest first; returns how many were sent.

    Incidents are served side by side (a slow room does not hold up the others); one
    incident's reminders go out in due order."""
    now = deps.clock.now()
    sent = 0
    gate = asyncio.Semaphore(PARALLEL_INCIDENTS)
    while claimed := await deps.store.claim_due(now, LEASE, BATCH):
        by_incident: dict[str, list[Reminder]] = defaultdict(list)
        for reminder in claimed:
            by_incident[reminder.incident_key].append(reminder)
        counts = await asyncio.gather(
            *(_deliver_in_order(deps, rs, now, gate) for rs in by_incident.values())
        )
        sent += sum(counts)
        if len(claimed) < BATCH:
            break
    return sent
