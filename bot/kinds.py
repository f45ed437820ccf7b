"""The bot's vocabularies, each named once: what an event records, what a reminder does and
what a notice shows.

Each is a StrEnum, so a member is its string: it equals it, hashes as it and is written as
it in JSON and in the database. A timeline stored before these names existed reads and
verifies unchanged, and an event's hash is the same whether its type is given as a member
or as the string.

    EventType.DECLARED == "declared"          # -> True
    json.dumps({"type": EventType.NOTE})      # -> '{"type": "note"}'
"""

from __future__ import annotations

from enum import StrEnum


class EventType(StrEnum):
    """What an event on an incident's timeline records (bot.timeline.Event.type)."""

    DECLARED = "declared"
    ROOM_OPENED = "room_opened"
    PAGED = "paged"
    ACKNOWLEDGED = "acknowledged"
    HANDED_OVER = "handed_over"
    CONTAINMENT_STEP = "containment_step"
    KILL_SWITCH_SENT = "kill_switch_sent"
    KILL_SWITCH_RESULT = "kill_switch_result"
    GATE_OVERRIDDEN = "gate_overridden"
    ANSWERED = "answered"
    ANSWER_PROPOSED = "answer_proposed"  # an answer waiting for its decider (bot.proposals)
    OBLIGATION_OPENED = "obligation_opened"
    OBLIGATION_DONE = "obligation_done"
    OBLIGATION_WAIVED = "obligation_waived"
    OBLIGATION_REOPENED = "obligation_reopened"
    OVERDUE_REASON = "overdue_reason"
    INVOLVED = "involved"
    EVIDENCE_ADDED = "evidence_added"
    AWARENESS_CORRECTED = "awareness_corrected"
    PHASE_CHANGED = "phase_changed"
    NOTE = "note"
    PINNED = "pinned"  # a room message put on the record (bot.pins)
    UNPINNED = "unpinned"
    REFUSED = "refused"  # an attempt the runbook gave its maker no say in, kept on the record
    FACTS_RECORDED = "facts_recorded"  # facts a notice needs (bot.facts)
    REMINDED = "reminded"  # a reminder went out (its dedupe key: never sent twice)
    UNDELIVERED = "undelivered"  # a room message the platform refused, kept to send again
    CLOSED = "closed"


class ReminderKind(StrEnum):
    """What a due reminder does when the ticker sends it (bot.schedule, bot.tick)."""

    DEADLINE = "deadline"  # a clock's reminder before its deadline
    OVERDUE = "overdue"  # a clock past its deadline, escalated
    PAGE = "page"  # nobody acknowledged a page: the next in the chain, or the room told
    UNSURE = "unsure"  # an answer left "unsure" for too long
    NUDGE = "nudge"  # no update for a while
    ARCHIVE = "archive"  # a closed incident's room archived
    RECORDS = "records"  # a closed incident's files written
    REPOST = "repost"  # a room message that could not be posted, sent again
    ROOM = "room"  # a room that could not be opened at declare, opened


class NoticeKind(StrEnum):
    """What a message to a room shows (bot.notices.Notice.kind; bot.views renders each)."""

    CARD = "card"
    PAGE = "page"
    CONTAINMENT = "containment"
    QUESTION = "question"
    QUESTIONS = "questions"  # the open questions as one message
    OBLIGATION = "obligation"
    REMINDER = "reminder"
    SUMMARY = "summary"
    TEXT = "text"
    ALERT = "alert"  # a suspected incident in the triage room (bot.triage)
