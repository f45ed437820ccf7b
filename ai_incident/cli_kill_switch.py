"""`ai-incident kill-switch KEY STEP --as PERSON`: run a containment step's kill switch from
a terminal, exactly as the room's Run button does (same record, same single send).

The room hears of it through the server: what this command cannot post is recorded as
undelivered, and the running bot sends it on its next sweep.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from bot.incident import Incident, Room
from bot.notices import Notice
from bot.ports import ChatError
from bot.settings import Settings
from bot.timeline import Actor

# The use-cases are imported when the command runs, not whenever the parser is built (every
# command builds it; `ai-incident list` should start quickly).
if TYPE_CHECKING:
    from bot.service import Deps


class RoomLater:
    """A Chat that posts nothing: each message is left to the server to send."""

    async def open_room(self, incident: Incident) -> Room:
        raise ChatError("rooms are opened by the server")

    async def post(self, room: Room, notice: Notice) -> str:
        raise ChatError("sent to the room by the server")

    async def update(self, room: Room, message_id: str, notice: Notice) -> None:
        raise ChatError("updated by the server")

    async def archive_room(self, room: Room) -> None:
        raise ChatError("archived by the server")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("kill-switch", help="run a containment step's kill-switch action")
    run.add_argument("key")
    run.add_argument("step", type=int, help="the step's number in the containment checklist")
    run.add_argument("--as", dest="person", required=True, help="your id in the runbook")
    run.add_argument("--yes", action="store_true", help="send without asking")


def cmd_kill_switch(settings: Settings, args: argparse.Namespace) -> int:
    from ai_incident.main import kill_switch_deps
    from bot.decisions import Refused

    deps = kill_switch_deps(settings, RoomLater())
    person = deps.runbook.find_person(args.person)
    if person is None:
        print(f"'{args.person}' is not a person in the runbook.", file=sys.stderr)
        return 1
    actor = Actor(id=f"cli:{person.id}", name=person.name, person_id=person.id)
    try:
        return asyncio.run(_run(deps, args.key, actor, args.step - 1, args.yes))
    except Refused as refused:
        print(refused.message, file=sys.stderr)
        return 1


async def _run(deps: Deps, key: str, actor: Actor, step: int, sure: bool) -> int:
    from bot import kill_switch, kill_switch_run

    print("\n".join(await kill_switch_run.confirmation(deps, key, f"killswitch:{step}")))
    if not sure and input("Send it? [y/N] ").strip().lower() not in ("y", "yes"):
        print("Nothing was sent.")
        return 1
    outcome = await kill_switch_run.run(deps, key, actor, step)
    incident = await deps.store.load(key.strip().upper())
    result = [e for e in incident.events if e.type == kill_switch.RESULT] if incident else []
    if result:
        print(kill_switch.said(result[-1].data, key.strip().upper()))
    return 0 if outcome.ok else 1
