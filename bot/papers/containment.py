"""What the papers say of containment: the steps recorded as done, in the runbook's words.

    contained(incident, runbook)   # -> ["Turn off the drafting assistant", …]

Read by the breach register (its remedial action) and by the notice drafts alike.
"""

from __future__ import annotations

from bot.incident import Incident
from bot.runbook import Runbook


def contained(incident: Incident, runbook: Runbook) -> list[str]:
    """The containment steps recorded as done, in the runbook's words."""
    system = runbook.system(incident.system)
    steps = enumerate(system.containment if system else ())
    return [s for i, s in steps if i in incident.steps and incident.steps[i].status == "done"]
