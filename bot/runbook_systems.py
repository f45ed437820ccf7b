"""The runbook's AI systems: who may switch each off and how, its logs, its containment
steps and its vendor's contract."""

from __future__ import annotations

from collections.abc import Sequence

from bot.runbook import Contract, KillSwitch, System
from bot.runbook_actions import containment_step
from bot.runbook_values import Fields

_SYSTEM_KEYS = ("id", "name", "vendor", "kill_switch", "logs", "containment")


def systems(top: Fields, known: Sequence[str]) -> tuple[System, ...]:
    seen: dict[str, int] = {}
    listed = top.each("systems", "system", _SYSTEM_KEYS, ("contract",))
    return tuple(_system(f, known, seen) for f in listed)


def _system(f: Fields, known: Sequence[str], seen: dict[str, int]) -> System:
    switch = f["kill_switch"].fields(("who", "how"))
    contract = f["contract"].fields((), ("vendor_notifies_within", "notes", "ref", "processor"))
    steps = [containment_step(step) for step in f["containment"].items("containment step")]
    return System(
        id=f.unique_id(seen),
        name=f["name"].text(),
        vendor=f["vendor"].text(),
        kill_switch=KillSwitch(who=switch["who"].ids(known), how=switch["how"].text()),
        logs=f["logs"].text(),
        containment=tuple(text for text, _ in steps),
        actions=tuple(action for _, action in steps),
        contract=Contract(
            vendor_notifies_within=contract["vendor_notifies_within"].duration(),
            notes=contract["notes"].text(empty_ok=True),
            ref=contract["ref"].text(empty_ok=True),
            processor=contract["processor"].boolean(False),
        ),
    )
