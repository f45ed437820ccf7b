"""Button action ids (see bot.notices) as the one service call each stands for.

Every platform routes its button clicks through `press`, so a click means the same in
Slack, Teams and the local web chat:

    await press(deps, "AI-2026-0001", actor, "classify:Q3:unsure", "")   # -> None
    reply = await press(deps, "AI-2026-0001", actor, "draft:ico_art33", "")
    reply.title   # -> "DRAFT — Personal data breach report to the ICO (UK GDPR Art 33)"

A press that changes the incident returns None: the room shows the change. A press that
only reads (a draft) returns a Reply, which the edge shows to the presser and nobody else.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import facts, kill_switch_run, service, triage
from bot.awareness import read_correction
from bot.commands import parse_person
from bot.decisions import Refused
from bot.obligations import terms
from bot.papers import drafts
from bot.papers.moments import as_of
from bot.service import Deps
from bot.timeline import Actor
from bot.tokens import moment

# The first part of every action id a message of this bot carries (`press` answers each).
ACTION_KINDS = (
    "ack",
    "contain",
    "classify",
    "obligation",
    "delay",
    "evidence",
    "draft",
    "killswitch",
    "alert",
)
DECLARE_ALERT = "alert:declare:"  # an alert's Declare opens the declare form, filled in
ASKS_FOR_TEXT = "Please give"  # how the core's refusals for missing words begin


class UnknownAction(ValueError):
    """An action id no message of this bot carries: a malformed or forged request."""


@dataclass(frozen=True)
class Reply:
    """Words for the presser's eyes only. `text` is Markdown: a `# title` line first, then
    `## heading` lines and plain ones, as bot.papers.drafts writes them."""

    text: str

    @property
    def title(self) -> str:
        return self.text.split("\n", 1)[0].lstrip("# ")

    @property
    def lines(self) -> tuple[str, ...]:
        return tuple(self.text.rstrip("\n").split("\n")[1:])


def _whole(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise UnknownAction(f"{what} must be a whole number.") from None


async def draft_notice(deps: Deps, key: str, clock: str, actor: Actor) -> Reply:
    """The notice for `clock`, drafted from the record for its owner to check and send
    themselves (the bot never sends it); nothing is recorded. Only for the runbook's people."""
    incident = await service.read(deps, key, actor)
    kind = terms(deps.runbook, clock).draft if clock in incident.obligations else ""
    if not kind:
        raise Refused(f"{incident.key} has no notice to draft for '{clock[:40]}'.")
    now = as_of(incident, deps.clock.now())
    return Reply(drafts.draft(kind, incident, deps.runbook, now, clock))


async def press(deps: Deps, key: str, actor: Actor, action: str, text: str) -> Reply | None:
    """Do what the button stands for; a Reply is for the presser alone (see the module)."""
    parts = action.split(":")
    if not all(parts):
        raise UnknownAction(f"The action '{action[:40]}' has an empty part.")
    match parts:
        case ["ack", role]:
            await service.acknowledge(deps, key, actor, role)
        case ["contain", step, status]:
            await service.contain(deps, key, actor, _whole(step, "The step"), status, text)
        case ["classify", question, value]:
            await service.answer(deps, key, actor, question, value, text)
        case ["obligation", clock, status]:
            await service.mark_obligation(deps, key, actor, clock, status, text)
        case ["delay", clock]:
            await service.explain_delay(deps, key, actor, clock, text)
        case ["evidence", item]:
            await service.add_evidence(deps, key, actor, text, item, source="chat")
        case ["draft", clock]:
            return await draft_notice(deps, key, clock, actor)
        case ["killswitch", step]:
            await kill_switch_run.run(deps, key, actor, _whole(step, "The step"))
        case ["alert", "dismiss", alert_id] if deps.alerts is not None:
            await triage.dismiss(deps, deps.alerts, _whole(alert_id, "The alert"), actor, text)
        case _:
            raise UnknownAction(f"There is no action '{action[:40]}'.")
    return None


async def typed(deps: Deps, name: str, key: str, actor: Actor, text: str, source: str) -> str:
    """The typed commands that change an incident, the same on every platform; returns what
    to tell the person who typed it.

        await typed(deps, "note", "AI-2026-0001", actor, "Vendor confirmed the bug", "slack")
        # -> "Note added to the timeline of AI-2026-0001."
    """
    match name:
        case "ack":
            await service.acknowledge(deps, key, actor)
            return f"You are the incident lead for {key}."
        case "handover":
            try:
                person, reason = parse_person(text, deps.runbook, actor.person_id)
            except ValueError as error:
                raise Refused(str(error)) from None
            await service.handover(deps, key, actor, person.id, reason)
            return f"{person.name} now leads {key}."
        case "note":
            await service.note(deps, key, actor, text)
            return f"Note added to the timeline of {key}."
        case "evidence":
            incident = await service.add_evidence(deps, key, actor, text, None, source=source)
            said = incident.evidence[-1]
            link = "link, not retrieved; its text's " if said.link else ""
            return f"Evidence recorded on {key} ({link}sha256 {said.sha256})."
        case "aware":
            try:
                which, when, confirmed, reason = read_correction(text)
            except ValueError as error:
                raise Refused(str(error)) from None
            await service.correct_awareness(deps, key, actor, when, reason, which, confirmed)
            if which == "breach":
                return f"T0 (breach) of {key} is now {moment(when)}; the breach clocks moved."
            return f"T0 of {key} is now {moment(when)}; every deadline that runs from it moved."
        case "facts":
            return await _facts(deps, key, actor, text)
    raise UnknownAction(f"'{name[:40]}' is not a command that changes an incident.")


async def _facts(deps: Deps, key: str, actor: Actor, text: str) -> str:
    """Record the facts given (if any); either way, say what is known and what is missing."""
    if text.strip():
        await service.act(deps, key, actor, lambda i, now: facts.record(i, text, now))
    return facts.summary(await service.load(deps, key))
