"""Notices of circumstances to the PI insurer and to the cyber insurer: two separate notices,
each what a policy's notification clause asks for.

Each says who first became aware and how, the date of the act, the client and matter, the
potential claimants, that it is given without admission of liability, and asks for the
insurer's consent before costs are incurred.

    title, clock, body = pi_insurer(Record(incident, runbook, now))
"""

from __future__ import annotations

from bot.failures import FAILURE_TYPES
from bot.papers.draft_ico import action_taken, learned_via
from bot.papers.draft_record import TBC, Body, Drafted, Record

NO_ADMISSION = (
    "This notice is given without admission of liability, and to preserve the insured's "
    "rights under the policy."
)
CONSENT = (
    "Please confirm cover, and give your consent before any costs are incurred (legal "
    "advice, forensic investigation, notifying people, public relations), or tell us whom "
    "to appoint from your panel."
)


def pi_insurer(r: Record) -> Drafted:
    said = (
        "The affected output left the firm or was relied on: " + r.answered("Q8") + ".",
        "Loss or claims could follow from advice or work based on the affected output.",
    )
    body = _notice(r, "PI", said)
    return ("Notice of circumstances to the PI insurer", "pi_insurer", body)


def cyber_insurer(r: Record) -> Drafted:
    said = (
        "A sign of an attacker or a security compromise: " + r.answered("Q9") + ".",
        "Personal data disclosed, accessed, altered, lost or made unavailable: "
        + r.answered("Q2")
        + ".",
    )
    body = _notice(r, "Cyber", said)
    return ("Formal notice of an incident to the cyber insurer", "cyber_insurer", body)


def _notice(r: Record, policy: str, said: tuple[str, ...]) -> Body:
    return (
        (
            "To",
            (f"The insurer's formal notice contact: {TBC}", f"{policy} policy number: {TBC}"),
        ),
        ("Insured", (r.runbook.firm.name,)),
        ("Who first became aware, and how", _aware(r)),
        ("Date of the act", (f"When the AI system first produced the output: {r.started()}",)),
        ("Circumstances", (*_circumstances(r), *said)),
        ("Client and matter", _clients(r)),
        ("Potential claimants", _claimants(r)),
        ("Steps taken", action_taken(r)),
        ("Liability", (NO_ADMISSION,)),
        ("Consent before costs", (CONSENT,)),
        ("Contact", (r.contact("managing_partner"),)),
    )


def _aware(r: Record) -> tuple[str, ...]:
    inc = r.incident
    who = inc.declared_by.name if inc.declared_by else TBC
    via = learned_via(r)
    return (
        f"We became aware: {r.when(inc.aware_at)}.",
        f"Incident declared by: {who}",
        f"Who first noticed it: {TBC}",
        f"How we learned of it: {via or TBC}",
        f"What was noticed: {inc.noticed or TBC}",
    )


def _circumstances(r: Record) -> tuple[str, ...]:
    inc = r.incident
    failure = FAILURE_TYPES.get(inc.failure_type, inc.failure_type)
    return (f"{failure} in {r.system_name()}: {inc.title}.", f"Our reference: {inc.key}.")


def _clients(r: Record) -> tuple[str, ...]:
    f = r.facts
    return (
        f"Client whose information it is: {r.fact(f.owning_client)}",
        f"Client who received it: {r.fact(f.receiving_client)}",
        f"Matter: {TBC}",
    )


def _claimants(r: Record) -> tuple[str, ...]:
    f = r.facts
    named = [n for n in (f.owning_client, f.receiving_client) if n]
    others = [f.other_parties] if f.other_parties else []
    count, kinds = r.fact(f.people_count), r.fact(f.people_categories)
    people = f"the people whose data it is ({count}: {kinds})"
    listed = "; ".join([*named, *others, people]) if r.yes("Q1") else "; ".join(named + others)
    return (f"Potential claimants: {listed or TBC}",)
