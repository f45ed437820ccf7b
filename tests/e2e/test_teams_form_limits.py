"""A form Teams would refuse as too large is answered in the thread, in the words Slack uses
for a modal over its limits, rather than sent and lost."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.runbook import Runbook
from handlers.teams.cards import MAX_BYTES
from tests.e2e.teams_rig import LEE, POST, connector, running, teams_runbook
from tests.fakes.teams_connector import FakeConnector

__all__ = ["connector"]  # fixtures


def with_many_systems(runbook: Runbook, count: int) -> Runbook:
    model = runbook.systems[0]
    many = tuple(
        replace(model, id=f"system-{i}", name=f"AI system number {i} " + "x" * 200)
        for i in range(count)
    )
    return replace(runbook, systems=many)


async def test_a_declare_form_too_large_for_a_card_is_answered_not_sent(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path
) -> None:
    book = with_many_systems(teams_runbook(runbook), MAX_BYTES // 200)
    async with running(connector, book, tmp_path) as rig:
        assert await rig.tenant.say(LEE, POST, "declare Leak") == 202
        await rig.kept.work.idle()
        said = rig.tenant.said(POST)
        assert "That form is over Teams' limits: the form is " in said
        assert f"bytes; a card may be {MAX_BYTES:,}." in said
        forms = [c for m in rig.tenant.messages(POST) for c in m.cards]
        assert not any("Input.ChoiceSet" in str(c) for c in forms)


async def test_a_declare_form_within_the_limit_is_sent(
    connector: FakeConnector, runbook: Runbook, tmp_path: Path
) -> None:
    async with running(connector, teams_runbook(runbook), tmp_path) as rig:
        assert await rig.tenant.say(LEE, POST, "declare Leak") == 202
        await rig.kept.work.idle()
        assert "over Teams' limits" not in rig.tenant.said(POST)
        assert any("Input.ChoiceSet" in str(c) for c in rig.tenant.last(POST).cards)
