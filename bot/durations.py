"""Compact durations, as the runbook writes them: 15m, 4h, 2d, 1h30m, 30s, 2w.

parse_duration("1h30m")                 # -> timedelta(hours=1, minutes=30)
format_duration(timedelta(minutes=90))  # -> "1h30m"
parse_duration(format_duration(td))     # -> td, for any whole number of seconds
span(timedelta(minutes=125))            # -> "2h 5m", as people say it
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

# Largest first: a duration names each unit at most once, in this order.
_UNITS = (
    ("w", timedelta(weeks=1)),
    ("d", timedelta(days=1)),
    ("h", timedelta(hours=1)),
    ("m", timedelta(minutes=1)),
    ("s", timedelta(seconds=1)),
)
_PATTERN = re.compile("".join(rf"(?:(\d+){suffix})?" for suffix, _ in _UNITS))

ACCEPTED_FORM = (
    "a number and a unit with no spaces, largest unit first, "
    "e.g. 15m, 4h, 2d, 1h30m, 30s, 2w (units: w, d, h, m, s)"
)


def parse_duration(text: str) -> timedelta:
    """Read a compact duration; raises ValueError naming the accepted form."""
    match = _PATTERN.fullmatch(text.strip())
    if match is None or not text.strip():
        raise ValueError(f"{text!r} is not a duration; write {ACCEPTED_FORM}")
    counts = zip(match.groups(), _UNITS, strict=True)
    return sum((int(n) * unit for n, (_, unit) in counts if n), timedelta())


def format_duration(duration: timedelta) -> str:
    """The compact form of a duration (fractions of a second are dropped)."""
    if duration < timedelta(0):
        raise ValueError(f"cannot format a negative duration ({duration})")
    seconds = duration // timedelta(seconds=1)
    week = _UNITS[0][1] // timedelta(seconds=1)
    # Weeks only when exact, so 30 days reads "30d" rather than "4w2d".
    units = _UNITS if seconds % week == 0 else _UNITS[1:]
    parts: list[str] = []
    for suffix, unit in units:
        count, seconds = divmod(seconds, unit // timedelta(seconds=1))
        parts.extend([f"{count}{suffix}"] if count else [])
    return "".join(parts) or "0s"


def span(delta: timedelta) -> str:
    """A length of time as people say it: `span(timedelta(minutes=125))` → "2h 5m"."""
    hours, rest = divmod(int(delta.total_seconds()), 3600)
    days, hours = divmod(hours, 24)
    return f"{days}d {hours}h" if days else f"{hours}h {rest // 60}m"


def time_left(due: datetime, now: datetime) -> str:
    """ "5h 12m left", "overdue by 2h 0m", and within a minute either side "due now"."""
    delta = due - now
    if abs(delta) < timedelta(minutes=1):
        return "due now"
    if delta < timedelta(0):
        return "overdue by " + span(-delta)
    return span(delta) + " left"


def local_time(at: datetime, tz: ZoneInfo) -> str:
    return at.astimezone(tz).strftime("%a %d %b %Y %H:%M %Z")
