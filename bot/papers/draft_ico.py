"""The ICO breach report, in the order of the ICO's online breach-report form.

Every field of the form is present: filled from the record, or "[to be completed]". It
holds no internal question codes and no other notices (the insurers', the clients').

    title, clock, body = ico(Record(incident, runbook, now))
"""

from __future__ import annotations

from datetime import datetime

from bot.awareness import LEARNED_LABELS
from bot.failures import FAILURE_TYPES
from bot.papers.draft_record import TBC, Body, Drafted, Record
from bot.papers.moments import late_by, span

ICO_FORM = (
    "Report type",
    "About the organisation",
    "What happened",
    "How the breach was discovered",
    "When it happened and when it was discovered",
    "Personal data and people concerned",
    "Likely consequences",
    "Measures in place before the breach",
    "Staff training",
    "Action taken",
    "Telling the people affected",
    "Cyber incident",
    "Reason for any delay",
)


def ico(r: Record) -> Drafted:
    parts = (
        _report_type(r),
        _organisation(r),
        _what_happened(r),
        _discovered(r),
        _when(r),
        _data_and_people(r),
        _consequences(r),
        (r.fact(r.facts.measures_before),),
        (r.fact(r.facts.training),),
        action_taken(r),
        _people_told(r),
        (_cyber(r),),
        _delay(r),
    )
    body: Body = tuple(zip(ICO_FORM, parts, strict=True))
    return ("Personal data breach report to the ICO (UK GDPR Art 33)", "ico_art33", body)


def _report_type(r: Record) -> tuple[str, ...]:
    ob = r.obligation("ico_art33")
    if ob is not None and ob.status == "done":
        return ("Follow-up report.", f"ICO case reference: {ob.record.reference or TBC}")
    return ("Initial report.", "ICO case reference: none yet (given by the ICO on this report)")


def _organisation(r: Record) -> tuple[str, ...]:
    firm = r.runbook.firm
    return (
        f"Organisation: {r.runbook.firm.name}",
        f"ICO registration number (data protection fee): {firm.ico_registration or TBC}",
        f"Address: {firm.address or TBC}",
        f"Contact for this report (data protection officer or lead): {r.contact('dpo')}",
    )


def _what_happened(r: Record) -> tuple[str, ...]:
    inc = r.incident
    failure = FAILURE_TYPES.get(inc.failure_type, inc.failure_type).lower()
    return (
        f"An AI system we use ({r.system_name()}) went wrong: {failure}.",
        f"What went wrong, in more detail: {TBC}",
        f"Information about identifiable living people is involved: {r.answered('Q1')}.",
        f"It was disclosed to or accessed by someone not entitled, altered, lost or made "
        f"unavailable: {r.answered('Q2')}.",
    )


def learned_via(r: Record) -> str:
    """How the firm learned of it, as recorded at declare (bot.awareness); "" if not said."""
    via = str(r.incident.learned.get("via", ""))
    notice = r.incident.learned.get("notice_at")
    said = LEARNED_LABELS.get(via, "")
    if said and notice:
        said += f" (the notice arrived {r.when(datetime.fromisoformat(str(notice)))})"
    return said


def _discovered(r: Record) -> tuple[str, ...]:
    via = learned_via(r)
    how = f"How we learned of it: {via}." if via else f"How we learned of it: {TBC}"
    noticed = r.incident.noticed
    said = f"What was noticed, and by whom: {noticed} (who: {TBC})" if noticed else None
    return (how, said or f"What was noticed, and by whom: {TBC}")


def _when(r: Record) -> tuple[str, ...]:
    return (
        f"When the breach began: {r.started()}",
        f"When we discovered it (became aware): {r.when(r.incident.aware_from('breach'))}",
    )


def _data_and_people(r: Record) -> tuple[str, ...]:
    f = r.facts
    return (
        f"Categories of personal data: {r.fact(f.data_categories)}",
        f"Approximate number of personal data records: {r.fact(f.records_count)}",
        f"Categories of people concerned: {r.fact(f.people_categories)}",
        f"Approximate number of people concerned: {r.fact(f.people_count)}",
    )


def _consequences(r: Record) -> tuple[str, ...]:
    return (
        f"Likely to result in a risk to the people concerned: {r.answered('Q3')}.",
        f"The risk is high: {r.answered('Q4')}.",
        f"The affected output left the firm or was relied on: {r.answered('Q8')}.",
        f"Description of the likely consequences for those people: {TBC}",
    )


def action_taken(r: Record) -> tuple[str, ...]:
    done = [f"- Contained: {step}" for step in r.contained()]
    remedy = r.incident.closing.get("remediation")
    done.append(f"- Remediation: {remedy}" if remedy else f"- Remediation proposed: {TBC}")
    return tuple(done)


def _people_told(r: Record) -> tuple[str, ...]:
    ob = r.obligation("data_subjects_art34")
    if ob is None:
        if r.answer("Q4") == "no":
            why = r.incident.answers["Q4"].reason
            return (f"No: we do not consider the risk to them high. {why}".strip(),)
        return (f"Whether the people affected have been or will be told, and why not: {TBC}",)
    if ob.status == "done":
        return (f"Yes: told {r.when(ob.record.settled_at)} ({ob.record.reference}).",)
    if ob.status == "waived":
        return (f"No: {ob.record.reason or TBC}",)
    due = r.when(ob.due_at) if ob.due_at else TBC
    return (f"Not yet: we will tell them without undue delay (our target: by {due}).",)


def _cyber(r: Record) -> str:
    said = {"yes": "Yes", "no": "No", "unsure": "Not known yet"}.get(r.answer("Q9"))
    return f"A cyber incident (an attacker or a security compromise): {said or TBC}"


def _delay(r: Record) -> tuple[str, ...]:
    """A report given after the 72 hours must say why (Art 33(1))."""
    ob = r.obligation("ico_art33")
    late = late_by(ob, r.now) if ob else None
    if ob is None or late is None:
        t0 = r.when(r.incident.aware_from("breach"))
        return (f"Not late: within 72 hours of when we became aware ({t0}).",)
    due = f"The 72 hours ended {r.when(ob.due_at)}; this report is {span(late)} late."
    return (due, f"Reason: {ob.record.overdue_reason or TBC}")
