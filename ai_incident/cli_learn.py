"""`ai-incident eval-cases` and `ai-incident eval-run`: closed incidents' regression cases,
and running them against a command.

    ai-incident eval-run evals/AI-2026-0001.jsonl --command 'python my_system.py'
"""

from __future__ import annotations

import argparse
import shlex
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ai_incident import cli_store
from bot.settings import Settings

# The regression cases' rules load with the command, not with every command's parser.
if TYPE_CHECKING:
    from bot.incident import Incident
    from bot.papers import learn


def cmd_eval_cases(settings: Settings, args: argparse.Namespace) -> int:
    """Writes the cases, then says on stderr how many, or why there are none (exit 1 when
    incidents were closed without a regression input and no case could be written)."""
    from bot.papers import learn

    incidents = cli_store.incidents(settings)
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
