"""Notices as neutral views: a title, lines of text, fields and buttons.

Each platform renders a View its own way. Two tokens (bot.tokens) may appear in text: a
mention of a runbook person and a moment (Slack shows it in each reader's zone, other
renderers in the firm's zone via `local_time`). A third, a room, appears only where an edge
asked for its own rooms to be named (`list_view`). Text people entered never holds one.

    v = view(notice, runbook, now)
    v.buttons[0].action_id   # -> "classify:Q3:yes"; on an ICO obligation, also "draft:ico_art33"

Text between single asterisks is strong (`*yes*`): Slack's own markup; the web chat shows
<strong>, Teams **text**.

The answers to `/ai-incident status`, `list`, `help`, `runbook` and `evidence` are built here
too, once for every edge:

    status_view(incident, runbook, now).lines[0]   # -> "Phase: classification"
    runbook_view(runbook).title   # -> "AI incident runbook — Harbour & Vale Advisory LLP"
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from bot.classification import ASKS_FOR_TEXT, BY_ID, applicable_questions
from bot.commands import HELP
from bot.direction import isolated
from bot.durations import local_time, span, time_left
from bot.failures import EVIDENCE_ITEMS, FAILURE_TYPES
from bot.incident import Incident
from bot.kill_switch import confirm_text, run_state
from bot.kinds import NoticeKind
from bot.notices import Notice
from bot.obligations import Obligation, obligation, obligations
from bot.outstanding import outstanding
from bot.papers.onepager import Facts, Items, Paragraph, Section, Table, outline
from bot.ports import IncidentSummary
from bot.runbook import Runbook
from bot.runbook_actions import Action
from bot.status_card import card_lines
from bot.tokens import PERSON_OR_MOMENT, mention, mentions, moment, room
from bot.triage_view import alert_card
from bot.vendor import learned_line, ours_to_notify, retention_request, vendor_review

TOKEN = PERSON_OR_MOMENT


@dataclass(frozen=True)
class Button:
    label: str
    action_id: str
    style: str = ""  # "primary", "danger" or ""
    needs: str = ""  # "reason" or "reference": the edge asks for it before calling the core
    detail: str = ""  # with needs "confirm": what the presser confirms (a kill switch's request)


@dataclass(frozen=True)
class View:
    title: str
    lines: tuple[str, ...] = ()
    fields: tuple[tuple[str, str], ...] = ()
    buttons: tuple[Button, ...] = ()


def plain(text: str, runbook: Runbook) -> str:
    """Resolve tokens for a reader with no platform: names and the firm's local time."""

    def sub(m: re.Match[str]) -> str:
        token = m.group(1)
        if token.startswith("@"):
            person = runbook.find_person(token[1:])
            return "@" + (person.name if person else token[1:])
        return local_time(datetime.fromisoformat(token[2:]), runbook.firm.timezone)

    return TOKEN.sub(sub, text)


def utc(at: datetime) -> str:
    """A deadline in UTC too, beside the firm's zone: no one has to convert it."""
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def _named(runbook: Runbook, ids: tuple[str, ...]) -> str:
    """By name, pinging nobody: the owner is mentioned when a clock is due, not before."""
    people = [runbook.find_person(i) for i in ids]
    return ", ".join(p.name for p in people if p) or "nobody named"


def _who(runbook: Runbook, ids: tuple[str, ...]) -> str:
    return mentions(ids, ", then ") or "nobody named"


def _card(n: Notice, runbook: Runbook, now: datetime) -> View:
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


def _page(n: Notice, runbook: Runbook, now: datetime) -> View:
    title = f"{n.incident.key} needs its {n.role.replace('_', ' ')}"
    acked = n.incident.acks.get(n.role)
    if acked:
        said = f"Acknowledged by {mention(acked[0])} at {moment(acked[1])}."
        return View(title, (n.text, said))
    ack = Button("Acknowledge", f"ack:{n.role}", "primary")
    return View(title, (n.text,), (), (ack,))


def _containment(n: Notice, runbook: Runbook, now: datetime) -> View:
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
    """**Run** beside Done / Not possible; it asks for confirmation, showing the request."""
    if action is None:
        return ()
    label = f"{step + 1}: Rehearse (dry run)" if action.dry_run else f"{step + 1}: Run"
    return (Button(label, f"killswitch:{step}", "danger", "confirm", request),)


def _question(n: Notice, runbook: Runbook, now: datetime) -> View:
    q = BY_ID[n.question]
    a = n.incident.answers.get(q.id)
    asked = q in applicable_questions(runbook.firm.profile, n.incident.answer_values)
    if not asked:
        return View(f"{q.id}. {q.text}", ("Skipped: an earlier answer rules it out.",))
    p = n.incident.proposed.get(q.id)  # shown as proposed until its decider confirms
    proposed = (
        (f"Proposed: *{p.value}* — {p.by.name}, {moment(p.at)}; not decided yet",) if p else ()
    )
    if a is not None:
        said = f"*{a.value}* — {a.by.name}, {moment(a.at)}" + (f" ({a.reason})" if a.reason else "")
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


def _questions(n: Notice, runbook: Runbook, now: datetime) -> View:
    """Every question asked, in one message updated in place as the answers come."""
    lines: list[str] = ["Unsure counts as yes until it is resolved."]
    buttons: list[Button] = []
    for q in applicable_questions(runbook.firm.profile, n.incident.answer_values):
        one = _question(replace(n, question=q.id), runbook, now)
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


def _obligation(n: Notice, runbook: Runbook, now: datetime) -> View:
    ob = obligation(runbook, n.incident, n.clock, now)
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


def _reminder(n: Notice, runbook: Runbook, now: datetime) -> View:
    view = _obligation(n, runbook, now) if n.clock else View("Reminder")
    if n.text.startswith("OVERDUE") and view.buttons:
        delay = Button("Reason for delay", f"delay:{n.clock}", "danger", "reason")
        view = replace(view, buttons=(*view.buttons, delay))
    late = f" (sent {span(timedelta(seconds=n.late_by_s))} late)" if n.late_by_s >= 60 else ""
    return View(n.text + late, view.lines, view.fields, view.buttons)


def _summary(n: Notice, runbook: Runbook, now: datetime) -> View:
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


def _text(n: Notice, runbook: Runbook, now: datetime) -> View:
    return View(n.text)


def _alert(n: Notice, runbook: Runbook, now: datetime) -> View:
    if n.alert is None:
        return View("An alert")
    card = alert_card(n.alert, runbook)
    return View(card.title, card.lines, card.fields, tuple(Button(*b) for b in card.buttons))


RENDER: dict[NoticeKind, Callable[[Notice, Runbook, datetime], View]] = {
    NoticeKind.CARD: _card,
    NoticeKind.PAGE: _page,
    NoticeKind.CONTAINMENT: _containment,
    NoticeKind.QUESTION: _question,
    NoticeKind.QUESTIONS: _questions,
    NoticeKind.OBLIGATION: _obligation,
    NoticeKind.REMINDER: _reminder,
    NoticeKind.SUMMARY: _summary,
    NoticeKind.TEXT: _text,
    NoticeKind.ALERT: _alert,
}


def view(notice: Notice, runbook: Runbook, now: datetime) -> View:
    return RENDER[notice.kind](notice, runbook, now)


# --- answers to /ai-incident status and list ----------------------------------------------


def _lead(person: str | None) -> str:
    return mention(person) if person else "not yet acknowledged"


def _clock_line(ob: Obligation, now: datetime) -> str:
    if ob.due_at is None:
        return f"{ob.terms.title}: due at close; {ob.status}"
    left = time_left(ob.due_at, now)
    return f"{ob.terms.title}: due {moment(ob.due_at)} = {utc(ob.due_at)} ({left}); {ob.status}"


def status_view(incident: Incident, runbook: Runbook, now: datetime) -> View:
    """Phase, lead, each clock with its deadline and time left, and what is still open."""
    lines = [f"Phase: {incident.phase}", f"Lead: {_lead(incident.owner)}"]
    lines += [_clock_line(ob, now) for ob in obligations(runbook, incident, now)]
    items = outstanding(incident, runbook)
    lines.append("Open items: " + ("; ".join(items) if items else "none"))
    return View(f"{incident.key} status: {isolated(incident.title)}", tuple(lines))


def list_view(incidents: Sequence[IncidentSummary], rooms_on: str = "") -> View:
    """The open incidents, newest first, each with its lead; with `rooms_on` (a platform),
    the room of each incident on that platform as a room token."""

    def where(i: IncidentSummary) -> str:
        return f" in {room(i.room_id)}" if rooms_on and i.room_platform == rooms_on else ""

    lines = tuple(
        f"{i.key}: {isolated(i.title)} — {i.phase}, lead {_lead(i.owner)}{where(i)}"
        for i in sorted(incidents, key=lambda i: i.key, reverse=True)
    )
    return View("Open incidents", lines or ("No open incidents.",))


def help_view(error: str = "") -> View:
    """The command list, after what was wrong with the command typed (if anything)."""
    return View("Commands", (*((error,) if error else ()), *HELP.splitlines()))


MAX_LABEL = 75


def _said(text: str) -> str:
    """The one-pager's **strong** as a View's *strong*."""
    return text.replace("**", "*")


def _section_lines(section: Section) -> list[str]:
    lines = [f"*{section.title}*"]
    for block in section.blocks:
        if isinstance(block, Paragraph):
            lines.append(_said(block.text))
        elif isinstance(block, Items):
            lines += [f"• {_said(item)}" for item in block.items]
        elif isinstance(block, Facts | Table):
            lines += [f"{label}: {value}" for label, value in block.rows]
    return lines


def runbook_view(runbook: Runbook) -> View:
    lines = [line for section in outline(runbook) for line in _section_lines(section)]
    return View(f"AI incident runbook — {runbook.firm.name}", tuple(lines))


def _label(item: str, name: str) -> str:
    label = f"{item}: {name}"
    return label if len(label) <= MAX_LABEL else item


def evidence_view(incident: Incident) -> View:
    """DOMAIN.md's checklist: what is recorded so far, and a button per item to add to it."""
    counts = {item: sum(1 for e in incident.evidence if e.item == item) for item in EVIDENCE_ITEMS}
    lines = [
        f"{item} {name} — " + (f"{counts[item]} recorded" if counts[item] else "nothing yet")
        for item, name in EVIDENCE_ITEMS.items()
    ]
    loose = sum(1 for e in incident.evidence if e.item is None)
    lines.append(f"Other evidence (notes, links, files shared here): {loose} recorded")
    buttons = tuple(
        Button(_label(item, name), f"evidence:{item}", "", "evidence")
        for item, name in EVIDENCE_ITEMS.items()
    )
    return View(f"{incident.key} evidence checklist", tuple(lines), (), buttons)
