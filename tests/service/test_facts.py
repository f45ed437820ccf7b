"""The facts the papers need, typed once in the room (`facts label: value; …`)."""

from __future__ import annotations

import pytest

from bot import service
from bot.actions import typed
from bot.commands import parse
from bot.decisions import Refused
from bot.facts import facts_of
from bot.papers.export import export_json
from bot.service import Deps
from tests.conftest import person
from tests.service.test_seed_case import classified_seed


async def test_facts_typed_in_the_room_are_recorded_and_what_is_missing_is_said(
    deps: Deps,
) -> None:
    incident = await classified_seed(deps)
    sam = person(deps.runbook, "sam")
    said = await typed(
        deps, "facts", incident.key, sam, "owning client: Brightside Ltd; people count: 10-50", "x"
    )
    assert "- Client whose information it is: Brightside Ltd" in said
    assert "Still missing" in said and "receiving client" in said
    again = await deps.store.load(incident.key)
    assert again is not None
    assert facts_of(again).owning_client == "Brightside Ltd"
    assert facts_of(again).people_count == "10-50"


async def test_a_later_value_corrects_a_fact_and_a_repeat_records_nothing(deps: Deps) -> None:
    incident = await classified_seed(deps)
    sam = person(deps.runbook, "sam")
    await typed(deps, "facts", incident.key, sam, "records: unknown\nstarted: 2026-03-05", "x")
    await typed(deps, "facts", incident.key, sam, "records: about 120", "x")
    before = await deps.store.load(incident.key)
    await typed(deps, "facts", incident.key, sam, "records: about 120", "x")
    after = await deps.store.load(incident.key)
    assert before is not None and after is not None
    assert len(after.events) == len(before.events)
    assert (facts_of(after).records_count, facts_of(after).started) == ("about 120", "2026-03-05")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("people count: lots", "not a number"),
        ("colour: blue", "not 'label: value'"),
        ("started: last week", "not a date"),
        ("started: 2099-01-01", "future"),
        ("data:", "Give a value"),
    ],
)
async def test_bad_facts_are_refused_with_a_message_and_change_nothing(
    deps: Deps, text: str, says: str
) -> None:
    incident = await classified_seed(deps)
    with pytest.raises(Refused, match=says):
        await typed(deps, "facts", incident.key, person(deps.runbook, "sam"), text, "x")
    after = await deps.store.load(incident.key)
    assert after is not None and len(after.events) == len(incident.events)


async def test_facts_alone_shows_what_the_notices_still_need(deps: Deps) -> None:
    incident = await classified_seed(deps)
    said = await typed(deps, "facts", incident.key, person(deps.runbook, "sam"), "", "x")
    assert said.startswith(f"Facts of {incident.key}") and "owning client" in said
    assert parse("facts people count: 5").name == "facts"


async def test_the_export_carries_the_facts(deps: Deps) -> None:
    incident = await classified_seed(deps)
    sam = person(deps.runbook, "sam")
    await typed(deps, "facts", incident.key, sam, "receiving client: Acme Ltd", "x")
    incident = await service.load(deps, incident.key, whole=True)
    data = export_json(incident, [], deps.runbook, deps.clock.now())
    assert data["facts"]["receiving_client"] == "Acme Ltd" and data["facts"]["started"] == ""
