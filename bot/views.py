"""Notices as neutral views: a title, lines of text, fields and buttons (bot.view_model).

Each platform renders a View its own way; the tokens its text may hold and how each edge
shows them are in bot.view_model. One renderer per kind of room message:

    v = view(notice, runbook, now)
    v.buttons[0].action_id   # -> "classify:Q3:yes"; on an ICO obligation, also "draft:ico_art33"

The renderers live by subject: the incident's own messages in bot.views_room, what the room
is asked to decide in bot.views_decisions, and the answers to `/ai-incident status`, `list`,
`help`, `runbook` and `evidence` in bot.views_answers. Their names are importable from here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.kinds import NoticeKind
from bot.notices import Notice
from bot.runbook import Runbook
from bot.view_model import TOKEN, Button, View, plain, utc
from bot.views_answers import evidence_view, help_view, list_view, runbook_view, status_view
from bot.views_decisions import obligation, obligation_lines, question, questions, reminder
from bot.views_room import alert, card, containment, page, run_button, summary, text

__all__ = [
    "RENDER",
    "TOKEN",
    "Button",
    "View",
    "evidence_view",
    "help_view",
    "list_view",
    "obligation_lines",
    "plain",
    "run_button",
    "runbook_view",
    "status_view",
    "utc",
    "view",
]

RENDER: dict[NoticeKind, Callable[[Notice, Runbook, datetime], View]] = {
    NoticeKind.CARD: card,
    NoticeKind.PAGE: page,
    NoticeKind.CONTAINMENT: containment,
    NoticeKind.QUESTION: question,
    NoticeKind.QUESTIONS: questions,
    NoticeKind.OBLIGATION: obligation,
    NoticeKind.REMINDER: reminder,
    NoticeKind.SUMMARY: summary,
    NoticeKind.TEXT: text,
    NoticeKind.ALERT: alert,
}


def view(notice: Notice, runbook: Runbook, now: datetime) -> View:
    return RENDER[notice.kind](notice, runbook, now)
