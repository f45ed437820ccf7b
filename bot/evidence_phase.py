"""What the room is told when the evidence phase starts: the retention hold first (logs
expire on the vendor's schedule, not ours), then where the system's logs live and how long
they are kept, from the runbook.

    said = evidence_start(incident, runbook)
"""

from __future__ import annotations

from bot.incident import Incident
from bot.runbook import Runbook


def evidence_start(incident: Incident, runbook: Runbook) -> str:
    system = runbook.system(incident.system)
    if system is None:
        return "Evidence: record what you have with `evidence` (a file shared here is kept)."
    notes = f" ({system.contract.notes})" if system.contract.notes else ""
    return "\n".join(
        (
            f"Evidence for {system.name}. First, before logs expire or anything is changed:",
            f"1. Send a retention hold (E2) to {system.vendor}{notes}.",
            f"2. Logs, where they live and how long they are kept: {system.logs}",
            "3. Then the checklist: type `evidence` to see it; a file shared here is kept "
            "and hashed from its bytes, a link is recorded as a link.",
        )
    )
