"""A containment step's kill-switch action: the request, its signature, and what the record
says about each run.

    req = request_for(incident, runbook, 0)
    req.idempotency_key       # -> "AI-2026-0001:1"
    preview(req)[0]           # -> "POST https://flags.example.com/api/flags/ai-drafts"
    sign("secret", 1767225600, req.body)   # -> "v1=5f0c…"

A run is two events: `kill_switch_sent`, saved before the request leaves (so a crash after
sending is on the record, and no second press sends again), then `kill_switch_result`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from bot.decisions import Draft, Forbidden, Refused
from bot.incident import Incident
from bot.kinds import EventType
from bot.runbook import Runbook
from bot.runbook_actions import ENV_REFERENCE, Action
from bot.timeline import Actor, Event

SENT, RESULT = EventType.KILL_SWITCH_SENT, EventType.KILL_SWITCH_RESULT
EXCERPT = 300  # characters of the receiver's answer kept on the timeline
SIGNED_HEADERS = ("X-AI-Incident-Timestamp", "X-AI-Incident-Signature", "Idempotency-Key")


@dataclass(frozen=True)
class KillRequest:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]  # as the runbook wrote them: ${ENV} unresolved
    body: str  # the JSON text sent, exactly (the signature covers it)
    timeout_s: float
    dry_run: bool
    idempotency_key: str


@dataclass(frozen=True)
class Outcome:
    """What came of sending: `ok` for a 2xx answer."""

    ok: bool
    status: int | None = None
    excerpt: str = ""
    elapsed_ms: int = 0
    attempts: int = 0
    error: str = ""


class KillSwitchSender(Protocol):
    async def send(self, request: KillRequest) -> Outcome:
        """Sign and send (retrying 5xx and timeouts); never raises for the receiver's answer."""
        ...


def sign(secret: str, timestamp: int, body: str) -> str:
    """`v1=` and the hex HMAC-SHA256 of "v1:{timestamp}:{body}", as a receiver checks it."""
    base = f"v1:{timestamp}:{body}".encode()
    return "v1=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def _filled(value: object, places: Mapping[str, str]) -> object:
    if isinstance(value, str):
        for name, said in places.items():
            value = value.replace("{" + name + "}", said)
        return value
    if isinstance(value, list):
        return [_filled(v, places) for v in value]
    if isinstance(value, dict):
        return {k: _filled(v, places) for k, v in value.items()}
    return value


def action_of(incident: Incident, runbook: Runbook, step: int) -> Action:
    system = runbook.system(incident.system)
    if system is None or not 0 <= step < len(system.containment):
        raise Refused(f"There is no containment step {step + 1} for this system.")
    action = system.action(step)
    if action is None:
        raise Refused(f"Step {step + 1} has no action to run; mark it Done or Not possible.")
    return action


def request_for(incident: Incident, runbook: Runbook, step: int) -> KillRequest:
    action = action_of(incident, runbook, step)
    places = {"incident": incident.key, "system": incident.system, "step": str(step + 1)}
    body = _filled(action.body, places)
    return KillRequest(
        method=action.method,
        url=action.url,
        headers=action.headers,
        body="" if body is None else json.dumps(body, separators=(",", ":"), default=str),
        timeout_s=action.timeout_s,
        dry_run=action.dry_run,
        idempotency_key=f"{incident.key}:{step + 1}",
    )


def _masked(value: str) -> str:
    return ENV_REFERENCE.sub(lambda m: f"•••• (${m.group(1)})", value)


def preview(req: KillRequest) -> tuple[str, ...]:
    """The request exactly as it will go, each secret shown as where it comes from."""
    lines = [f"{req.method} {req.url}"]
    lines += [f"{name}: {_masked(value)}" for name, value in req.headers]
    lines += ["Content-Type: application/json"] if req.body else []
    lines += [
        "X-AI-Incident-Timestamp: (the time of sending)",
        "X-AI-Incident-Signature: v1=•••• (HMAC-SHA256 with $KILL_SWITCH_SECRET)",
        f"Idempotency-Key: {req.idempotency_key}",
    ]
    lines += [req.body] if req.body else []
    if req.dry_run:
        lines.append("Dry run: the runbook says to rehearse; nothing will be sent.")
    return tuple(lines)


def last_run(incident: Incident, step: int) -> Event | None:
    """The step's last sent or result event."""
    return incident.kill_runs.get(step)


def start(incident: Incident, runbook: Runbook, actor: Actor, step: int) -> list[Draft]:
    """Refuse anyone outside the kill-switch chain, a step already settled, and a run the
    record shows under way or unfinished (a double click, a retry, a crash after sending)."""
    if incident.closed_at is not None:
        raise Refused(f"{incident.key} is closed; nothing more can be changed.")
    req = request_for(incident, runbook, step)
    system = runbook.system(incident.system)
    who = system.kill_switch.who if system else ()
    if actor.person_id not in who:
        names = ", ".join(p.name for p in map(runbook.person, who)) or "nobody"
        raise Forbidden(f"Only the kill-switch chain ({names}) may run this step.")
    if step in incident.steps:
        raise Refused(f"Step {step + 1} is already recorded as {incident.steps[step].status}.")
    last = last_run(incident, step)
    if last is not None and last.type == SENT:
        at = last.at.isoformat(timespec="seconds")
        raise Refused(
            f"Step {step + 1} was sent at {at} ({req.idempotency_key}) and its outcome is not "
            "recorded yet; check the system, then mark the step Done or Not possible."
        )
    data: dict[str, Any] = {"step": step, "method": req.method, "url": req.url}
    data |= {"idempotency_key": req.idempotency_key, "dry_run": req.dry_run}
    return [Draft(SENT, data)]


def finish(incident: Incident, req: KillRequest, step: int, outcome: Outcome) -> list[Draft]:
    data: dict[str, Any] = {
        "step": step,
        "ok": outcome.ok,
        "status": outcome.status,
        "excerpt": outcome.excerpt[:EXCERPT],
        "elapsed_ms": outcome.elapsed_ms,
        "attempts": outcome.attempts,
        "error": outcome.error,
        "dry_run": req.dry_run,
    }
    drafts = [Draft(RESULT, data)]
    if outcome.ok and not req.dry_run and step not in incident.steps:
        drafts.append(
            Draft(EventType.CONTAINMENT_STEP, {"step": step, "status": "done", "reason": ""})
        )
    return drafts


def said(data: Mapping[str, Any], key: str) -> str:
    """The room's line for a result."""
    step = int(data["step"]) + 1
    timing = f"{data.get('elapsed_ms', 0)} ms, {data.get('attempts', 0)} attempt(s)"
    answer = f"HTTP {data['status']}" if data.get("status") is not None else "no answer"
    excerpt = f": {data['excerpt']}" if data.get("excerpt") else ""
    if data.get("dry_run"):
        return f"Dry run of step {step} ({key}:{step}): nothing was sent; the step stays open."
    if data.get("ok"):
        return f"Kill switch for step {step} ran: {answer} ({timing}){excerpt}."
    error = f" {data['error']}" if data.get("error") else ""
    return (
        f"Kill switch for step {step} FAILED: {answer} ({timing}){excerpt}.{error} "
        "The step stays open: try again, or switch it off by hand."
    )


def run_state(incident: Incident, step: int) -> str:
    """What the record says of the step's last run, for its checklist line."""
    last = last_run(incident, step)
    if last is None:
        return ""
    if last.type == SENT:
        return f" — sent by {last.actor.name}, awaiting the answer"
    if last.data.get("dry_run"):
        return " — rehearsed (dry run)"
    answer = f"HTTP {last.data['status']}" if last.data.get("status") is not None else "no answer"
    return "" if last.data.get("ok") else f" — the last run failed ({answer})"


def confirm_text(incident: Incident | None, runbook: Runbook, action: str) -> str:
    """The request a `killswitch:<step>` button would send, for a confirmation on the page."""
    step = action.partition(":")[2]
    if incident is None or not step.isdigit():
        return ""
    try:
        return "\n".join(preview(request_for(incident, runbook, int(step))))
    except Refused as refused:
        return refused.message
