"""The classification answers: an answer given, the clocks it opens, stops or reopens, and
who it brings in. An answer that stops a clock, or keeps one from opening that another
answer would open, is a decision not to notify: it needs a reason (bot.not_notified).

    answer(incident, runbook, alex, "Q3", "unsure", "")
    # -> [Draft(answered), Draft(obligation_opened ico_art33), …]
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.classification import BY_ID, involvements, is_asked, member_states
from bot.decisions_base import Draft, Refused, free, require, still_open, words
from bot.incident import Incident, classification_open
from bot.kinds import EventType
from bot.not_notified import PREVENTS, ruled_out, told
from bot.obligations import terms, triggered_clocks
from bot.runbook import Runbook
from bot.timeline import Actor
from bot.triggers import escalated_clocks


def classification_gate(incident: Incident, runbook: Runbook) -> None:
    if classification_open(incident, runbook):
        return
    raise Refused(
        "Classification opens once the kill switch (containment step 1) is done or "
        "recorded as not possible; the other steps carry on meanwhile (or a permitted "
        "person may override with a reason)."
    )


def answer(
    incident: Incident, runbook: Runbook, actor: Actor, question: str, value: str, reason: str
) -> list[Draft]:
    still_open(incident)
    classification_gate(incident, runbook)
    q = BY_ID.get(question)
    if q is None or value not in q.options:
        options = ", ".join(q.options) if q else "Q1–Q14"
        raise Refused(f"'{value}' is not an answer to {question}; choose {options}.")
    before = incident.answer_values
    if not is_asked(q, runbook.firm.profile, before):
        raise Refused(f"{question} does not apply to this incident (skipped).")
    named = member_states(free(reason)) if question == "Q6" else ()
    states = named or incident.eu_states
    if before.get(question) == value and states == incident.eu_states:
        return []
    after = {**before, question: value}
    stops = [
        d
        for d in _clock_changes(incident, runbook, after, question, "", states)
        if d.type == EventType.OBLIGATION_WAIVED
    ]
    if stops:
        require(runbook, actor, "waive_obligation", "stop a running clock")
    prevents = ruled_out(incident, runbook, question, value, states)
    if stops or prevents:  # a decision not to notify: why, on the record
        reason = words(reason, f"a reason: this answer {_decides(stops, prevents, runbook)}")
    changes = _clock_changes(incident, runbook, after, question, free(reason), states)
    data = {
        "question": question,
        "value": value,
        "reason": free(reason),
        "previous": before.get(question),
    } | ({PREVENTS: list(prevents)} if prevents else {})
    return [Draft(EventType.ANSWERED, data), *changes, *_new_involvements(incident, runbook, after)]


def _decides(stops: Sequence[Draft], prevents: Sequence[str], runbook: Runbook) -> str:
    """What the answer decides about notifying, as people read it."""
    said = [f"stops {_clock_list(stops, runbook)}"] if stops else []
    if prevents:
        said.append(f"decides {told(runbook, prevents)} won't be told")
    return " and ".join(said)


def _clock_list(drafts: Sequence[Draft], runbook: Runbook) -> str:
    """The clocks by their titles, as people read them."""
    return ", ".join(f"“{terms(runbook, str(d.data['clock'])).title}”" for d in drafts)


def _clock_changes(
    incident: Incident,
    runbook: Runbook,
    after: dict[str, str],
    question: str,
    reason: str,
    states: Sequence[str] = (),
) -> list[Draft]:
    wanted = triggered_clocks(runbook, after, incident.declared_at, states)
    escalated = escalated_clocks(incident, runbook, after, states)
    drafts = []
    for clock, because in wanted.items():
        record = incident.obligations.get(clock)
        if record is None:
            drafts.append(Draft(EventType.OBLIGATION_OPENED, {"clock": clock, "because": because}))
        elif record.status == "waived" and (record.by_answer or clock in escalated):
            drafts.append(
                Draft(EventType.OBLIGATION_REOPENED, {"clock": clock, "because": because})
            )
    for clock, record in incident.obligations.items():
        if record.status == "pending" and clock not in wanted:
            data = {"clock": clock, "reason": reason, "by_answer": question}
            drafts.append(Draft(EventType.OBLIGATION_WAIVED, data))
    return drafts


def _new_involvements(incident: Incident, runbook: Runbook, after: dict[str, str]) -> list[Draft]:
    return [
        Draft(
            EventType.INVOLVED,
            {"id": inv.id, "who": inv.who, "because": inv.because, "role": inv.role},
        )
        for inv in involvements(runbook.firm.profile, after)
        if inv.id not in incident.involved
    ]
