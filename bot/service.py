"""Use-cases: one short async function each; load → decide (pure) → save → tell the room.

Platform handlers translate what people do into exactly these calls:

    incident = await declare(deps, actor, DeclareForm("Report shows another client's data",
                                                      "drafting-assistant", "context_leakage"))
    await answer(deps, incident.key, actor, "Q3", "unsure")

How each changes an incident (`act`, `commit`, `record`) and what it is given (`Deps`) are
`bot.acting`; declaring one and opening its room are `bot.opening`. Both are named here too,
so an edge needs only this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot import decisions, pins, proposals
from bot.acting import (
    ATTEMPTS,
    Decide,
    Deps,
    act,
    commit,
    load,
    published,
    read,
    record,
    undelivered,
)
from bot.decisions import CloseForm, Draft, Refused
from bot.evidence_files import keep_file
from bot.incident import Incident
from bot.kinds import EventType
from bot.opening import declare, open_room, page, record_declaration
from bot.permissions import permit, permit_sign_offs
from bot.runbook import Runbook
from bot.timeline import Actor

__all__ = [
    "ATTEMPTS",
    "Decide",
    "Deps",
    "acknowledge",
    "act",
    "add_evidence",
    "answer",
    "close",
    "commit",
    "contain",
    "correct_awareness",
    "declare",
    "explain_delay",
    "handover",
    "load",
    "mark_obligation",
    "note",
    "open_room",
    "override_gate",
    "page",
    "pin",
    "published",
    "read",
    "record",
    "record_declaration",
    "undelivered",
    "unpin",
]


async def acknowledge(deps: Deps, key: str, actor: Actor, role: str = "incident_lead") -> Incident:
    return await act(
        deps, key, actor, lambda i, now: decisions.acknowledge(i, deps.runbook, actor, role)
    )


async def handover(deps: Deps, key: str, actor: Actor, to: str, reason: str = "") -> Incident:
    return await act(
        deps, key, actor, lambda i, now: decisions.handover(i, deps.runbook, actor, to, reason)
    )


async def contain(
    deps: Deps, key: str, actor: Actor, step: int, status: str, reason: str = ""
) -> Incident:
    def decide(incident: Incident, now: datetime) -> list[Draft]:
        permit(deps.runbook, incident, actor, "contain", "mark containment steps")
        return decisions.contain(incident, deps.runbook, step, status, reason)

    return await act(deps, key, actor, decide)


async def override_gate(deps: Deps, key: str, actor: Actor, gate: str, reason: str) -> Incident:
    return await act(
        deps,
        key,
        actor,
        lambda i, now: decisions.override_gate(i, deps.runbook, actor, gate, reason),
    )


async def answer(
    deps: Deps, key: str, actor: Actor, question: str, value: str, reason: str = ""
) -> Incident:
    def decide(incident: Incident, now: datetime) -> list[Draft]:
        if not proposals.decides(deps.runbook, incident, actor, question):
            return proposals.propose(incident, deps.runbook, question, value, reason)
        drafts = decisions.answer(incident, deps.runbook, actor, question, value, reason)
        return drafts + _pages_for(incident, drafts, deps.runbook)

    return await act(deps, key, actor, decide)


def _pages_for(incident: Incident, drafts: Sequence[Draft], runbook: Runbook) -> list[Draft]:
    """Page the first person of any role an answer brings in (the DPO for personal data)."""
    paged = {p.role for p in incident.pages}
    roles = [
        str(d.data["role"]) for d in drafts if d.type == EventType.INVOLVED and d.data.get("role")
    ]
    return [
        Draft(EventType.PAGED, {"role": r, "person": runbook.roles[r][0], "attempt": 0})
        for r in dict.fromkeys(roles)
        if r not in paged and runbook.roles.get(r)
    ]


async def add_evidence(
    deps: Deps,
    key: str,
    actor: Actor,
    text: str,
    item: str | None = None,
    content: bytes | None = None,
    source: str = "chat",
    filename: str = "",
    content_type: str = "",
) -> Incident:
    """A file's bytes are kept (under RECORDS_DIR) before the record names them."""
    if content is not None:
        key = (await load(deps, key)).key  # a key that names no incident keeps no file
    stored = await keep_file(deps.records, key, content)
    return await act(
        deps,
        key,
        actor,
        lambda i, now: decisions.add_evidence(
            i, text, item, content, source, filename, content_type, stored
        ),
    )


async def note(deps: Deps, key: str, actor: Actor, text: str) -> Incident:
    return await act(deps, key, actor, lambda i, now: decisions.note(i, text))


async def correct_awareness(
    deps: Deps,
    key: str,
    actor: Actor,
    aware_at: datetime,
    reason: str,
    which: str = "incident",
    confirmed: bool = False,
) -> Incident:
    def decide(i: Incident, now: datetime) -> list[Draft]:
        runbook = deps.runbook
        return decisions.correct_awareness(
            i, runbook, actor, aware_at, reason, now, which, confirmed
        )

    return await act(deps, key, actor, decide)


async def mark_obligation(
    deps: Deps, key: str, actor: Actor, clock: str, status: str, text: str
) -> Incident:
    if status not in ("done", "waived"):
        raise Refused("An obligation is marked done (with a reference) or waived (with a reason).")
    if status == "waived":
        return await act(
            deps, key, actor, lambda i, now: decisions.waive(i, deps.runbook, actor, clock, text)
        )
    return await act(
        deps,
        key,
        actor,
        lambda i, now: decisions.mark_done(i, deps.runbook, actor, clock, text, now),
    )


async def explain_delay(deps: Deps, key: str, actor: Actor, clock: str, reason: str) -> Incident:
    return await act(deps, key, actor, lambda i, now: decisions.explain_delay(i, clock, reason))


async def close(deps: Deps, key: str, actor: Actor, form: CloseForm) -> Incident:
    def decide(incident: Incident, now: datetime) -> list[Draft]:
        permit_sign_offs(deps.runbook, actor, form.criteria)
        return decisions.close(incident, deps.runbook, actor, form)

    return await act(deps, key, actor, decide, whole=True)  # its summary lists the evidence


async def pin(deps: Deps, key: str, actor: Actor, said: pins.Said) -> Incident:
    """A message pinned in the room (or given the 📌 reaction), onto the timeline."""
    return await act(deps, key, actor, lambda i, now: pins.pinned(i, said))


async def unpin(deps: Deps, key: str, actor: Actor, platform: str, message_id: str) -> Incident:
    """Unpinning is recorded beside the pin; the pin stays on the timeline."""
    return await act(deps, key, actor, lambda i, now: pins.unpinned(i, platform, message_id))
