"""The incident's own messages in its room, as Views: the live card, a page to a role,
the containment checklist, the closing summary, a plain line and an alert's card.

    card(notice, runbook, now).fields[0]   # -> ("Phase", "classification")
"""

from __future__ import annotations

from datetime import datetime

from bot.direction import isolated
from bot.failures import FAILURE_TYPES
from bot.incident import Incident
from bot.kill_switch import confirm_text, run_state
from bot.notices import Notice
from bot.obligations import obligations
from bot.runbook import Runbook
from bot.runbook_actions import Action
from bot.status_card import card_lines
from bot.tokens import mention, mentions, moment
from bot.triage_view import alert_card
from bot.vendor import learned_line, ours_to_notify, retention_request, vendor_review
from bot.view_model import Button, View


def _who(runbook: Runbook, ids: tuple[str, ...]) -> str:
    return mentions(ids, ", then ") or "nobody named"


def card(n: Notice, runbook: Runbook, now: datetime) -> View:
    inc = n.incident
    system = runbook.system(inc.system)
    fields = (
        ("Phase", inc.phase),
        ("AI system", system.name if system else inc.system),
        ("Failure type", FAILURE_TYPES.get(inc.failure_type, inc.failure_type)),
        ("Aware (T0)", moment(inc.aware_at) if inc.aware_at else "?"),
        *_breach_field(inc),
        ("Declared by", inc.declared_by.name if inc.declared_by else "?"),
        ("Lead", mention(inc.owner) if inc.owner else "not yet acknowledged"),
    )
    said = (
        inc.noticed,
        learned_line(inc),
        *vendor_review(inc, runbook),
        ours_to_notify(system) if system else "",
    )
    lines = tuple(line for line in said if line) + card_lines(inc, runbook, now)
    return View(f"{inc.key}: {isolated(inc.title)}", lines, fields)


def _breach_field(inc: Incident) -> tuple[tuple[str, str], ...]:
    if inc.breach_aware_at is None or inc.breach_aware_at == inc.aware_at:
        return ()
    return (("Aware of the personal-data breach", moment(inc.breach_aware_at)),)


def page(n: Notice, runbook: Runbook, now: datetime) -> View:
    title = f"{n.incident.key} needs its {n.role.replace('_', ' ')}"
    acked = n.incident.acks.get(n.role)
    if acked:
        said = f"Acknowledged by {mention(acked[0])} at {moment(acked[1])}."
        return View(title, (n.text, said))
    ack = Button("Acknowledge", f"ack:{n.role}", "primary")
    return View(title, (n.text,), (), (ack,))


def containment(n: Notice, runbook: Runbook, now: datetime) -> View:
    inc = n.incident
    system = runbook.system(inc.system)
    if system is None:
        return View("Containment", ("This system is no longer in the runbook.",))
    lines = [
        f"Who can switch it off: {_who(runbook, system.kill_switch.who)}",
        f"How: {system.kill_switch.how}",
        "Capture evidence before any step that destroys state (rotating keys, purging "
        "caches, redeploying).",
        *((retention_request(system),) if system.contract.processor else ()),
        "Step 1 is the kill switch: once it is done (or not possible) the questions open "
        "while the other steps go on.",
    ]
    buttons: list[Button] = []
    for i, step in enumerate(system.containment):
        rec = inc.steps.get(i)
        if rec:
            said = "done" if rec.status == "done" else f"not possible: {rec.reason}"
            lines.append(f"{i + 1}. {step} — {said} ({rec.by.name}, {moment(rec.at)})")
        else:
            lines.append(f"{i + 1}. {step}" + run_state(inc, i))
            buttons += [
                *run_button(system.action(i), i, confirm_text(inc, runbook, f"killswitch:{i}")),
                Button(f"{i + 1}: Done", f"contain:{i}:done", "primary"),
                Button(f"{i + 1}: Not possible", f"contain:{i}:not_possible", "", "reason"),
            ]
    return View("Containment", tuple(lines), (), tuple(buttons))


def run_button(action: Action | None, step: int, request: str) -> tuple[Button, ...]:
    """Run beside Done / Not possible; it asks for confirmation, showing the request."""
    if action is None:
        return ()
    label = f"{step + 1}: Rehearse (dry run)" if action.dry_run else f"{step + 1}: Run"
    return (Button(label, f"killswitch:{step}", "danger", "confirm", request),)


def summary(n: Notice, runbook: Runbook, now: datetime) -> View:
    inc = n.incident
    lines = [
        f"T0 {moment(inc.aware_at)}" if inc.aware_at else "T0 unknown",
        f"Root cause: {inc.closing.get('root_cause', '')}",
    ]
    lines += [
        f"{a.question}: {a.value} — {a.by.name}, {moment(a.at)}" for a in inc.answers.values()
    ]
    lines += [
        f"{ob.terms.title}: {ob.status}"
        + (
            f" ({ob.record.reference or ob.record.reason})"
            if ob.record.reference or ob.record.reason
            else ""
        )
        for ob in obligations(runbook, inc, now)
    ]
    lines += [f"Evidence: {e.text} sha256 {e.sha256[:16]}…" for e in inc.evidence]
    lines += vendor_review(inc, runbook)
    if inc.closing.get("lessons"):
        lines.append(f"Lessons: {inc.closing['lessons']}")
    if inc.last is not None:  # published outside the database: `verify --expect-head` it
        lines.append(f"Record head: {inc.last.hash} (event {inc.last.seq})")
    return View(f"{inc.key} closed: {isolated(inc.title)}", tuple(lines))


def text(n: Notice, runbook: Runbook, now: datetime) -> View:
    return View(n.text)


def alert(n: Notice, runbook: Runbook, now: datetime) -> View:
    if n.alert is None:
        return View("An alert")
    found = alert_card(n.alert, runbook)
    return View(found.title, found.lines, found.fields, tuple(Button(*b) for b in found.buttons))
