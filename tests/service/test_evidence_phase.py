"""When the evidence phase starts, the room is told the retention hold first, then where the
system's logs live and how long they are kept (from the runbook)."""

from __future__ import annotations

from bot import service
from bot.service import Deps
from tests.conftest import person
from tests.fakes.chat import FakeChat
from tests.service.test_seed_case import classified_seed
from tests.unit.closed_seed import LATER_ANSWERS


async def test_the_evidence_phase_opens_with_the_retention_hold_then_the_logs(
    deps: Deps, chat: FakeChat
) -> None:
    incident = await classified_seed(deps)
    assert not [t for t in chat.texts() if "Send a retention hold (E2)" in t]
    for question, value, why in LATER_ANSWERS:  # the ICAEW question is the compliance role's
        by = person(deps.runbook, "jordan" if question == "Q12" else "alex")
        incident = await service.answer(deps, incident.key, by, question, value, why)
    assert incident.phase == "evidence"
    [said] = [t for t in chat.texts() if "Send a retention hold (E2)" in t]
    hold = said.index("1. Send a retention hold (E2) to ExampleAI Ltd (Contract ref EAI-2291.")
    logs = said.index("ExampleAI admin console → Audit log → export CSV (the vendor keeps 30 days)")
    assert hold < logs
