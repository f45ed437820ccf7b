"""Setting up and serving: checking the runbook and the whole set-up, the one-page
runbook, migrations, the Teams app package, and a set-up mistake said in one line.

    ai-incident check-runbook runbook.yaml
    ai-incident doctor
"""

from __future__ import annotations

import argparse
import sys

from ai_incident import cli_store
from bot.runbook import RunbookError
from bot.settings import Settings, SettingsError


def cmd_check_runbook(settings: Settings, args: argparse.Namespace) -> int:
    from bot.runbook_parse import load_runbook

    path = args.path or settings.runbook_path
    try:
        runbook = load_runbook(path)
    except FileNotFoundError:
        print(f"{path}: no such file", file=sys.stderr)
        return 1
    except RunbookError as error:  # here, every problem with its line
        print(error, file=sys.stderr)
        return 1
    print(
        f"{path}: OK — {runbook.firm.name}, {len(runbook.people)} people, "
        f"{len(runbook.systems)} AI systems"
    )
    return 0


def cmd_runbook(settings: Settings, args: argparse.Namespace) -> int:
    from bot.papers.onepager import render_runbook_html, render_runbook_markdown

    render = render_runbook_html if args.format == "html" else render_runbook_markdown
    print(render(cli_store.runbook(settings)))
    return 0


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from ai_incident.database import migrate

    migrate(settings, new_history=args.new)
    print("database is up to date")
    return 0


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    """Every check is a ✓, ! or ✗ line, whatever is wrong; nothing stops the others."""
    from ai_incident.database import database_check
    from bot.doctor import PROBLEM, Finding, findings
    from bot.doctor_connectors import connector_findings

    try:
        runbook = cli_store.runbook(settings)
        said = [*findings(settings, runbook), *connector_findings(settings, runbook)]
    except Exception as error:
        said = [Finding(PROBLEM, "runbook", _runbook_trouble(error, settings))]
    said.append(Finding(*database_check(settings)))
    for finding in said:
        print(finding.line())
    problems = sum(1 for f in said if f.level == PROBLEM)
    print("ready" if not problems else f"{problems} problem(s) to fix before going live")
    return 1 if problems else 0


def _runbook_trouble(error: Exception, settings: Settings) -> str:
    from ai_incident.database import first_line

    return mistake(error, settings) or f"{settings.runbook_path}: {first_line(error)}"


def cmd_teams_package(settings: Settings, args: argparse.Namespace) -> int:
    from ai_incident.main import teams_package

    dedicated = cli_store.runbook(settings).rooms.teams_dedicated_channels
    try:
        out = teams_package(args.out, args.app_id or settings.teams_app_id, dedicated)
    except ValueError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"wrote {out}: upload it under Teams → Apps → Manage your apps → Upload an app")
    if dedicated:
        print(
            "the runbook asks for a channel per incident: a team owner grants the app "
            "'Channel.Create.Group' when adding it to the team"
        )
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    from ai_incident.main import serve

    serve(settings)
    return 0


def mistake(error: Exception, settings: Settings) -> str | None:
    """One line for a set-up mistake (a setting, the runbook, the database), else None."""
    from ai_incident.database import database_trouble

    if isinstance(error, RunbookError):
        more = f" (and {len(error.errors) - 1} more)" if len(error.errors) > 1 else ""
        first = error.errors[0] if error.errors else str(error)
        return f"RUNBOOK_PATH: {first}{more}; `ai-incident check-runbook` lists every problem."
    if isinstance(error, FileNotFoundError) and error.filename == str(settings.runbook_path):
        return f"RUNBOOK_PATH: there is no runbook at {settings.runbook_path}."
    if isinstance(error, SettingsError):
        return str(error)
    return database_trouble(error, settings)
