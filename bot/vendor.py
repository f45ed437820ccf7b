"""The vendor in the chain: what the firm must notify itself, what to ask the vendor for
first, and how the vendor did when it was the one who told us.

    ours_to_notify(system)      # -> "Ours to notify (ExampleAI Ltd never does it for us): ..."
    retention_request(system)   # -> "First evidence step: ask ExampleAI Ltd (contract ...) ..."
    vendor_review(incident, runbook)   # -> lines for the close summary
"""

from __future__ import annotations

from datetime import datetime

from bot.awareness import LEARNED_LABELS, vendor_timeliness
from bot.incident import Incident
from bot.runbook import Runbook, System

# What a firm using an AI vendor notifies itself, whatever the vendor's contract says: a
# vendor (even one that is the firm's processor) never reports to the ICO for the firm.
FIRM_OWN = "the ICO, affected people, clients, regulators and insurers"


def ours_to_notify(system: System) -> str:
    ref = f" (contract {system.contract.ref})" if system.contract.ref else ""
    notes = f" Contract notes: {system.contract.notes}" if system.contract.notes else ""
    return (
        f"Ours to notify{ref}: {FIRM_OWN}; {system.vendor} never notifies the ICO for us." + notes
    )


def retention_request(system: System) -> str:
    """For a vendor that processes personal data for the firm, the first evidence step."""
    ref = system.contract.ref or "[contract reference]"
    return (
        f"First evidence step (E2): ask {system.vendor} under contract {ref} for a "
        f"retention hold and its logs ({system.logs})."
    )


def learned_line(incident: Incident) -> str:
    via = str(incident.learned.get("via", ""))
    return f"Learned of it from: {LEARNED_LABELS[via]}" if via in LEARNED_LABELS else ""


def vendor_review(incident: Incident, runbook: Runbook) -> tuple[str, ...]:
    """At close: when the vendor knew, when it told us, and whether that met the contract."""
    if incident.learned.get("via") != "vendor_notice":
        return ()
    system = runbook.system(incident.system)
    within = system.contract.vendor_notifies_within if system else None
    notice = parse_time(incident.learned.get("notice_at"))
    aware = parse_time(incident.learned.get("vendor_aware_at"))
    return (f"Vendor review: {vendor_timeliness(aware, notice, within)}.",)


def parse_time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None
