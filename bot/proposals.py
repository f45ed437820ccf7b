"""An answer proposed by someone who may not decide it, shown as proposed until the
decider (the DPO chain for the data-protection questions, the compliance role for the
regulator questions) confirms it by giving the same answer.

    if not decides(runbook, incident, lee, "Q1"):
        drafts = propose(incident, runbook, "Q1", "yes", "")  # -> [Draft("answer_proposed", …)]
"""

from __future__ import annotations

from bot.classification import BY_ID, is_asked
from bot.decisions import Draft, Refused
from bot.decisions_answers import classification_gate
from bot.incident import Incident
from bot.kinds import EventType
from bot.permissions import allowed, decider, holders, names
from bot.runbook import Runbook
from bot.timeline import Actor
from bot.tokens import scrub


def decides(runbook: Runbook, incident: Incident, actor: Actor, question: str) -> bool:
    return allowed(runbook, incident, actor, decider(question))


def propose(
    incident: Incident, runbook: Runbook, question: str, value: str, reason: str
) -> list[Draft]:
    if incident.closed_at is not None:
        raise Refused(f"{incident.key} is closed; nothing more can be changed.")
    classification_gate(incident, runbook)
    q = BY_ID.get(question)
    if q is None or value not in q.options:
        options = ", ".join(q.options) if q else "Q1–Q14"
        raise Refused(f"'{value}' is not an answer to {question}; choose {options}.")
    if not is_asked(q, runbook.firm.profile, incident.answer_values):
        raise Refused(f"{question} does not apply to this incident (skipped).")
    if incident.answer_values.get(question) == value:
        return []
    deciders = names(runbook, holders(runbook, incident, decider(question)))
    data = {
        "question": question,
        "value": value,
        "reason": scrub(reason).strip()[:3000],
        "decided_by": deciders,
    }
    return [Draft(EventType.ANSWER_PROPOSED, data)]
