"""The seed case of the core issue carried through to close, for the close-and-learn tests.

incident, clock = run_closed_seed(runbook)   # a closed Incident and the clock it closed at
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot import actions, service
from bot.decisions import CloseForm
from bot.incident import Incident
from bot.runbook import Runbook
from bot.service import Deps
from storage.memory import MemoryStore
from tests.conftest import SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed

REGRESSION = {
    "input": "Draft the Q1 management report for Acme Ltd.",
    "bad_output": "Acme Ltd Q1 report ... Brightside revenue 1.2m ...",
    "must_contain": ["Acme"],
    "must_not_contain": ["Brightside"],
    "notes": "Retrieval ignored the client filter; Brightside's ledger was in context.",
}
DELAY = "The data protection lead was on leave and the deputy had not been briefed"
WAIVED = "Report recalled before Acme relied on it; the broker advised no notice is needed"
DONE = {
    "controller_art33_2": "Emailed Acme's DPO, subject 'AI-2026-0001 personal data'",
    "client_contract_acme": "Phoned Acme's finance director, confirmed by email",
    "cyber_insurer": "Formal notice to claims@cyber.example, ref CY-88120",
    "client_recall": "Recalled the report from Acme; a corrected one sent 27 Mar",
}
# What the firm learns of the parties and the data during the response.
FACTS = (
    "owning client: Brightside Ltd; receiving client: Acme Ltd; "
    "data: revenue figures and staff salaries; people: Brightside's staff; "
    "people count: 10-50; records: about 120; started: 2026-03-05"
)
CORRECTED = "Acme's email arrived at 15:00; it was first read at 15:30"
# An answer that keeps a notification from opening is a decision not to notify: it says why.
LATER_ANSWERS = (
    ("Q4", "no", "Revenue and salaries of ten staff, seen by one finance team; no misuse"),
    ("Q5", "unsure", ""),  # both paths: the ICO as controller, Acme as its processor
    ("Q8a", "yes", ""),
    ("Q8b", "no", "The report went to Acme's finance team only"),
    ("Q8c", "no", "The report went to Acme's finance team only"),
    ("Q8d", "no", "The report went to Acme's finance team only"),
    ("Q12", "no", "A system fault, promptly contained: no member's misconduct"),
    ("Q14", "no", ""),
)
ICO_REFERENCE = "ICO case IC-123456-ABCD"
EVIDENCE = (
    ("E4", "Prompt and raw output for request req-7781", b"prompt: ...\noutput: ..."),
    ("E10", "Acme Q1 report v3, sent to finance@acme.example 26 Mar 14:02", None),
)


async def closed_seed(deps: Deps, clock: FakeClock, facts: str = "") -> Incident:
    """Evidence, notices (one waived, the ICO's late with a reason) and a full close; with
    `facts`, those facts recorded first."""
    incident = await classified_seed(deps)
    runbook, key = deps.runbook, incident.key
    alex, priya, sam = (person(runbook, p) for p in ("alex", "priya", "sam"))
    if facts:
        await actions.typed(deps, "facts", key, sam, facts, "chat")
    await service.acknowledge(deps, key, sam)
    await service.correct_awareness(deps, key, sam, SEED_T0 - timedelta(minutes=30), CORRECTED)
    jordan = person(runbook, "jordan")  # the compliance role decides the ICAEW question
    for question, value, why in LATER_ANSWERS:
        by = jordan if question == "Q12" else alex
        await service.answer(deps, key, by, question, value, why)
    await service.note(deps, key, sam, "ExampleAI confirmed a retrieval change on 24 Mar")
    for item, text, content in EVIDENCE:
        await service.add_evidence(deps, key, sam, text, item, content, "chat")
    clock.advance(timedelta(hours=20))
    for clock_id, reference in DONE.items():
        await service.mark_obligation(deps, key, alex, clock_id, "done", reference)
    await service.mark_obligation(deps, key, priya, "pi_insurer", "waived", WAIVED)
    clock.set(SEED_T0 + timedelta(hours=75))
    await service.explain_delay(deps, key, alex, "ico_art33", DELAY)
    await service.mark_obligation(deps, key, alex, "ico_art33", "done", ICO_REFERENCE)
    clock.advance(timedelta(hours=24))
    return await service.close(deps, key, priya, close_form(runbook))


def close_form(runbook: Runbook) -> CloseForm:
    return CloseForm(
        root_cause="The retrieval step ignored the client filter after a vendor update",
        criteria=runbook.reenable_criteria,
        lessons="Test the client filter after every vendor release",
        remediation="Client filter enforced in the retrieval query; vendor fix deployed",
        regression=dict(REGRESSION),
    )


def run_closed_seed(runbook: Runbook, facts: str = "") -> tuple[Incident, FakeClock]:
    clock = FakeClock(SEED_T0 + timedelta(minutes=10))
    deps = Deps(runbook, MemoryStore(), FakeChat(runbook), clock)
    return asyncio.run(closed_seed(deps, clock, facts)), clock
