"""The papers made from the record, from a terminal: the export, the evidence pack, the
breach register and the notice drafts.

    ai-incident export AI-2026-0001 --format json
    ai-incident evidence-pack AI-2026-0001 --out AI-2026-0001-evidence.zip
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ai_incident import cli_store
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.incident import Incident


def cmd_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.papers.export import export_json
    from bot.papers.moments import as_of
    from bot.papers.picture import timeline_png
    from bot.papers.report import report_html, report_markdown

    store, incident = cli_store.load(settings, args.key)
    runbook, now = cli_store.runbook(settings), datetime.now(UTC)
    if args.format == "json":
        reminders = asyncio.run(store.reminders(incident.key))
        data = export_json(incident, reminders, runbook, now)
        print(json.dumps(data, indent=2, ensure_ascii=False))
    elif args.format == "md":
        print(report_markdown(incident, runbook, as_of(incident, now)), end="")
    else:
        at = as_of(incident, now)
        print(report_html(incident, runbook, at, timeline_png(incident, runbook, at)), end="")
    return 0


def cmd_evidence_pack(settings: Settings, args: argparse.Namespace) -> int:
    out: Path = args.out
    if out.is_dir():
        print(f"{out} is a directory; give the zip file's name.", file=sys.stderr)
        return 1
    from bot.papers.evidence_pack import evidence_pack
    from bot.papers.moments import as_of

    store, incident = cli_store.load(settings, args.key)
    reminders = asyncio.run(store.reminders(incident.key))
    kept = _kept_files(settings, incident)
    data = evidence_pack(
        incident, reminders, cli_store.runbook(settings), as_of(incident, cli_store.now()), kept
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"{out}: evidence pack for {incident.key}, {len(data)} bytes")
    return 0


def _kept_files(settings: Settings, incident: Incident) -> dict[str, bytes]:
    """The shared files' bytes still under RECORDS_DIR, by their stored path; one that is
    gone is left out (the pack's manifest still lists its recorded hash)."""
    root, found = settings.records_dir.resolve(), {}
    for item in incident.evidence:
        path = (root / item.stored).resolve()
        if item.stored and path.is_relative_to(root) and path.is_file():
            found[item.stored] = path.read_bytes()
    return found


def cmd_register(settings: Settings, args: argparse.Namespace) -> int:
    from bot.papers import register

    runbook = cli_store.runbook(settings)
    entries = register.breach_register(cli_store.incidents(settings), runbook, cli_store.now())
    if args.format == "csv":
        print(register.register_csv(entries), end="")
    else:
        write = register.register_html if args.format == "html" else register.register_markdown
        print(write(entries, runbook), end="")
    return 0


def cmd_draft(settings: Settings, args: argparse.Namespace) -> int:
    from bot.papers import drafts
    from bot.papers.moments import as_of

    _, incident = cli_store.load(settings, args.key)
    write = drafts.draft_html if args.format == "html" else drafts.draft
    print(
        write(args.kind, incident, cli_store.runbook(settings), as_of(incident, cli_store.now())),
        end="",
    )
    return 0
