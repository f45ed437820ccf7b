"""Run a containment step's kill switch: record, send once, record what came of it.

    outcome = await run(deps, "AI-2026-0001", actor, 0)   # the room hears the result

The sent event is saved before the request leaves, so a second press (a double click, a
redelivered click, a press after a crash mid-send) finds it on the record and is refused.
"""

from __future__ import annotations

import logging

from bot import kill_switch, service
from bot.decisions import Refused
from bot.kill_switch import KillRequest, Outcome
from bot.service import Deps
from bot.timeline import Actor

log = logging.getLogger(__name__)


CONFIRM = "confirm"  # a Button's `needs`: show the request, and send only once confirmed


async def confirmation(deps: Deps, key: str, action: str) -> tuple[str, ...]:
    """What the presser of `killswitch:<step>` is shown before the request is sent."""
    step = action.partition(":")[2]
    if not step.isdigit():
        raise Refused(f"There is no action '{action[:40]}'.")
    incident = await service.load(deps, key)
    return kill_switch.preview(kill_switch.request_for(incident, deps.runbook, int(step)))


async def run(deps: Deps, key: str, actor: Actor, step: int) -> Outcome:
    loaded = await service.load(deps, key)
    if deps.kill_switch is None and not kill_switch.request_for(loaded, deps.runbook, step).dry_run:
        raise Refused("This bot cannot send kill-switch requests here; switch it off by hand.")
    incident = await service.act(
        deps, key, actor, lambda i, now: kill_switch.start(i, deps.runbook, actor, step)
    )
    req = kill_switch.request_for(incident, deps.runbook, step)
    outcome = await _send(deps, req)
    await service.act(
        deps, incident.key, actor, lambda i, now: kill_switch.finish(i, req, step, outcome)
    )
    return outcome


async def _send(deps: Deps, req: KillRequest) -> Outcome:
    if req.dry_run:
        return Outcome(ok=True, error="dry run")
    if deps.kill_switch is None:
        return Outcome(ok=False, error="no sender configured")
    try:
        return await deps.kill_switch.send(req)
    except Exception as error:  # the record must say what became of the request
        log.exception("kill-switch send failed for %s", req.idempotency_key)
        return Outcome(ok=False, error=f"the bot failed while sending: {type(error).__name__}")
