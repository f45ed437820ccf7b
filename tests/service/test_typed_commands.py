"""Typed commands that change an incident answer the typist the same way on every platform."""

from __future__ import annotations

import pytest

from bot.actions import UnknownAction, typed
from bot.decisions import Refused
from bot.service import Deps
from tests.conftest import person
from tests.service.test_seed_case import declare_seed


async def test_a_note_is_recorded_and_confirmed(deps: Deps) -> None:
    incident = await declare_seed(deps)
    sam = person(deps.runbook, "sam")
    said = await typed(deps, "note", incident.key, sam, "Vendor confirmed the bug", "web")
    assert said == f"Note added to the timeline of {incident.key}."
    after = await deps.store.load(incident.key)
    assert after is not None and after.events[-1].data["text"] == "Vendor confirmed the bug"


async def test_a_bad_awareness_time_is_refused_and_changes_nothing(deps: Deps) -> None:
    incident = await declare_seed(deps)
    with pytest.raises(Refused):
        await typed(deps, "aware", incident.key, person(deps.runbook, "sam"), "yesterday", "web")
    after = await deps.store.load(incident.key)
    assert after is not None and after.last == incident.last


async def test_a_command_that_changes_nothing_is_not_one_of_these(deps: Deps) -> None:
    incident = await declare_seed(deps)
    with pytest.raises(UnknownAction):
        await typed(deps, "status", incident.key, person(deps.runbook, "sam"), "", "web")
