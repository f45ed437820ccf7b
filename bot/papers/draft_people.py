"""Drafts for those outside the firm who were affected: a client, and the people whose data
it is. Each is built from what that recipient may know.

A client's draft never names another client or quotes their information: it carries none
of the record's free text about the incident (its title, what was noticed, the evidence),
and any other party's name that reaches it anyway is withheld. The letter to people is in
plain words, with no internal title, reference or hash (UK GDPR Art 34(2)).

    title, clock, body = client(Record(incident, runbook, now), "receiving")
"""

from __future__ import annotations

import re

from bot.papers.draft_record import TBC, Body, Drafted, Record

WITHHELD = "[another client]"
PLAIN = {
    "context_leakage": "put some of your information into a document meant for someone else",
    "wrong_recipient": "sent your information to the wrong person",
    "wrong_record": "used the wrong record",
    "prompt_injection": "was tricked into sharing information",
    "tool_exfiltration": "was tricked into sharing information",
    "external_ai_paste": "was used to copy information into an outside service by mistake",
}


def client(r: Record, to: str) -> Drafted:
    """`to` is "owning" (the client whose information it is) or "receiving"."""
    receiving = to == "receiving"
    name = r.facts.receiving_client if receiving else r.facts.owning_client
    said = _received(r) if receiving else _theirs(r)
    body: Body = (
        ("To", (f"[client contact], {name or TBC}",)),
        *said,
        ("What we have done", _done(r)),
        ("What we need from you", (TBC,)),
        ("Contact", (r.contact("incident_lead"),)),
    )
    guarded = withhold(body, tuple(n for n in r.facts.clients() if n != name))
    title = "Note to the client who received it" if receiving else "Note to the client"
    return (title, "controller_art33_2", guarded)


def _theirs(r: Record) -> Body:
    f = r.facts
    return (
        (
            "What happened",
            (
                f"An AI system we use ({r.system_name()}) made an error involving your "
                "information. It was shown to someone not entitled to see it.",
                f"In your words (name no other client, quote none of their information): {TBC}",
                f"When it began: {r.started()}. We became aware: {r.when(r.incident.aware_at)}.",
            ),
        ),
        (
            "Your information",
            (
                f"What it was: {r.fact(f.data_categories)}",
                f"Whose it is: {r.fact(f.people_categories)}",
                f"About how many people: {r.fact(f.people_count)}; records: "
                f"{r.fact(f.records_count)}",
                *_processor(r),
            ),
        ),
    )


def _received(r: Record) -> Body:
    return (
        (
            "What happened",
            (
                f"A document we sent you, prepared with an AI system ({r.system_name()}), "
                "contained information that belongs to another of our clients.",
                f"Which document, and when it was sent: {TBC}",
            ),
        ),
        (
            "What we ask of you",
            (
                "Please do not read further, use, copy or pass on that information.",
                "Please delete every copy (or return it to us) and confirm to us in writing "
                "that you have.",
                "We will send you a corrected document.",
            ),
        ),
    )


def _processor(r: Record) -> tuple[str, ...]:
    if r.answer("Q5") not in ("processor", "unsure"):
        return ()
    return (
        "We process this personal data on your behalf, so we are telling you without undue "
        "delay (UK GDPR Art 33(2)). As controller, your own 72 hours to report to the ICO run "
        "from when you became aware, which is no later than when you receive this note.",
    )


def _done(r: Record) -> tuple[str, ...]:
    done = [f"- {step}" for step in r.contained()]
    remedy = r.incident.closing.get("remediation")
    done.append(f"- {remedy}" if remedy else f"- What we are changing so it cannot recur: {TBC}")
    return tuple(done)


def withhold(body: Body, names: tuple[str, ...]) -> Body:
    """The body with each of `names` (and its first word, 'Brightside' of 'Brightside Ltd')
    replaced by WITHHELD wherever it appears, in any case."""
    words = {n for name in names for n in (name, name.split()[0]) if len(n) >= 3}
    if not words:
        return body
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)), re.I)
    return tuple((h, tuple(pattern.sub(WITHHELD, line) for line in lines)) for h, lines in body)


def individuals(r: Record) -> Drafted:
    body: Body = (
        (
            "Letter",
            (
                "Dear [name],",
                "",
                "We are writing to tell you about a mistake that involved your personal "
                "information. We are sorry it happened.",
            ),
        ),
        ("What happened", _plain_what(r)),
        ("What information was involved", (r.fact(r.facts.data_categories),)),
        ("What this may mean for you", (TBC,)),
        ("What we have done", _plain_done(r)),
        ("What you can do", (TBC,)),
        ("Who to contact", (f"Our data protection lead: {r.contact('dpo')}",)),
        ("Sign-off", ("Yours sincerely,", "", f"[name], {r.runbook.firm.name}")),
    )
    return ("Letter to the people affected (UK GDPR Art 34)", "data_subjects_art34", body)


def _plain_what(r: Record) -> tuple[str, ...]:
    slip = PLAIN.get(r.incident.failure_type, "made a mistake with your information")
    found = r.when.local(r.incident.aware_at).rsplit(" ", 2)[0]
    return (f"A computer system we use {slip}.", f"We found out on {found}.")


def _plain_done(r: Record) -> tuple[str, ...]:
    said = ["We stopped the system straight away."] if r.contained() else []
    if r.incident.closing.get("remediation"):
        said.append("We have fixed the fault and checked the fix.")
    return tuple(said) or (TBC,)
