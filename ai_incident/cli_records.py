"""`ai-incident list` and `ai-incident verify`: the incidents recorded, and whether an
incident's hash chain is intact.

    ai-incident verify AI-2026-0001 --expect-head <a head hash published earlier>
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from ai_incident import cli_store
from bot.settings import Settings


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    rows = asyncio.run(cli_store.store(settings).list_incidents(include_closed=True))
    if args.json:
        print(
            json.dumps(
                [
                    {
                        "key": r.key,
                        "title": r.title,
                        "phase": r.phase,
                        "aware_at": r.aware_at.isoformat() if r.aware_at else None,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return 0
    for r in rows:
        print(f"{r.key}  {r.phase:<14} {r.title}")
    return 0


def cmd_verify(settings: Settings, args: argparse.Namespace) -> int:
    from bot.anchor import head_of, problem

    store, incident = cli_store.load(settings, args.key)
    rows = asyncio.run(store.list_incidents(include_closed=True))
    row = next(r for r in rows if r.key == incident.key)
    events = incident.events
    found = problem(incident.key, events, row.version, row.head_hash, args.expect_head)
    if found is None:
        print(f"{incident.key}: {len(events)} events, hash chain intact, head {head_of(events)}")
        return 0
    print(f"{incident.key}: {found}", file=sys.stderr)
    return 1
