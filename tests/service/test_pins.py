"""A message pinned in the room goes onto the timeline with its author, original time,
text and files; unpinning is recorded, never a deletion; the export's timeline shows it."""

from __future__ import annotations

from datetime import timedelta

from bot import service
from bot.papers.export import export_json
from bot.pins import Said
from bot.service import Deps
from tests.conftest import SEED_T0, person
from tests.service.test_seed_case import declare_seed


def said(deps: Deps) -> Said:
    alex = person(deps.runbook, "alex")
    at = SEED_T0 + timedelta(minutes=3)
    return Said(
        "slack", "1774539180.000100", alex, at, "Vendor confirmed the cache bug", ("log.txt",)
    )


async def test_a_pinned_message_is_on_the_export_timeline_with_its_time_and_author(
    deps: Deps,
) -> None:
    incident = await declare_seed(deps)
    sam = person(deps.runbook, "sam")
    incident = await service.pin(deps, incident.key, sam, said(deps))
    incident = await service.load(deps, incident.key, whole=True)
    exported = export_json(incident, [], deps.runbook, deps.clock.now())
    (pin,) = [e for e in exported["timeline"] if e["type"] == "pinned"]
    assert pin["actor"]["name"] == "Sam Okafor"  # who pinned it
    assert pin["data"]["author"] == "Alex Morgan"  # who said it
    assert pin["data"]["said_at"] == (SEED_T0 + timedelta(minutes=3)).isoformat()
    assert pin["data"]["text"] == "Vendor confirmed the cache bug"
    assert pin["data"]["files"] == ["log.txt"]


async def test_pinning_twice_records_it_once_and_unpinning_keeps_the_pin(deps: Deps) -> None:
    incident = await declare_seed(deps)
    sam = person(deps.runbook, "sam")
    await service.pin(deps, incident.key, sam, said(deps))
    await service.pin(deps, incident.key, sam, said(deps))  # the 📌 reaction after the pin
    incident = await service.unpin(deps, incident.key, sam, "slack", "1774539180.000100")
    incident = await service.load(deps, incident.key, whole=True)
    types = [e.type for e in incident.events]
    assert types.count("pinned") == 1 and types.count("unpinned") == 1
    assert types.index("pinned") < types.index("unpinned")
