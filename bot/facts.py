"""The facts the papers need, recorded once where they are known and corrected at any time.

Typed in the room as `facts` with `label: value` pairs separated by semicolons (or one per
line); `facts` alone shows what is known and what is still missing:

    /ai-incident facts owning client: Brightside Ltd; receiving client: Acme Ltd;
        data: revenue figures, staff names; people: Brightside's staff;
        people count: 10-50; records: unknown; started: 2026-03-05

    drafts = record(incident, "people count: about 40", now)   # a "facts_recorded" event
    facts_of(incident).receiving_client                         # -> "Acme Ltd"

Numbers may be ranges ("10-50", "about 200", "fewer than 10") or "unknown"; "started" is a
date or an ISO time, or "unknown".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime, time

from bot.decisions import Draft, Refused
from bot.incident import Incident
from bot.kinds import EventType
from bot.tokens import scrub

MAX_VALUE = 500

# field name -> (what people type, what the papers call it)
LABELS: dict[str, tuple[str, str]] = {
    "data_categories": ("data", "Categories of personal data"),
    "people_categories": ("people", "Categories of people concerned"),
    "people_count": ("people count", "Approximate number of people"),
    "records_count": ("records", "Approximate number of records"),
    "started": ("started", "When the breach began"),
    "owning_client": ("owning client", "Client whose information it is"),
    "receiving_client": ("receiving client", "Client who received it"),
    "other_parties": ("others", "Other parties affected"),
    "measures_before": ("measures before", "Measures in place before the breach"),
    "training": ("training", "Staff data protection training"),
}
BY_LABEL = {typed: name for name, (typed, _) in LABELS.items()}
COUNTS = ("people_count", "records_count")
COUNT = re.compile(
    r"(?:about |around |approximately |fewer than |under |less than |over |more than |up to )?"
    r"\d[\d,]*(?: ?(?:-|–|to) ?\d[\d,]*)?\+?",
    re.IGNORECASE,
)
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Facts:
    data_categories: str = ""
    people_categories: str = ""
    people_count: str = ""
    records_count: str = ""
    started: str = ""  # an ISO date or time, or "unknown"
    owning_client: str = ""
    receiving_client: str = ""
    other_parties: str = ""
    measures_before: str = ""
    training: str = ""

    def missing(self) -> tuple[str, ...]:
        return tuple(LABELS[f.name][1] for f in fields(self) if not getattr(self, f.name))

    def clients(self) -> tuple[str, ...]:
        """Every client or other party named, each a name a client's draft must not show
        to anyone but that client."""
        named = (self.owning_client, self.receiving_client, *self.other_parties.split(","))
        return tuple(n.strip() for n in named if n.strip())

    def started_at(self) -> datetime | None:
        if not self.started or self.started == UNKNOWN:
            return None
        return moment(self.started)


def facts_of(incident: Incident) -> Facts:
    """The latest value of each fact, folded from the timeline's facts_recorded events."""
    return replace(Facts(), **{k: v for k, v in incident.facts.items() if k in LABELS})


def moment(text: str) -> datetime:
    """A date (midnight UTC) or an ISO time with its offset."""
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise Refused(
            f"'{text[:40]}' is not a date; e.g. 2026-03-05 or 2026-03-05T09:00+00:00."
        ) from None
    if len(text) == 10:  # a bare date
        return datetime.combine(date.fromisoformat(text), time(), UTC)
    if parsed.tzinfo is None:
        raise Refused("Give the time with its offset, e.g. 2026-03-05T09:00+00:00.")
    return parsed.astimezone(UTC)


def parse(text: str) -> dict[str, str]:
    """`label: value` pairs (semicolons or new lines between them) as field -> value."""
    said: dict[str, str] = {}
    for part in re.split(r"[;\n]", text):
        if not part.strip():
            continue
        label, colon, value = part.partition(":")
        name = BY_LABEL.get(" ".join(label.lower().split()))
        if not colon or name is None:
            known = ", ".join(typed for typed, _ in LABELS.values())
            raise Refused(f"'{part.strip()[:40]}' is not 'label: value'; the labels: {known}.")
        said[name] = _value(name, value)
    if not said:
        raise Refused("Give the facts as 'label: value', e.g. 'people count: 10-50'.")
    return said


def _value(name: str, value: str) -> str:
    value = scrub(value).strip()
    if not value:
        raise Refused(f"Give a value for {LABELS[name][0]} (or 'unknown').")
    if len(value) > MAX_VALUE:
        raise Refused(f"{LABELS[name][0]} is {len(value)} characters; the limit is {MAX_VALUE}.")
    if value.lower() == UNKNOWN:
        return UNKNOWN
    if name in COUNTS and not COUNT.fullmatch(value):
        raise Refused(
            f"{LABELS[name][0]}: '{value[:40]}' is not a number; give one, a range "
            "('10-50', 'about 200', 'fewer than 10') or 'unknown'."
        )
    if name == "started":
        return moment(value).isoformat() if len(value) > 10 else moment(value).date().isoformat()
    return value


def record(incident: Incident, text: str, now: datetime) -> list[Draft]:
    """The facts that changed, as one event; nothing when every value is as recorded."""
    if incident.closed_at is not None:
        raise Refused(f"{incident.key} is closed; nothing more can be changed.")
    said = parse(text)
    start = said.get("started", "")
    if start and start != UNKNOWN and moment(start) > now:
        raise Refused("When the breach began cannot be in the future.")
    known = facts_of(incident)
    changed = {k: v for k, v in said.items() if getattr(known, k) != v}
    return [Draft(EventType.FACTS_RECORDED, changed)] if changed else []


def summary(incident: Incident) -> str:
    """What the room is told: the facts known, then those still missing."""
    known = facts_of(incident)
    lines = [f"Facts of {incident.key} for the notices and the register:"]
    lines += [
        f"- {label}: {getattr(known, name)}"
        for name, (_, label) in LABELS.items()
        if getattr(known, name)
    ]
    missing = [typed for name, (typed, _) in LABELS.items() if not getattr(known, name)]
    if missing:
        lines.append("Still missing (type `facts label: value; …`): " + ", ".join(missing) + ".")
    return "\n".join(lines)
