"""Draft notifications from the record, each for one recipient, for the named owner to
check, complete and send. The bot never sends them.

Anything the record does not hold is marked "[to be completed]", and the fields still to
complete are listed at the top of the draft.

    draft("ico", incident, runbook, now)               # the ICO breach-report form's fields
    draft("individuals", incident, runbook, now)       # a plain-language letter (Art 34)
    draft("pi_insurer", incident, runbook, now)        # and "cyber_insurer": two notices
    draft("client", incident, runbook, now)            # the client whose information it is
    draft("receiving_client", incident, runbook, now)  # the client who received it
    draft_html("ico", incident, runbook, now)          # the same, one printable HTML file
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.incident import Incident
from bot.papers.document import Paragraph, Section, render_html
from bot.papers.draft_ico import ICO_FORM, ico
from bot.papers.draft_insurers import cyber_insurer, pi_insurer
from bot.papers.draft_people import client, individuals
from bot.papers.draft_record import TBC, Body, Drafted, Record, to_complete
from bot.runbook import Runbook

__all__ = ["ART33_3", "DRAFTS", "ICO_FORM", "KINDS", "TBC", "draft", "draft_html"]

ART33_3 = ICO_FORM  # the ICO's form asks for every Art 33(3) particular, and more
NEVER_SENT = (
    "For {owner} to check, complete and send. The bot never sends notifications; "
    "record the reference when it has been sent."
)


def _insurer(r: Record) -> Drafted:
    """The cyber notice where an attacker is suspected, else the PI notice."""
    return cyber_insurer(r) if r.yes("Q9") else pi_insurer(r)


def _client(r: Record, clock: str) -> Drafted:
    """To the client a contract clock names (its title holds the client's name), else to
    the client whose information it is."""
    extra = next((x for x in r.runbook.clocks.extra if x.id == clock), None)
    receiving = r.facts.receiving_client.split()
    named = extra is not None and bool(receiving) and receiving[0].lower() in extra.title.lower()
    return client(r, "receiving" if named else "owning")


DRAFTS: dict[str, Callable[[Record, str], Drafted]] = {
    "ico": lambda r, clock: ico(r),
    "individuals": lambda r, clock: individuals(r),
    "insurer": lambda r, clock: {"pi_insurer": pi_insurer, "cyber_insurer": cyber_insurer}.get(
        clock, _insurer
    )(r),
    "pi_insurer": lambda r, clock: pi_insurer(r),
    "cyber_insurer": lambda r, clock: cyber_insurer(r),
    "client": _client,
    "receiving_client": lambda r, clock: client(r, "receiving"),
}
KINDS = tuple(DRAFTS)


def _drafted(
    kind: str, incident: Incident, runbook: Runbook, now: datetime, clock: str
) -> tuple[str, str, Body]:
    record = Record(incident, runbook, now)
    title, usual, body = DRAFTS[kind](record, clock)
    return title, record.owner(clock or usual), body


def draft(kind: str, incident: Incident, runbook: Runbook, now: datetime, clock: str = "") -> str:
    """The draft as Markdown; raises KeyError for a kind not in DRAFTS. With `clock` (a
    button on that clock's reminder), the draft is addressed to that clock's owner:

        draft("client", incident, runbook, now, "client_contract_acme")   # "For Sam Okafor …"
    """
    return render(*_drafted(kind, incident, runbook, now, clock))


def draft_html(
    kind: str, incident: Incident, runbook: Runbook, now: datetime, clock: str = ""
) -> str:
    """The draft as one self-contained HTML page, for A4."""
    title, owner, body = _drafted(kind, incident, runbook, now, clock)
    head = Section("About this draft", tuple(Paragraph(t) for t in _preamble(owner, body)))
    sections = tuple(Section(h, tuple(Paragraph(t) for t in lines if t)) for h, lines in body)
    return render_html(f"DRAFT — {title}", (head, *sections))


def _preamble(owner: str, body: Body) -> tuple[str, ...]:
    missing = to_complete(body)
    said = "To be completed before sending: " + "; ".join(missing) + "." if missing else ""
    return (NEVER_SENT.format(owner=owner), said or "Nothing is left to complete.")


def render(title: str, owner: str, body: Body) -> str:
    lines = [f"# DRAFT — {title}"]
    for text in _preamble(owner, body):
        lines += ["", text]
    for heading, text_lines in body:
        # A line break someone typed into a field would start a forged heading here.
        lines += ["", f"## {heading}", "", *(" ".join(t.splitlines()) for t in text_lines)]
    return "\n".join(lines) + "\n"
