"""The record's head leaves the database as the incident goes: on each phase change in the
room, on the close summary, in the export and in the evidence pack's instructions."""

from __future__ import annotations

import re

from bot.papers.evidence_pack import verify_text
from bot.papers.export import export_json
from bot.service import Deps
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.unit.closed_seed import closed_seed


async def test_each_phase_change_and_the_close_summary_publish_a_head_of_the_chain(
    deps: Deps, chat: FakeChat, clock: FakeClock
) -> None:
    incident = await closed_seed(deps, clock)
    hashes = {e.seq: e.hash for e in incident.events}
    phases = [t for t in chat.texts() if t.startswith("Phase: ")]
    assert len(phases) >= 3
    for said in phases:
        found = re.search(r"record head ([0-9a-f]{16}), event (\d+)", said)
        assert found is not None, said
        assert hashes[int(found.group(2))].startswith(found.group(1))
    (summary,) = chat.of_kind("summary")
    (line,) = [x for x in summary.view.lines if x.startswith("Record head: ")]
    closed = next(
        e for e in incident.events if e.type == "phase_changed" and e.data["to"] == "closed"
    )
    assert line == f"Record head: {closed.hash} (event {closed.seq})"


async def test_the_export_and_the_evidence_pack_carry_the_head(
    deps: Deps, clock: FakeClock
) -> None:
    incident = await closed_seed(deps, clock)
    head = incident.events[-1].hash
    assert export_json(incident, [], deps.runbook, clock.now())["head_hash"] == head
    assert f"ai-incident verify {incident.key} --expect-head {head}" in verify_text(
        incident, clock.now()
    )
