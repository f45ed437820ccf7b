"""The tokens the bot writes into message text, for each platform to render its own way:
a person to mention, a moment to show in the reader's (or the firm's) zone, a room.

    mention("sam")                    # Slack <@U0SAMOKAFOR>, Teams <at>Sam Okafor</at>
    moment(datetime(2026, 3, 29, 15, 30, tzinfo=UTC))
    room("C0123")                     # Slack's link to the channel

Each token starts with MARK, a character nobody types: what people write (a note saying
"{@priya}", a title with "{t:…}") is shown as written and never pings or reformats, and
`scrub` takes MARK out of anything a person entered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

MARK = "\u2063"  # INVISIBLE SEPARATOR
PERSON_OR_MOMENT = re.compile(MARK + r"\{(@[\w.-]+|t:[^}]+)\}")
ANY = re.compile(MARK + r"\{(@[\w.-]+|t:[^}]+|#[A-Za-z0-9]+)\}")


def mention(person_id: str) -> str:
    return f"{MARK}{{@{person_id}}}"


def mentions(person_ids: Iterable[str], between: str = " ") -> str:
    """Each person once, in the order first named."""
    return between.join(mention(p) for p in dict.fromkeys(person_ids))


def moment(at: datetime) -> str:
    return f"{MARK}{{t:{at.isoformat()}}}"


def room(room_id: str) -> str:
    return f"{MARK}{{#{room_id}}}"


def scrub(text: str) -> str:
    """What a person entered, with no way left in it to write a token."""
    return text.replace(MARK, "")
