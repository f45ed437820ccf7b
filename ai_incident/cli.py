"""`ai-incident` — serve the bot and work with its records from a terminal.

ai-incident check-runbook runbook.yaml
ai-incident export AI-2026-0001 --format json
ai-incident verify AI-2026-0001
ai-incident evidence-pack AI-2026-0001 --out AI-2026-0001-evidence.zip
ai-incident eval-run evals/AI-2026-0001.jsonl --command 'python my_system.py'
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from ai_incident import cli_alerts, cli_kill_switch, cli_learn, cli_papers, cli_records, cli_setup
from bot.settings import SettingsError, load_settings


class _DraftKinds:
    """The draft kinds, looked up only when the `draft` command is parsed or shown."""

    def __contains__(self, kind: object) -> bool:
        from bot.papers.drafts import KINDS

        return kind in KINDS

    def __iter__(self) -> Iterator[str]:
        from bot.papers.drafts import KINDS

        return iter(KINDS)


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
    export.add_argument("--format", choices=("json", "md", "html"), default="json")
    verify = sub.add_parser("verify", help="re-walk an incident's hash chain")
    verify.add_argument("key")
    verify.add_argument("--expect-head", default="", help="a head hash published earlier")
    migrate = sub.add_parser("migrate", help="apply database migrations")
    migrate.add_argument(
        "--new", action="store_true", help="start a new, empty history beside earlier records"
    )
    sub.add_parser("doctor", help="check the settings, runbook and database before going live")
    teams = sub.add_parser("teams-package", help="write the Teams app zip (manifest + icons)")
    teams.add_argument("--out", type=Path, default=Path("ai-incident-teams.zip"))
    teams.add_argument("--app-id", help="the bot's Microsoft app id (default: TEAMS_APP_ID)")
    _close_and_learn(sub)
    cli_kill_switch.add_parser(sub)
    cli_alerts.add_parser(sub)
    return p


def _close_and_learn(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    pack = sub.add_parser("evidence-pack", help="write an incident's evidence pack (a zip)")
    pack.add_argument("key")
    pack.add_argument("--out", type=Path, required=True)
    reg = sub.add_parser("register", help="the UK GDPR Art 33(5) breach register")
    reg.add_argument("--format", choices=("csv", "md", "html"), default="csv")
    cases = sub.add_parser("eval-cases", help="closed incidents' regression cases as JSONL")
    cases.add_argument("--out", type=Path, help="one file for every case (default: stdout)")
    cases.add_argument("--dir", type=Path, help="one <KEY>.jsonl per closed incident")
    run = sub.add_parser("eval-run", help="run regression cases against a command")
    run.add_argument("cases", type=Path)
    run.add_argument("--command", dest="program", metavar="CMD", required=True, help="reads stdin")
    draft = sub.add_parser("draft", help="draft a notification for its owner to send")
    draft.add_argument("key")
    kinds = "which notification: a kind not known is refused with the list of kinds"
    draft.add_argument("kind", choices=_DraftKinds(), metavar="KIND", help=kinds)
    draft.add_argument("--format", choices=("md", "html"), default="md")


COMMANDS = {
    "serve": cli_setup.cmd_serve,
    "check-runbook": cli_setup.cmd_check_runbook,
    "runbook": cli_setup.cmd_runbook,
    "list": cli_records.cmd_list,
    "export": cli_papers.cmd_export,
    "verify": cli_records.cmd_verify,
    "migrate": cli_setup.cmd_migrate,
    "teams-package": cli_setup.cmd_teams_package,
    "doctor": cli_setup.cmd_doctor,
    "evidence-pack": cli_papers.cmd_evidence_pack,
    "register": cli_papers.cmd_register,
    "eval-cases": cli_learn.cmd_eval_cases,
    "eval-run": cli_learn.cmd_eval_run,
    "draft": cli_papers.cmd_draft,
    "kill-switch": cli_kill_switch.cmd_kill_switch,
    "alerts": cli_alerts.cmd_alerts,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        settings = load_settings(os.environ)
    except SettingsError as error:
        shown = f"✗ settings: {error}" if args.command == "doctor" else str(error)
        print(shown, file=sys.stdout if args.command == "doctor" else sys.stderr)
        return 1
    try:
        return COMMANDS[args.command](settings, args)
    except Exception as error:  # a mistake in the set-up is one line, never a traceback
        said = cli_setup.mistake(error, settings)
        if said is None:
            raise
        print(said, file=sys.stderr)
        return 1
