"""Draft notifications from the record, for the named owner to check, complete and send.

The bot never sends them. Anything the record does not hold is marked "[to be completed]".

    draft("ico", incident, runbook, now)           # UK GDPR Art 33(3) headings
    draft("individuals", incident, runbook, now)   # a plain-language letter (Art 34)
    draft("insurer", incident, runbook, now)
    draft("client", incident, runbook, now)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from bot.classification import counts_as_yes
from bot.failures import FAILURE_TYPES
from bot.incident import Incident
from bot.obligations import Obligation, obligation, obligations, terms
from bot.papers.moments import Moments, late_by, span
from bot.papers.register import contained
from bot.runbook import Runbook

TBC = "[to be completed]"
ART33_3 = (
    "Nature of the breach",
    "Categories and approximate number of people concerned",
    "Categories and approximate number of personal data records concerned",
    "Name and contact details of the data protection officer or other contact point",
    "Likely consequences of the breach",
    "Measures taken or proposed to deal with the breach and mitigate its effects",
)

Body = tuple[tuple[str, tuple[str, ...]], ...]  # (heading, lines) in order


@dataclass(frozen=True)
class Record:
    incident: Incident
    runbook: Runbook
    now: datetime

    @property
    def when(self) -> Moments:
        return Moments(self.runbook.firm.timezone)

    def answer(self, question: str) -> str:
        found = self.incident.answers.get(question)
        return found.value if found else "not answered"

    def obligation(self, clock: str) -> Obligation | None:
        has = clock in self.incident.obligations
        return obligation(self.runbook, self.incident, clock, self.now) if has else None

    def contact(self, role: str) -> str:
        chain = self.runbook.chain(role)
        return f"{chain[0].name}, {chain[0].title}, {chain[0].email}" if chain else TBC

    def owner(self, clock: str) -> str:
        ids = terms(self.runbook, clock).owners
        found = self.runbook.find_person(ids[0] if ids else None)
        return found.name if found else "the named owner"


def draft(kind: str, incident: Incident, runbook: Runbook, now: datetime, clock: str = "") -> str:
    """The draft text; raises KeyError for a kind not in DRAFTS. With `clock` (a button on
    that clock's reminder), the draft is addressed to that clock's owner:

        draft("client", incident, runbook, now, "client_contract_acme")   # "For Sam Okafor …"
    """
    record = Record(incident, runbook, now)
    title, usual, body = DRAFTS[kind](record)
    return render(title, record.owner(clock or usual), body)


def render(title: str, owner: str, body: Body) -> str:
    lines = [
        f"# DRAFT — {title}",
        "",
        f"For {owner} to check, complete and send. The bot never sends notifications; "
        "record the reference when it has been sent.",
    ]
    for heading, text in body:
        lines += ["", f"## {heading}", "", *text]
    return "\n".join(lines) + "\n"


def _what_happened(r: Record) -> tuple[str, ...]:
    inc = r.incident
    system = r.runbook.system(inc.system)
    failure = FAILURE_TYPES.get(inc.failure_type, inc.failure_type)
    return (
        f"{inc.title} ({failure}; AI system: {system.name if system else inc.system}).",
        f"What was noticed: {inc.noticed or TBC}",
        f"We became aware (T0): {r.when(inc.aware_at)}. When the breach began: {TBC}",
        f"Our reference: {inc.key}.",
    )


def _measures(r: Record, notices: bool = True) -> tuple[str, ...]:
    done = [f"- Contained: {step}" for step in contained(r.incident, r.runbook)]
    remedy = r.incident.closing.get("remediation")
    done.append(f"- Remediation: {remedy}" if remedy else f"- Remediation proposed: {TBC}")
    done += [f"- Evidence preserved: {len(r.incident.evidence)} item(s), each with its SHA-256"]
    return tuple(done + (_notices(r) if notices else []))


def _notices(r: Record) -> list[str]:
    given = (ob for ob in obligations(r.runbook, r.incident, r.now) if ob.status == "done")
    return [
        f"- {ob.terms.title}: done {r.when(ob.record.settled_at)}"
        for ob in given
        if ob.id != "breach_log_art33_5"
    ]


def _consequences(r: Record) -> tuple[str, ...]:
    said = [
        f"Likely risk to the people concerned (Q3): {r.answer('Q3')}.",
        f"High risk (Q4): {r.answer('Q4')}.",
        _left_the_firm(r),
        f"Harm still ongoing (Q14): {r.answer('Q14')}.",
    ]
    return (*said, f"Description of the likely consequences for those people: {TBC}")


def _ico(r: Record) -> tuple[str, str, Body]:
    body: Body = (
        (ART33_3[0], (*_what_happened(r), _personal_data(r))),
        (ART33_3[1], (f"Categories of people: {TBC}", f"Approximate number of people: {TBC}")),
        (ART33_3[2], (f"Categories of records: {TBC}", f"Approximate number of records: {TBC}")),
        (ART33_3[3], (r.contact("dpo"),)),
        (ART33_3[4], _consequences(r)),
        (ART33_3[5], _measures(r)),
    )
    return ("Personal data breach report to the ICO (UK GDPR Art 33)", "ico_art33", body + _late(r))


def _personal_data(r: Record) -> str:
    return (
        f"Recorded classification: identifiable living people (Q1) {r.answer('Q1')}; data "
        f"disclosed, accessed, altered, lost or unavailable (Q2) {r.answer('Q2')}."
    )


def _late(r: Record) -> Body:
    """A report given after the 72 hours must say why (Art 33(1))."""
    ob = r.obligation("ico_art33")
    late = late_by(ob, r.now) if ob else None
    if ob is None or late is None:
        return ()
    due = f"The 72 hours ended {r.when(ob.due_at)}; this report is {span(late)} late."
    return (("Reasons for the delay", (due, ob.record.overdue_reason or TBC)),)


def _individuals(r: Record) -> tuple[str, str, Body]:
    inc = r.incident
    body: Body = (
        (
            "Letter",
            (
                "Dear [name],",
                "",
                f"We are writing to tell you about a problem with "
                f"one of our computer systems that involved your information. {TBC}",
            ),
        ),
        ("What happened", (f"{inc.title}. We found out on {r.when.local(inc.aware_at)}.",)),
        ("What information was involved", (TBC,)),
        ("What this may mean for you", (TBC,)),
        ("What we have done", _measures(r, notices=False)),
        ("What you can do", (TBC,)),
        ("Who to contact", (f"Our data protection lead: {r.contact('dpo')}",)),
        ("Sign-off", ("We are sorry this happened.", "", f"[name], {r.runbook.firm.name}")),
    )
    return ("Letter to the people affected (UK GDPR Art 34)", "data_subjects_art34", body)


def _insurer(r: Record) -> tuple[str, str, Body]:
    clock = "cyber_insurer" if counts_as_yes(r.answer("Q9")) else "pi_insurer"
    body: Body = (
        ("To", (f"The insurer's formal notice contact: {TBC}", f"Policy number: {TBC}")),
        ("Insured", (r.runbook.firm.name,)),
        ("Circumstances", _what_happened(r)),
        ("What is known", (_personal_data(r), _left_the_firm(r), _attack(r))),
        ("Steps taken", _measures(r)),
        ("Contact", (r.contact("managing_partner"),)),
    )
    return ("Notice of an incident to the insurer", clock, body)


def _left_the_firm(r: Record) -> str:
    return f"The affected output left the firm or was relied on (Q8): {r.answer('Q8')}."


def _attack(r: Record) -> str:
    return f"Any sign of an attacker or security compromise (Q9): {r.answer('Q9')}."


def _client(r: Record) -> tuple[str, str, Body]:
    body: Body = (
        ("To", (f"[client contact], {TBC}",)),
        ("What happened", _what_happened(r)),
        (
            "Your information",
            (
                f"Client confidential information involved (Q7): {r.answer('Q7')}.",
                _personal_data(r),
                *_processor(r),
            ),
        ),
        ("What we have done", _measures(r, notices=False)),
        ("What we need from you", (TBC,)),
        ("Contact", (r.contact("incident_lead"),)),
    )
    return ("Note to the client", "controller_art33_2", body)


def _processor(r: Record) -> tuple[str, ...]:
    if r.answer("Q5") not in ("processor", "unsure"):
        return ()
    return (
        "We process this personal data on your behalf, so we are telling you without undue "
        "delay (UK GDPR Art 33(2)). As controller, your own 72 hours to report to the ICO run "
        "from when you became aware, which is no later than when you receive this note.",
    )


DRAFTS: dict[str, Callable[[Record], tuple[str, str, Body]]] = {
    "ico": _ico,
    "individuals": _individuals,
    "insurer": _insurer,
    "client": _client,
}
KINDS = tuple(DRAFTS)
