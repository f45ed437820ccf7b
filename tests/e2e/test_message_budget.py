"""The seed case from declare to close leaves few messages in its room: the card, the
questions and each obligation are updated in place, not posted again."""

from __future__ import annotations

from pathlib import Path

from bot import service
from bot.decisions import CloseForm
from bot.runbook import Runbook
from bot.service import Deps
from handlers.web.chat import WebChat, room_id
from storage.memory import MemoryStore
from tests.conftest import person
from tests.e2e import teams_rig as teams
from tests.e2e.teams_rig import ALEX, SAM, TeamsRig, connector, teams_rig
from tests.fakes.clock import FakeClock
from tests.faults.test_flaky_slack import incident, run_seed_case, workspace
from tests.service.test_seed_case import classified_seed

__all__ = ["connector", "teams_rig"]  # fixtures

BUDGET = 25  # top-level messages in the incident's room, declare to close


async def test_the_seed_case_on_slack_stays_within_the_message_budget(
    runbook: Runbook, tmp_path: Path
) -> None:
    async with workspace(runbook, tmp_path / "slack", None) as rig:
        await run_seed_case(rig)
        room = (await incident(rig)).room
        assert room is not None
        top = [m for m in rig.slack.messages[room.id] if m.thread_ts in (None, m.ts)]
    assert len(top) <= BUDGET, f"{len(top)} messages"


async def test_the_seed_case_on_teams_stays_within_the_message_budget(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    await teams.declared(rig)
    await teams.acknowledged(rig)
    await teams.contained(rig)
    await teams.classified(rig)
    for clock in ("ico_art33", "cyber_insurer", "client_contract_acme", "pi_insurer"):
        action = f"obligation:{clock}:done"
        card = rig.tenant.with_action(rig.room, action)
        await rig.tenant.click(ALEX, card, action, f"{clock} told, ref 77")
    await rig.tenant.say(SAM, rig.room, "close")
    every = ",".join(str(i) for i in range(len(rig.deps.runbook.reenable_criteria)))
    answers = {"root_cause": "Cache keyed without client id", "reenable": every}
    # The managing partner's sign-off is hers to give: she submits the close form.
    await rig.tenant.fill(teams.PRIYA, rig.tenant.last(rig.room), answers)
    closed = await rig.deps.store.load(teams.KEY)
    assert closed is not None and closed.closed_at is not None
    sent = rig.tenant.messages(rig.room)
    assert len(sent) <= BUDGET, f"{len(sent)} messages"


async def test_the_seed_case_in_the_web_chat_stays_within_the_message_budget(
    runbook: Runbook, clock: FakeClock
) -> None:
    chat = WebChat(runbook)
    deps = Deps(runbook, MemoryStore(), chat, clock)
    incident = await classified_seed(deps)
    alex, priya = person(runbook, "alex"), person(runbook, "priya")
    for name, kept in incident.obligations.items():
        if kept.status == "pending" and name != "breach_log_art33_5":
            await service.mark_obligation(deps, incident.key, alex, name, "done", f"ref {name}")
    form = CloseForm("Cache keyed without client id", criteria=runbook.reenable_criteria)
    closed = await service.close(deps, incident.key, priya, form)
    assert closed.closed_at is not None
    said = [m for m in chat.rooms[room_id(incident.key)].messages if m.notice is not None]
    assert len(said) <= BUDGET, f"{len(said)} messages"
