"""`ai-incident` — serve the bot and work with its records from a terminal.

ai-incident check-runbook runbook.yaml
ai-incident export AI-2026-0001 --format json
ai-incident verify AI-2026-0001
ai-incident evidence-pack AI-2026-0001 --out AI-2026-0001-evidence.zip
ai-incident eval-run evals/AI-2026-0001.jsonl --command 'python my_system.py'
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ai_incident import cli_alerts, cli_kill_switch
from bot.runbook import Runbook, RunbookError
from bot.settings import Settings, SettingsError, load_settings

# The papers (reports, drafts, pictures, packs) are imported by the commands that make
# them, so a command that only lists or verifies starts quickly.
if TYPE_CHECKING:
    from bot.incident import Incident
    from bot.papers import learn


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


def _runbook(settings: Settings) -> Runbook:
    from bot.runbook_parse import load_runbook  # YAML is read only by commands that need it

    return load_runbook(settings.runbook_path)


def _store(settings: Settings):  # type: ignore[no-untyped-def]
    from ai_incident.main import open_store

    return open_store(settings)


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
    from bot.papers.export import export_json
    from bot.papers.moments import as_of
    from bot.papers.picture import timeline_png
    from bot.papers.report import report_html, report_markdown

    store, incident = _load(settings, args.key)
    runbook, now = _runbook(settings), datetime.now(UTC)
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

    store, incident = _load(settings, args.key)
    reminders = asyncio.run(store.reminders(incident.key))
    kept = _kept_files(settings, incident)
    data = evidence_pack(incident, reminders, _runbook(settings), as_of(incident, _now()), kept)
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


def _now() -> datetime:
    return datetime.now(UTC)


def _incidents(settings: Settings) -> list[Incident]:
    store = _store(settings)

    async def load_all() -> list[Incident]:
        rows = await store.list_incidents(include_closed=True)
        found = [await store.load(row.key) for row in rows]
        return [i for i in found if i is not None and i.events]

    return asyncio.run(load_all())


def cmd_register(settings: Settings, args: argparse.Namespace) -> int:
    from bot.papers import register

    runbook = _runbook(settings)
    entries = register.breach_register(_incidents(settings), runbook, _now())
    if args.format == "csv":
        print(register.register_csv(entries), end="")
    else:
        write = register.register_html if args.format == "html" else register.register_markdown
        print(write(entries, runbook), end="")
    return 0


def cmd_eval_cases(settings: Settings, args: argparse.Namespace) -> int:
    """Writes the cases, then says on stderr how many, or why there are none (exit 1 when
    incidents were closed without a regression input and no case could be written)."""
    from bot.papers import learn

    incidents = _incidents(settings)
    if args.dir:
        for incident in incidents:
            _write_cases(args.dir, incident)
    cases = learn.all_cases(incidents)
    text = learn.cases_jsonl(cases)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    elif not args.dir:
        print(text, end="")
    said, code = learn.cases_said(incidents, cases)
    print(said, file=sys.stderr)
    return code


def _write_cases(folder: Path, incident: Incident) -> None:
    """Write <KEY>.jsonl for a closed incident with a case; rewriting is harmless."""
    from bot.papers import learn

    cases = learn.regression_cases(incident)
    if cases:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{incident.key}.jsonl").write_text(learn.cases_jsonl(cases), encoding="utf-8")
        print(f"{folder / incident.key}.jsonl: {len(cases)} case(s)")


def cmd_eval_run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.papers import learn

    try:
        cases = learn.parse_cases(args.cases.read_text(encoding="utf-8"))
    except (OSError, learn.CaseError) as error:
        print(f"{args.cases}: {error}", file=sys.stderr)
        return 2
    verdicts = [_run_case(case, shlex.split(args.program)) for case in cases]
    for verdict in verdicts:
        print(verdict.line())
    print(learn.summary(verdicts))
    return 0 if all(v.passed for v in verdicts) else 1


def _run_case(case: dict[str, object], command: list[str]) -> learn.Verdict:
    """Pipe the case's input to the command (no shell) and judge what it prints."""
    from bot.papers import learn

    try:
        done = subprocess.run(
            command, input=str(case["input"]), capture_output=True, text=True, timeout=30
        )
    except subprocess.TimeoutExpired:
        return learn.judge(case, "", "timed out after 30 s")
    except OSError as error:
        return learn.judge(case, "", f"could not run the command: {error}")
    failed = f"the command exited {done.returncode}" if done.returncode else ""
    return learn.judge(case, done.stdout, failed)


def cmd_draft(settings: Settings, args: argparse.Namespace) -> int:
    from bot.papers import drafts
    from bot.papers.moments import as_of

    _, incident = _load(settings, args.key)
    write = drafts.draft_html if args.format == "html" else drafts.draft
    print(write(args.kind, incident, _runbook(settings), as_of(incident, _now())), end="")
    return 0


def cmd_verify(settings: Settings, args: argparse.Namespace) -> int:
    from bot.anchor import head_of, problem

    store, incident = _load(settings, args.key)
    rows = asyncio.run(store.list_incidents(include_closed=True))
    row = next(r for r in rows if r.key == incident.key)
    events = incident.events
    found = problem(incident.key, events, row.version, row.head_hash, args.expect_head)
    if found is None:
        print(f"{incident.key}: {len(events)} events, hash chain intact, head {head_of(events)}")
        return 0
    print(f"{incident.key}: {found}", file=sys.stderr)
    return 1


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from ai_incident.main import migrate

    migrate(settings, new_history=args.new)
    print("database is up to date")
    return 0


def cmd_doctor(settings: Settings, args: argparse.Namespace) -> int:
    """Every check is a ✓, ! or ✗ line, whatever is wrong; nothing stops the others."""
    from ai_incident.main import database_check
    from bot.doctor import PROBLEM, Finding, findings
    from bot.doctor_connectors import connector_findings

    try:
        runbook = _runbook(settings)
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
    from ai_incident.main import first_line

    return mistake(error, settings) or f"{settings.runbook_path}: {first_line(error)}"


def cmd_teams_package(settings: Settings, args: argparse.Namespace) -> int:
    from ai_incident.main import teams_package

    dedicated = _runbook(settings).rooms.teams_dedicated_channels
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


COMMANDS = {
    "serve": cmd_serve,
    "check-runbook": cmd_check_runbook,
    "runbook": cmd_runbook,
    "list": cmd_list,
    "export": cmd_export,
    "verify": cmd_verify,
    "migrate": cmd_migrate,
    "teams-package": cmd_teams_package,
    "doctor": cmd_doctor,
    "evidence-pack": cmd_evidence_pack,
    "register": cmd_register,
    "eval-cases": cmd_eval_cases,
    "eval-run": cmd_eval_run,
    "draft": cmd_draft,
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
        said = mistake(error, settings)
        if said is None:
            raise
        print(said, file=sys.stderr)
        return 1


def mistake(error: Exception, settings: Settings) -> str | None:
    """One line for a set-up mistake (a setting, the runbook, the database), else None."""
    from ai_incident.main import database_trouble

    if isinstance(error, RunbookError):
        more = f" (and {len(error.errors) - 1} more)" if len(error.errors) > 1 else ""
        first = error.errors[0] if error.errors else str(error)
        return f"RUNBOOK_PATH: {first}{more}; `ai-incident check-runbook` lists every problem."
    if isinstance(error, FileNotFoundError) and error.filename == str(settings.runbook_path):
        return f"RUNBOOK_PATH: there is no runbook at {settings.runbook_path}."
    if isinstance(error, SettingsError):
        return str(error)
    return database_trouble(error, settings)
