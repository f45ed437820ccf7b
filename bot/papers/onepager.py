"""The printable one-page runbook: what to do, who decides, and what the clocks are.

    markdown = render_runbook_markdown(runbook)
    html = render_runbook_html(runbook)   # one self-contained A4 page, runbook text escaped

Both are the papers' own renderers (bot.papers.document) drawing one outline, and the chat
version (`/ai-incident runbook`) reads the same outline, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.classification import QUESTIONS
from bot.clock_guide import clock_rows
from bot.clock_rules import CLOCKS
from bot.papers.document import (
    Block,
    Facts,
    Items,
    Paragraph,
    Section,
    Table,
    render_html,
    render_markdown,
)
from bot.runbook import ExtraClock, Person, Runbook, System
from bot.tokens import strong
from bot.vendor import ours_to_notify

RESPONSE_ORDER = (
    ("Contain", "stop or throttle the AI system, block its output, switch to human-only."),
    ("Classify", "answer the bot's questions; it works out which notices and clocks apply."),
    (
        "Preserve evidence",
        "capture logs, prompts and outputs before any step that destroys state "
        "(rotating a key, purging a cache, redeploying).",
    ),
    ("Remediate", "fix the cause, recall or correct affected outputs, tell people if required."),
    ("Learn", "turn the incident into a regression case and record the lessons."),
)


def title(runbook: Runbook) -> str:
    return f"AI incident runbook — {runbook.firm.name}"


def render_runbook_markdown(runbook: Runbook) -> str:
    """The one-pager as Markdown (for chat, a wiki page or a README)."""
    return render_markdown(title(runbook), outline(runbook))


def render_runbook_html(runbook: Runbook) -> str:
    """The one-pager as a single self-contained HTML file, laid out for A4 printing."""
    return render_html(title(runbook), outline(runbook))


def outline(runbook: Runbook) -> tuple[Section, ...]:
    """The page's content, in reading order, independent of the output format."""
    return (
        Section("When an AI system goes wrong", (_response_order(),)),
        Section("AI systems", ()),
        *(_system_section(runbook, system) for system in runbook.systems),
        Section("What counts as reportable", (Paragraph(runbook.reportable),)),
        Section("Who decides", _decisions(runbook)),
        Section("Clocks", _clocks(runbook)),
        Section("Safe enough to re-enable", _reenable(runbook)),
    )


def _response_order() -> Items:
    steps = (f"{strong(step)} — {what}" for step, what in RESPONSE_ORDER)
    return Items("ordered", tuple(steps))


def _system_section(runbook: Runbook, system: System) -> Section:
    facts = (
        ("Who can switch it off", _anyone_of(_known(runbook, system.kill_switch.who))),
        ("How", system.kill_switch.how),
        ("Logs", system.logs),
        ("Vendor", _vendor(system)),
        ("Ours to notify", ours_to_notify(system).split(": ", 1)[1]),
    )
    steps = Items("checklist", system.containment)
    return Section(system.name, (Facts(facts), Paragraph("Containment steps:"), steps), level=3)


def _vendor(system: System) -> str:
    parts = [system.vendor]
    if system.contract.vendor_notifies_within is not None:
        within = _plain(system.contract.vendor_notifies_within)
        parts.append(f"must tell us of its incidents within {within}")
    return "; ".join([*parts, *([system.contract.notes] if system.contract.notes else [])])


def _regulator(runbook: Runbook) -> str:
    return _people(runbook.who_may("decide_regulator"))


def _decisions(runbook: Runbook) -> tuple[Block, ...]:
    rows = (
        ("Declare and lead the incident", _people(runbook.chain("incident_lead"))),
        ("Is it a personal-data breach?", _people(runbook.who_may("decide_data_protection"))),
        ("The regulator questions (FCA, SRA, ICAEW, AI Act)", _regulator(runbook)),
        ("Notify the ICO; mark a notice as sent", _people(runbook.who_may("mark_notified"))),
        ("Decide not to notify (waive)", _people(runbook.who_may("waive_obligation"))),
        ("Override the re-enable gate", _people(runbook.who_may("override_gate"))),
        ("Correct when we became aware (T0)", _people(runbook.who_may("correct_awareness"))),
        ("Close the incident", _people(runbook.who_may("close"))),
    )
    timeout = _plain(runbook.escalation.ack_timeout)
    note = (
        f"A page not acknowledged within {timeout} goes to the next person named. "
        "Each clock's named owner may also mark that clock's notice as sent."
    )
    return (Table(("Decision", "Who, in order"), rows), Paragraph(note))


def _clocks(runbook: Runbook) -> tuple[Block, ...]:
    reminders = ", ".join(_plain(offset) for offset in runbook.clocks.reminders_72h)
    ico = (
        f"{strong('ICO:')} 72 calendar hours from awareness (T0) — weekends and bank holidays "
        "count. "
        f"Reminders after {reminders}."
    )
    targets = [_policy_line(runbook, clock) for clock in runbook.clocks.policies]
    extras = [_extra_line(runbook, extra) for extra in runbook.clocks.extra]
    lines = (*targets, *extras) or ("None set; the bot's defaults apply.",)
    return (
        Paragraph(ico),
        Table(("Clock (legal source)", "Starts when — by when"), clock_rows(runbook.firm.profile)),
        Paragraph("Targets this firm sets (policy, not law):"),
        Items("bullets", lines),
    )


def _policy_line(runbook: Runbook, clock: str) -> str:
    policy = runbook.clocks.policies[clock]
    within = f"within {_plain(policy.within)}" if policy.within else "default target"
    owner = f" — {_people(_known(runbook, policy.owner))}" if policy.owner else ""
    rule = CLOCKS.get(clock)
    return f"{rule.label if rule else clock}: {within}{owner}"


def _extra_line(runbook: Runbook, extra: ExtraClock) -> str:
    question = next((q.text for q in QUESTIONS if q.id == extra.question), extra.question)
    when = f'the answer to "{question}" is {" or ".join(extra.answers)}'
    owners = _people(_known(runbook, extra.owner))
    return f"{extra.title}: within {_plain(extra.within)} if {when} — {owners}"


def _reenable(runbook: Runbook) -> tuple[Block, ...]:
    intro = "Each item confirmed, or its risk accepted, by the accountable owner:"
    return (Paragraph(intro), Items("checklist", runbook.reenable_criteria))


def _known(runbook: Runbook, ids: Sequence[str]) -> tuple[Person, ...]:
    return tuple(person for pid in ids if (person := runbook.find_person(pid)) is not None)


def _people(people: Sequence[Person], joiner: str = ", then ") -> str:
    """'Sam Okafor (Operations Director), then Priya Shah (Managing Partner)'."""
    named = [f"{person.name} ({person.title})" for person in people]
    return joiner.join(named) or "nobody named — fix the runbook"


def _anyone_of(people: Sequence[Person]) -> str:
    """'Lee Chen (IT Lead), Sam Okafor (Operations Director) or Priya Shah (Managing Partner)'."""
    if len(people) < 2:
        return _people(people)
    return f"{_people(people[:-1], ', ')} or {_people(people[-1:])}"


def _plain(duration: timedelta) -> str:
    """A duration as a printed page says it: '15 minutes', '48 hours', '30 days'."""
    days, hours, minutes = duration.days, duration.seconds // 3600, duration.seconds // 60 % 60
    if days >= 7 and not hours and not minutes:
        return _count(days, "day")
    parts = [_count(days * 24 + hours, "hour")] if days or hours else []
    return " ".join([*parts, *([_count(minutes, "minute")] if minutes else [])]) or "0 minutes"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"
