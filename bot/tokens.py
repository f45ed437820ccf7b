"""The tokens the bot writes into message text, for each platform to render its own way:
a person to mention, a moment to show in the reader's (or the firm's) zone, a room.

    mention("sam")                    # Slack <@U0SAMOKAFOR>, Teams <at>Sam Okafor</at>
    moment(datetime(2026, 3, 29, 15, 30, tzinfo=UTC))
    room("C0123")                     # Slack's link to the channel
    strong("yes")                     # Slack *yes*, Teams **yes**, HTML <strong>yes</strong>

Each token starts with MARK, a character nobody types: what people write (a note saying
"{@priya}", a title with "{t:…}") is shown as written and never pings or reformats, and
`scrub` takes MARK out of anything a person entered.

Strong text is the one emphasis the bot writes, and it is a pair of tokens too, so it is
never confused with what people type: a title holding "*urgent*" or "**x**" is shown as
typed on every platform. `strong_as` gives the pair a platform's own markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

MARK = "\u2063"  # INVISIBLE SEPARATOR
PERSON_OR_MOMENT = re.compile(MARK + r"\{(@[\w.-]+|t:[^}]+)\}")
ANY = re.compile(MARK + r"\{(@[\w.-]+|t:[^}]+|#[A-Za-z0-9]+)\}")
STRONG_OPEN, STRONG_CLOSE = MARK + "{*", MARK + "*}"
STRONG = re.compile(f"({re.escape(STRONG_OPEN)}|{re.escape(STRONG_CLOSE)})")


def mention(person_id: str) -> str:
    return f"{MARK}{{@{person_id}}}"


def mentions(person_ids: Iterable[str], between: str = " ") -> str:
    """Each person once, in the order first named."""
    return between.join(mention(p) for p in dict.fromkeys(person_ids))


def moment(at: datetime) -> str:
    return f"{MARK}{{t:{at.isoformat()}}}"


def room(room_id: str) -> str:
    return f"{MARK}{{#{room_id}}}"


def strong(text: str) -> str:
    return f"{STRONG_OPEN}{text}{STRONG_CLOSE}"


def strong_as(text: str, opening: str, closing: str, escape: Callable[[str], str] = str) -> str:
    """Strong text in a platform's markup; the text around and inside it passes `escape`."""
    marks = {STRONG_OPEN: opening, STRONG_CLOSE: closing}
    return "".join(marks[part] if part in marks else escape(part) for part in STRONG.split(text))


def scrub(text: str) -> str:
    """What a person entered, with no way left in it to write a token."""
    return text.replace(MARK, "")
