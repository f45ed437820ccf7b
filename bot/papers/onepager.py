"""The printable one-page runbook: what to do, who decides, and what the clocks are.

    markdown = render_runbook_markdown(runbook)
    html = render_runbook_html(runbook)   # one self-contained A4 page, runbook text escaped

Both renderers draw the same neutral outline (sections of paragraphs, lists, label/value
facts and tables), so the printed page and the chat version cannot drift apart.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from bot.classification import QUESTIONS
from bot.clock_guide import clock_rows
from bot.clock_rules import CLOCKS
from bot.runbook import ExtraClock, Person, Runbook, System
from bot.vendor import ours_to_notify

ListKind = Literal["ordered", "bullets", "checklist"]

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


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Items:
    kind: ListKind
    items: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    """Label/value lines, e.g. ("Who can switch it off", "Lee Chen (IT Lead)")."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    header: tuple[str, str]
    rows: tuple[tuple[str, str], ...]


Block = Paragraph | Items | Facts | Table


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    level: int = 2


def render_runbook_markdown(runbook: Runbook) -> str:
    """The one-pager as Markdown (for chat, a wiki page or a README)."""
    lines = [f"# AI incident runbook — {runbook.firm.name}", ""]
    for section in outline(runbook):
        lines += ["#" * section.level + " " + section.title, ""]
        for block in section.blocks:
            lines += [*_markdown_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"


def render_runbook_html(runbook: Runbook) -> str:
    """The one-pager as a single self-contained HTML file, laid out for A4 printing."""
    title = _esc(f"AI incident runbook — {runbook.firm.name}")
    body = "\n".join(_html_section(section) for section in outline(runbook))
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n"
        f"<h1>{title}</h1>\n{body}\n</body>\n</html>\n"
    )


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
    steps = (f"**{step}** — {what}" for step, what in RESPONSE_ORDER)
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
        "**ICO:** 72 calendar hours from awareness (T0) — weekends and bank holidays count. "
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


def _markdown_block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Items):
        marks = {"ordered": "{n}. ", "bullets": "- ", "checklist": "- [ ] "}
        return [marks[block.kind].format(n=n) + item for n, item in enumerate(block.items, 1)]
    if isinstance(block, Facts):
        return [f"- **{label}:** {value}" for label, value in block.rows]
    rows = (block.header, ("---", "---"), *block.rows)
    return ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]


def _cell(text: str) -> str:
    # A pipe or a line break inside a cell would end the Markdown table row.
    return text.replace("|", "\\|").replace("\n", " ")


def _html_section(section: Section) -> str:
    heading = f"<h{section.level}>{_esc(section.title)}</h{section.level}>"
    blocks = "\n".join(_html_block(block) for block in section.blocks)
    return f"<section>\n{heading}\n{blocks}\n</section>" if blocks else heading


def _html_block(block: Block) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{_esc(block.text)}</p>"
    if isinstance(block, Items):
        tag = "ol" if block.kind == "ordered" else "ul"
        items = "".join(f"<li>{_esc(item)}</li>" for item in block.items)
        return f'<{tag} class="{block.kind}">{items}</{tag}>'
    if isinstance(block, Facts):
        rows = "".join(f"<dt>{_esc(k)}</dt><dd>{_esc(v)}</dd>" for k, v in block.rows)
        return f"<dl>{rows}</dl>"
    head = "".join(f"<th>{_esc(cell)}</th>" for cell in block.header)
    rows = "".join(f"<tr><td>{_esc(a)}</td><td>{_esc(b)}</td></tr>" for a, b in block.rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _esc(text: str) -> str:
    """Escape text for HTML; then paired ** (as in the response order) become <strong>."""
    escaped = html.escape(text)
    while escaped.count("**") >= 2:
        escaped = escaped.replace("**", "<strong>", 1).replace("**", "</strong>", 1)
    return escaped


_CSS = """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box }
body { font: 9.5pt/1.35 "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0 auto;
       max-width: 180mm }
h1 { font-size: 15pt; margin: 0 0 4mm; border-bottom: 2px solid #111 }
h2 { font-size: 11pt; margin: 4mm 0 1.5mm; text-transform: uppercase; letter-spacing: .04em }
h3 { font-size: 10pt; margin: 3mm 0 1mm }
p, ul, ol, dl, table { margin: 0 0 2mm }
ul, ol { padding-left: 6mm }
ul.checklist { list-style: none; padding-left: 1mm }
ul.checklist li::before { content: "\\2610\\00a0"; }
dl { display: grid; grid-template-columns: 38mm 1fr; gap: .5mm 3mm }
dt { font-weight: bold }
dd { margin: 0 }
table { border-collapse: collapse; width: 100% }
th, td { border: 1px solid #999; padding: 1mm 2mm; text-align: left; vertical-align: top }
th { background: #eee }
section { break-inside: avoid }
@media print { body { max-width: none } }
"""
