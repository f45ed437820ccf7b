"""The `/ai-incident` command language, shared by every platform.

parse("status AI-2026-0007")   # -> Command("status", key="AI-2026-0007", text="")
parse("note Vendor confirmed the cache bug")
parse("aware 2026-03-24T09:00+00:00 Client first emailed on Tuesday")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.runbook import Person, Runbook

KEY = re.compile(r"^AI-\d{4}-\d{4,}$", re.IGNORECASE)
MAX_COMMAND = 4000

HELP = """\
/ai-incident declare [title] — declare an incident (opens the form)
/ai-incident status [KEY] — phase, clocks with time left, open items
/ai-incident list — open incidents
/ai-incident ack [KEY] — acknowledge as incident lead
/ai-incident handover <person> [reason] — hand the lead to someone in the lead chain ("me": take it)
/ai-incident note <text> — add a note to the timeline
/ai-incident evidence <text or link> — record evidence (SHA-256, who, when)
/ai-incident aware [breach] <ISO time> [confirm] <reason> — correct T0 (the breach's: breach)
/ai-incident facts [label: value; …] — the facts the notices need (alone: what is missing)
/ai-incident close [KEY] — close (opens the form)
/ai-incident runbook — the one-page runbook
/ai-incident help — this list
In an incident room the incident is implied; elsewhere put its key first:
  status AI-2026-0007"""

NAMES = (
    "declare",
    "status",
    "list",
    "ack",
    "handover",
    "note",
    "evidence",
    "aware",
    "facts",
    "close",
    "runbook",
    "help",
)


# The commands that change an incident, all answered by bot.actions.typed (each edge sends
# them there alike; `evidence` with no text shows the checklist instead).
TYPED = ("ack", "handover", "note", "evidence", "aware", "facts")


@dataclass(frozen=True)
class Command:
    name: str
    key: str = ""
    text: str = ""
    error: str = ""


def parse(raw: str) -> Command:
    """Parse what followed the slash command; unknown or empty input asks for help."""
    if len(raw) > MAX_COMMAND:
        return Command(
            "help", error=f"That command is {len(raw)} characters; the limit is {MAX_COMMAND}."
        )
    words = raw.strip().split(maxsplit=1)
    if not words:
        return Command("help")
    name, rest = words[0].lower(), (words[1] if len(words) > 1 else "")
    if name not in NAMES:
        return Command("help", error=f"Unknown command '{words[0][:40]}'.")
    first, _, after = rest.strip().partition(" ")
    if KEY.match(first) and name != "declare":
        return Command(name, key=first.upper(), text=after.strip())
    return Command(name, text=rest.strip())


def parse_aware(text: str) -> tuple[datetime, str]:
    """`<ISO time with offset> <reason>`; raises ValueError with a message for the user."""
    stamp, _, reason = text.strip().partition(" ")
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueError(f"'{stamp}' is not an ISO time; e.g. 2026-03-24T09:00+00:00.") from None
    if when.tzinfo is None:
        raise ValueError("Give the time with its offset, e.g. 2026-03-24T09:00+00:00.")
    if not reason.strip():
        raise ValueError("Give a reason after the time: why T0 is being corrected.")
    return when, reason.strip()


def parse_person(text: str, runbook: Runbook, me: str | None) -> tuple[Person, str]:
    """`<person> [the rest]`: a runbook id, a full or first name (with or without @), or "me";
    the person and the rest. Each edge turns its own mention syntax into one of these first.
    Raises ValueError with a message for the user."""
    said = text.strip().removeprefix("@")
    by_name = [p for p in runbook.people if said.lower().startswith(p.name.lower())]
    word, _, rest = said.partition(" ")
    if by_name:
        found, rest = by_name[:1], said[len(by_name[0].name) :]
    elif word.lower() == "me":
        found = [p for p in runbook.people if p.id == me]
    else:
        first = word.lower()
        found = [p for p in runbook.people if first in (p.id, p.name.split()[0].lower())]
    if len(found) != 1:
        known = ", ".join(p.id for p in runbook.people)
        who = text.strip().split(" ", 1)[0][:40] or "nobody"
        raise ValueError(f"Hand over to whom? '{who}' is not one person in the runbook ({known}).")
    return found[0], rest.strip()
