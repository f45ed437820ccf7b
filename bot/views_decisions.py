"""What the room is asked to decide, as Views: each classification question (and all of them
in one message), each notice a clock calls for, and a clock's reminders.

    question(notice, runbook, now).buttons[0].action_id   # -> "classify:Q3:yes"
    obligation(notice, runbook, now).buttons[-1].action_id  # on the ICO's: "draft:ico_art33"
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from bot.classification import ASKS_FOR_TEXT, BY_ID, applicable_questions
from bot.durations import span, time_left
from bot.notices import Notice
from bot.obligations import Obligation
from bot.obligations import obligation as obligation_of
from bot.runbook import Runbook
from bot.tokens import moment, strong
from bot.view_model import Button, View, utc


def _named(runbook: Runbook, ids: tuple[str, ...]) -> str:
    """By name, pinging nobody: the owner is mentioned when a clock is due, not before."""
    people = [runbook.find_person(i) for i in ids]
    return ", ".join(p.name for p in people if p) or "nobody named"


def question(n: Notice, runbook: Runbook, now: datetime) -> View:
    q = BY_ID[n.question]
    a = n.incident.answers.get(q.id)
    asked = q in applicable_questions(runbook.firm.profile, n.incident.answer_values)
    if not asked:
        return View(f"{q.id}. {q.text}", ("Skipped: an earlier answer rules it out.",))
    p = n.incident.proposed.get(q.id)  # shown as proposed until its decider confirms
    proposed = (
        (f"Proposed: {strong(p.value)} — {p.by.name}, {moment(p.at)}; not decided yet",)
        if p
        else ()
    )
    if a is not None:
        said = f"{strong(a.value)} — {a.by.name}, {moment(a.at)}"
        said += f" ({a.reason})" if a.reason else ""
        change = tuple(
            Button(f"Change to {o}", f"classify:{q.id}:{o}", "", "reason")
            for o in q.options
            if o != a.value
        )
        return View(f"{q.id}. {q.text}", (said, *proposed), (), change)
    asks = ASKS_FOR_TEXT.get(q.id, "")
    buttons = tuple(
        Button(
            o.capitalize(),
            f"classify:{q.id}:{o}",
            "primary" if o == "yes" else "",
            asks if o != "no" else "",
        )
        for o in q.options
    )
    return View(f"{q.id}. {q.text}", proposed, (), buttons)


def questions(n: Notice, runbook: Runbook, now: datetime) -> View:
    """Every question asked, in one message updated in place as the answers come."""
    lines: list[str] = ["Unsure counts as yes until it is resolved."]
    buttons: list[Button] = []
    for q in applicable_questions(runbook.firm.profile, n.incident.answer_values):
        one = question(replace(n, question=q.id), runbook, now)
        said = f" — {one.lines[0]}" if one.lines else ""
        lines.append(f"{one.title}{said}")
        buttons += [replace(b, label=f"{q.id}: {b.label}") for b in one.buttons]
    return View(f"{n.incident.key} — classification questions", tuple(lines), (), tuple(buttons))


def obligation_lines(ob: Obligation, runbook: Runbook, now: datetime) -> tuple[str, ...]:
    basis = "law" if ob.terms.basis == "law" else f"{ob.terms.basis} target"
    due = (
        f"due {moment(ob.due_at)} = {utc(ob.due_at)} ({time_left(ob.due_at, now)})"
        if ob.due_at
        else "due at close"
    )
    status = {
        "done": f"done — {ob.record.reference}",
        "waived": f"not notifying — {ob.record.reason}",
    }.get(ob.status, ob.status)
    runs = "a personal-data breach" if ob.terms.runs_from == "breach" else "the incident"
    return (
        f"Notify {ob.terms.recipient}: {ob.terms.wording} [{basis}]; runs from awareness of {runs}",
        f"{due}; owner {_named(runbook, ob.terms.owners[:1])}; status: {status}",
    )


def obligation(n: Notice, runbook: Runbook, now: datetime) -> View:
    ob = obligation_of(runbook, n.incident, n.clock, now)
    buttons: tuple[Button, ...] = ()
    if ob.open:
        buttons = (
            Button("Mark done", f"obligation:{ob.id}:done", "primary", "reference"),
            Button("Decided not to notify", f"obligation:{ob.id}:waived", "", "reason"),
            *_draft_button(ob),
        )
    title = f"{ob.terms.title} — likely applies; the named owner confirms"
    return View(title, obligation_lines(ob, runbook, now), (), buttons)


def _draft_button(ob: Obligation) -> tuple[Button, ...]:
    """Shows the presser alone the notice drafted from the record; it records nothing."""
    return (Button("Draft the notice", f"draft:{ob.id}"),) if ob.terms.draft else ()


def reminder(n: Notice, runbook: Runbook, now: datetime) -> View:
    view = obligation(n, runbook, now) if n.clock else View("Reminder")
    if n.text.startswith("OVERDUE") and view.buttons:
        delay = Button("Reason for delay", f"delay:{n.clock}", "danger", "reason")
        view = replace(view, buttons=(*view.buttons, delay))
    late = f" (sent {span(timedelta(seconds=n.late_by_s))} late)" if n.late_by_s >= 60 else ""
    return View(n.text + late, view.lines, view.fields, view.buttons)
