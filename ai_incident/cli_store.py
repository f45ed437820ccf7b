"""What the commands read: the runbook, the incident store, one incident's record or all of
them, and the time now.

    _, incident = load(settings, "AI-2026-0001")   # exits 1 saying so when there is none
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.runbook import Runbook
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.incident import Incident


def runbook(settings: Settings) -> Runbook:
    from bot.runbook_parse import load_runbook  # YAML is read only by commands that need it

    return load_runbook(settings.runbook_path)


def store(settings: Settings):  # type: ignore[no-untyped-def]
    from ai_incident.database import open_store

    return open_store(settings)


def load(settings: Settings, key: str):  # type: ignore[no-untyped-def]
    opened = store(settings)
    incident = asyncio.run(opened.load(key.upper()))
    if incident is None or not incident.events:
        print(f"There is no incident {key}.", file=sys.stderr)
        raise SystemExit(1)
    return opened, incident


def now() -> datetime:
    return datetime.now(UTC)


def incidents(settings: Settings) -> list[Incident]:
    opened = store(settings)

    async def load_all() -> list[Incident]:
        rows = await opened.list_incidents(include_closed=True)
        found = [await opened.load(row.key) for row in rows]
        return [i for i in found if i is not None and i.events]

    return asyncio.run(load_all())
