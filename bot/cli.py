"""`ai-incident` — serve the bot and work with its records from a terminal.

ai-incident check-runbook runbook.yaml
ai-incident export AI-2026-0001 --format json
ai-incident verify AI-2026-0001
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from bot.export import export_json, export_markdown
from bot.runbook import Runbook, RunbookError, load_runbook
from bot.settings import Settings, SettingsError, load_settings
from bot.timeline import first_broken_link


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="ai-incident", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="serve the bot (the local web chat when no platform is set)")
    check = sub.add_parser("check-runbook", help="validate a runbook; exit 1 listing problems")
    check.add_argument("path", nargs="?", type=Path)
    one = sub.add_parser("runbook", help="print the one-page runbook")
    one.add_argument("--format", choices=("md", "html"), default="md")
    listing = sub.add_parser("list", help="list incidents")
    listing.add_argument("--json", action="store_true")
    export = sub.add_parser("export", help="export an incident's record")
    export.add_argument("key")
    export.add_argument("--format", choices=("json", "md"), default="json")
    verify = sub.add_parser("verify", help="re-walk an incident's hash chain")
    verify.add_argument("key")
    sub.add_parser("migrate", help="apply database migrations")
    return p


def _runbook(settings: Settings) -> Runbook:
    return load_runbook(settings.runbook_path)


def _store(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.main import open_store

    return open_store(settings)


def cmd_check_runbook(settings: Settings, args: argparse.Namespace) -> int:
    path = args.path or settings.runbook_path
    try:
        runbook = load_runbook(path)
    except FileNotFoundError:
        print(f"{path}: no such file", file=sys.stderr)
        return 1
    print(
        f"{path}: OK — {runbook.firm.name}, {len(runbook.people)} people, "
        f"{len(runbook.systems)} AI systems"
    )
    return 0


def cmd_runbook(settings: Settings, args: argparse.Namespace) -> int:
    from bot.onepager import render_runbook_html, render_runbook_markdown

    render = render_runbook_html if args.format == "html" else render_runbook_markdown
    print(render(_runbook(settings)))
    return 0


def cmd_list(settings: Settings, args: argparse.Namespace) -> int:
    rows = asyncio.run(_store(settings).list_incidents(include_closed=True))
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


def _load(settings: Settings, key: str):  # type: ignore[no-untyped-def]
    store = _store(settings)
    incident = asyncio.run(store.load(key.upper()))
    if incident is None or not incident.events:
        print(f"There is no incident {key}.", file=sys.stderr)
        raise SystemExit(1)
    return store, incident


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    store, incident = _load(settings, args.key)
    reminders = asyncio.run(store.reminders(incident.key))
    now = datetime.now(UTC)
    if args.format == "json":
        print(
            json.dumps(
                export_json(incident, reminders, _runbook(settings), now),
                indent=2,
                ensure_ascii=False,
            )
        )
    else:
        print(export_markdown(incident, reminders, _runbook(settings), now))
    return 0


def cmd_verify(settings: Settings, args: argparse.Namespace) -> int:
    _, incident = _load(settings, args.key)
    broken = first_broken_link(incident.key, incident.events)
    if broken is None:
        print(f"{incident.key}: {len(incident.events)} events, hash chain intact")
        return 0
    print(
        f"{incident.key}: hash chain broken at event {broken} (timeline row seq={broken})",
        file=sys.stderr,
    )
    return 1


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from bot.main import migrate

    migrate(settings)
    print("database is up to date")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from bot.main import serve

    serve(settings)
    return 0


COMMANDS = {
    "serve": cmd_serve,
    "check-runbook": cmd_check_runbook,
    "runbook": cmd_runbook,
    "list": cmd_list,
    "export": cmd_export,
    "verify": cmd_verify,
    "migrate": cmd_migrate,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(os.environ)
        return COMMANDS[args.command](settings, args)
    except (RunbookError, SettingsError) as error:
        print(error, file=sys.stderr)
        return 1
