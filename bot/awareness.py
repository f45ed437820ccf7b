"""The two awareness times and how the firm learned of an incident.

Aware of the incident (insurers, the FCA, client contracts) and aware of a personal-data
breach with reasonable certainty (the ICO, individuals, EU authorities) can differ: each
clock says which it runs from (bot.clock_rules), and a correction moves only its clocks.

    awareness_problem(t0, declared_at)   # -> None, or why this T0 needs confirming
    read_correction("breach 2026-03-24T09:00+00:00 confirm Vendor's log shows it")
    # -> ("breach", datetime(2026, 3, 24, 9, 0, tzinfo=UTC), True, "Vendor's log shows it")
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

LEARNED_VIA = ("own_staff", "client", "vendor_notice", "monitoring_alert")
LEARNED_LABELS = {
    "own_staff": "Our own staff noticed",
    "client": "A client told us",
    "vendor_notice": "The vendor's notice",
    "monitoring_alert": "A monitoring alert",
}
OLDEST = timedelta(days=30)  # a T0 further back than this is checked with the person
SLACK = timedelta(minutes=5)
T0_MEANS = (
    "When we became aware: for the breach clocks (ICO, individuals, EU), when we were "
    "reasonably certain that personal data had been compromised, not when the fault began "
    "nor when the investigation ends; from a vendor's notice, when the notice arrived."
)


def awareness_problem(t0: datetime, declared_at: datetime | None) -> str | None:
    """Why a T0 needs confirming with a reason: later than the declaration, or more than
    30 days before it; None when it is ordinary."""
    if declared_at is None:
        return None
    if t0 > declared_at + SLACK:
        return "is later than the incident was declared"
    if t0 < declared_at - OLDEST:
        return "is more than 30 days before the incident was declared"
    return None


def learned_record(
    via: str, notice_at: datetime | None, vendor_aware_at: datetime | None, now: datetime
) -> dict[str, Any]:
    """How the firm learned of it, for the declaration; from a vendor's notice, breach
    awareness is the notice's receipt. Raises ValueError with a message for the person."""
    if via and via not in LEARNED_VIA:
        raise ValueError(f"How we learned of it is one of: {', '.join(LEARNED_VIA)}.")
    times = {"notice_at": notice_at, "vendor_aware_at": vendor_aware_at}
    if any(at and at > now + SLACK for at in times.values()):
        raise ValueError("The vendor's notice and its own awareness cannot be in the future.")
    learned = {k: at.astimezone(UTC).isoformat() for k, at in times.items() if at}
    data: dict[str, Any] = {"learned": {"via": via, **learned}}
    if via == "vendor_notice" and "notice_at" in learned:
        data["breach_aware_at"] = learned["notice_at"]
    return data


def read_correction(text: str) -> tuple[str, datetime, bool, str]:
    """`[breach] <ISO time> [confirm] <reason>`: which awareness, when, whether confirmed,
    and why. Raises ValueError with a message for the person."""
    which, _, rest = text.strip().partition(" ")
    if which.lower() != "breach":
        which, rest = "incident", text
    stamp, _, reason = rest.strip().partition(" ")
    when = _iso(stamp)
    if not reason.strip():
        raise ValueError("Give a reason after the time: why T0 is being corrected.")
    reason = reason.strip()
    first, _, after = reason.partition(" ")
    if first.lower() == "confirm":
        if not after.strip():
            raise ValueError("Give a reason after 'confirm': why T0 is being corrected.")
        return which.lower(), when, True, after.strip()
    return which.lower(), when, False, reason


def _iso(stamp: str) -> datetime:
    try:
        when = datetime.fromisoformat(stamp)
    except ValueError:
        raise ValueError(
            f"'{stamp[:40]}' is not an ISO time; e.g. 2026-03-24T09:00+00:00."
        ) from None
    if when.tzinfo is None:
        raise ValueError("Give the time with its offset, e.g. 2026-03-24T09:00+00:00.")
    return when


def vendor_timeliness(
    vendor_aware_at: datetime | None, notice_at: datetime | None, within: timedelta | None
) -> str:
    """Whether the vendor told us within its contract's `vendor_notifies_within`."""
    if vendor_aware_at is None or notice_at is None:
        return "the vendor's own awareness time is not recorded"
    took = notice_at - vendor_aware_at
    hours = f"{took.total_seconds() / 3600:.0f}h"
    if within is None:
        return f"the vendor told us {hours} after it became aware (no contract term)"
    met = "within" if took <= within else "outside"
    limit = f"{within.total_seconds() / 3600:.0f}h"
    return f"the vendor told us {hours} after it became aware: {met} its contract's {limit}"
