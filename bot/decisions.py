"""Pure decisions: given an incident, the runbook, who acts and when, which events follow.

Each function either returns the events to append (possibly none: a repeat changes nothing)
or raises Refused with a message for the person who asked. Nothing here does I/O.

    drafts = answer(incident, runbook, actor, "Q3", "unsure", "")

The decisions live by subject, all importable from here: what they are made of
(decisions_base), declaring and leading (decisions_start), the response on the record
(decisions_response), the classification answers (decisions_answers), the notifications
(decisions_notify) and the close (decisions_close).
"""

from __future__ import annotations

from bot.decisions_answers import answer
from bot.decisions_base import (
    MAX_TEXT,
    Busy,
    Draft,
    Forbidden,
    Refused,
    require,
)
from bot.decisions_close import CloseForm, close, phase_change
from bot.decisions_notify import explain_delay, mark_done, waive
from bot.decisions_response import (
    LINK,
    add_evidence,
    contain,
    correct_awareness,
    is_link,
    note,
    override_gate,
)
from bot.decisions_start import FUTURE_SLACK, MAX_TITLE, DeclareForm, acknowledge, declare, handover

__all__ = [
    "FUTURE_SLACK",
    "LINK",
    "MAX_TEXT",
    "MAX_TITLE",
    "Busy",
    "CloseForm",
    "DeclareForm",
    "Draft",
    "Forbidden",
    "Refused",
    "acknowledge",
    "add_evidence",
    "answer",
    "close",
    "contain",
    "correct_awareness",
    "declare",
    "explain_delay",
    "handover",
    "is_link",
    "mark_done",
    "note",
    "override_gate",
    "phase_change",
    "require",
    "waive",
]
