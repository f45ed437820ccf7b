"""A View: what a message shows, neutrally: a title, lines of text, fields and buttons.

Each platform renders a View its own way. Three tokens (bot.tokens) may appear in text: a
mention of a runbook person, a moment (Slack shows it in each reader's zone, other renderers
in the firm's zone via `local_time`) and strong text (`strong`). A fourth, a room, appears
only where an edge asked for its own rooms to be named (`list_view`). Text people entered
never holds one, and holds no markup: every edge shows it exactly as typed.

    plain(f"{strong('yes')} — {mention('alex')}", runbook)   # -> "*yes* — @Alex Morgan"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.durations import local_time
from bot.runbook import Runbook
from bot.tokens import PERSON_OR_MOMENT, strong_as

TOKEN = PERSON_OR_MOMENT


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    style: str = ""  # "primary", "danger" or ""
    needs: str = ""  # "reason" or "reference": the edge asks for it before calling the core
    detail: str = ""  # with needs "confirm": what the presser confirms (a kill switch's request)


@dataclass(frozen=True)
class View:
    title: str
    lines: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()


def plain(text: str, runbook: Runbook, strong: tuple[str, str] = ("*", "*")) -> str:
    """Resolve tokens for a reader with no platform: names, the firm's local time, and
    strong text between `strong` (plain text's *asterisks* unless a renderer asks)."""

    def sub(m: re.Match[str]) -> str:
        token = m.group(1)
        if token.startswith("@"):
            person = runbook.find_person(token[1:])
            return "@" + (person.name if person else token[1:])
        return local_time(datetime.fromisoformat(token[2:]), runbook.firm.timezone)

    return strong_as(TOKEN.sub(sub, text), *strong)


def utc(at: datetime) -> str:
    """A deadline in UTC too, beside the firm's zone: no one has to convert it."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
