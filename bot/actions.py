"""Button action ids (see bot.notices) as the one service call each stands for.

Every platform routes its button clicks through `press`, so a click means the same in
Slack, Teams and the local web chat:

    await press(deps, "AI-2026-0001", actor, "classify:Q3:unsure", "")
"""

from __future__ import annotations

from bot import service
from bot.service import Deps
from bot.timeline import Actor


class UnknownAction(ValueError):
    """An action id no message of this bot carries: a malformed or forged request."""


def _whole(text: str, what: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise UnknownAction(f"{what} must be a whole number.") from None


async def press(deps: Deps, key: str, actor: Actor, action: str, text: str) -> None:
    parts = action.split(":")
    if not all(parts):
        raise UnknownAction(f"The action '{action[:40]}' has an empty part.")
    match parts:
        case ["ack", role]:
            await service.acknowledge(deps, key, actor, role)
        case ["contain", step, status]:
            await service.contain(deps, key, actor, _whole(step, "The step"), status, text)
        case ["classify", question, value]:
            await service.answer(deps, key, actor, question, value, text)
        case ["obligation", clock, status]:
            await service.mark_obligation(deps, key, actor, clock, status, text)
        case ["delay", clock]:
            await service.explain_delay(deps, key, actor, clock, text)
        case ["evidence", item]:
            await service.add_evidence(deps, key, actor, text, item, source="chat")
        case _:
            raise UnknownAction(f"There is no action '{action[:40]}'.")
