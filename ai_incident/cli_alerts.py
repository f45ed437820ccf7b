"""`ai-incident alerts`: the alerts people dismissed or declared, with who, when and why
(`--all` adds those still open).

    ai-incident alerts --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
from typing import TYPE_CHECKING

from bot.settings import Settings

if TYPE_CHECKING:  # the alerts' rules load with the command, not with every command's parser
    from bot.alerts import AlertRecord

SETTLED = ("dismissed", "declared")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    listing = sub.add_parser("alerts", help="alerts dismissed or declared, and by whom")
    listing.add_argument("--all", action="store_true", help="include alerts still open")
    listing.add_argument("--json", action="store_true")


def as_data(record: AlertRecord) -> dict[str, object]:
    alert = record.alert
    at = record.settled_at.isoformat() if record.settled_at else None
    return {
        "id": record.id,
        "source": alert.source,
        "system": alert.system,
        "summary": alert.summary,
        "severity": alert.severity,
        "status": alert.status,
        "occurred_at": alert.occurred_at.isoformat() if alert.occurred_at else None,
        "received_at": record.received_at.isoformat(),
        "deliveries": record.deliveries,
        "state": record.state,
        "by": record.settled_by,
        "at": at,
        "reason": record.reason,
        "incident": record.incident_key,
    }


def _line(record: AlertRecord) -> str:
    outcome = record.incident_key or record.reason
    by = f" by {record.settled_by}: {outcome}" if record.settled_by else ""
    day = record.received_at.strftime("%Y-%m-%d %H:%M")
    return f"{record.id}\t{day}\t{record.state}{by}\t{record.alert.system}\t{record.alert.summary}"


def cmd_alerts(settings: Settings, args: argparse.Namespace) -> int:
    from ai_incident.main import open_alerts

    states = (*SETTLED, "open") if args.all else SETTLED
    records = asyncio.run(open_alerts(settings).listed(states))
    if args.json:
        print(json.dumps([as_data(r) for r in records], indent=2, ensure_ascii=False))
        return 0
    for record in records:
        print(_line(record))
    if not records:
        print("No alerts dismissed or declared yet.")
    return 0
