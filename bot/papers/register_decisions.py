"""The register entry's decisions and facts beyond the ICO notice: whether the people were
told (Art 34) and if not why, who decided not to notify and when (by a decision, or by an
answer that kept the clock from opening), the other data-protection notices decided against,
T0 as first declared and each correction, when the breach began, and the categories and
numbers concerned.

    details(incident, runbook, now)   # -> {"people_told": "no", "people_not_told_by": …}
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.facts import facts_of
from bot.incident import Answer, Incident
from bot.kinds import EventType
from bot.not_notified import NotNotified, decided_against, ruled_out_by_answer
from bot.obligations import Obligation, obligation, terms
from bot.papers.moments import name
from bot.runbook import Runbook

Decision = tuple[str, str, datetime | None, str]  # (outcome, by, at, why)
OWN_ROWS = ("ico_art33", "data_subjects_art34", "breach_log_art33_5")  # each has its own fields


def details(incident: Incident, runbook: Runbook, now: datetime) -> dict[str, Any]:
    facts = facts_of(incident)
    told, told_by, told_at, why_not = _people(incident, runbook, now)
    ico = _ico_decision(incident, runbook, now)
    return {
        "began": facts.started,
        "data_categories": facts.data_categories,
        "people_categories": facts.people_categories,
        "people_count": facts.people_count,
        "records_count": facts.records_count,
        "people_told": told,
        "people_told_at": told_at if told == "yes" else None,
        "people_reason_not_told": why_not,
        "people_not_told_by": told_by if told == "no" else "",
        "people_not_told_at": told_at if told == "no" else None,
        "decided_not_to_notify_by": ico[1],
        "decided_not_to_notify_at": ico[2],
        "original_aware_at": _first_t0(incident),
        "aware_corrections": _corrections(incident),
        "other_notices_not_given": _other_notices(incident, runbook),
    }


def _ob(incident: Incident, runbook: Runbook, clock: str, now: datetime) -> Obligation | None:
    has = clock in incident.obligations
    return obligation(runbook, incident, clock, now) if has else None


def _settled(ob: Obligation) -> Decision:
    rec = ob.record
    by = rec.settled_by.name if rec.settled_by else ""
    if ob.status == "done":
        return ("yes", by, rec.settled_at, "")
    if ob.status == "waived":
        why = f"stopped by the answer to {rec.by_answer}: " if rec.by_answer else ""
        return ("no", by, rec.settled_at, why + (rec.reason or "no reason recorded"))
    return ("not yet", "", None, "")


def _answered_no(incident: Incident, questions: tuple[str, ...]) -> Answer | None:
    latest = (incident.answers.get(q) for q in questions)
    return next((a for a in latest if a is not None and a.value == "no"), None)


def _people(incident: Incident, runbook: Runbook, now: datetime) -> Decision:
    """Art 34: told, not told (with who decided, when and why), or not yet."""
    ob = _ob(incident, runbook, "data_subjects_art34", now)
    if ob is not None:
        return _settled(ob)
    ruled = ruled_out_by_answer(incident, "data_subjects_art34")
    if ruled is not None:
        return ("no", name(ruled.by), ruled.at, f"{ruled.how}: {_why(ruled)}")
    no = _answered_no(incident, ("Q1", "Q2", "Q3", "Q4"))
    if no is None:
        return ("not decided", "", None, "")
    why = f"{no.question} answered no: {no.reason or 'no reason recorded'}"
    return ("no", no.by.name, no.at, why)


def _ico_decision(incident: Incident, runbook: Runbook, now: datetime) -> Decision:
    ob = _ob(incident, runbook, "ico_art33", now)
    if ob is not None:
        outcome = _settled(ob)
        return outcome if outcome[0] == "no" else (outcome[0], "", None, "")
    ruled = ruled_out_by_answer(incident, "ico_art33")
    if ruled is not None:
        return ("no", name(ruled.by), ruled.at, _why(ruled))
    no = _answered_no(incident, ("Q1", "Q2", "Q3"))
    return ("no", no.by.name, no.at, no.reason) if no else ("not decided", "", None, "")


def _why(decided: NotNotified) -> str:
    return decided.reason or "no reason recorded"


def said(decided: NotNotified) -> str:
    """The decision in one line: Q3 answered no by Alex Morgan at 2026-03-26T15:40:00+00:00:
    why."""
    at = decided.at.isoformat() if decided.at else "?"
    return f"{decided.how} by {name(decided.by)} at {at}: {_why(decided)}"


def _other_notices(incident: Incident, runbook: Runbook) -> str:
    """The other data-protection notices decided against (the client we process for, each
    EU authority, PECR): which, how, who, when and why."""
    return "; ".join(
        f"{terms(runbook, n.clock).title} — {said(n)}"
        for n in decided_against(incident)
        if n.clock not in OWN_ROWS and terms(runbook, n.clock).runs_from == "breach"
    )


def _first_t0(incident: Incident) -> datetime | None:
    declared = next((e for e in incident.events if e.type == EventType.DECLARED), None)
    return datetime.fromisoformat(str(declared.data["aware_at"])) if declared else None


def _corrections(incident: Incident) -> str:
    return "; ".join(
        f"{'breach ' if e.data.get('which') == 'breach' else ''}"
        f"{e.data.get('from')} → {e.data['to']} by {e.actor.name} at {e.at.isoformat()}: "
        f"{e.data.get('reason', '')}"
        for e in incident.events
        if e.type == EventType.AWARENESS_CORRECTED
    )
