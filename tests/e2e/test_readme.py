"""The README is true: every `./ai-incident` line in it, typed as written in a fresh copy of
the checkout (its tracked files, with the project's .venv), succeeds without a traceback.

The copy holds one closed incident, AI-2026-0001 (the seed case), in the default database.
`serve` is left out: it runs until stopped (tests/browser and tests/faults serve)."""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

from bot.runbook import Runbook
from bot.service import Deps
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import ROOT, SEED_T0
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.unit.closed_seed import closed_seed

FENCE = re.compile(r"^```[a-z]*\n(.*?)^```", re.M | re.S)
PLATFORM_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAMS_APP_ID")
PLACEHOLDERS = {"YOUR-APP-ID": "00000000-0000-0000-0000-000000000000"}


def readme_commands() -> list[str]:
    found = []
    for block in FENCE.findall((ROOT / "README.md").read_text(encoding="utf-8")):
        for line in block.splitlines():
            typed = line.strip()
            if typed.startswith("./ai-incident ") and not typed.startswith("./ai-incident serve"):
                found.append(typed)
    return found


def fresh_checkout(into: Path) -> Path:
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        if (ROOT / name).is_file():
            (into / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, into / name)
    (into / ".venv").symlink_to(ROOT / ".venv")
    return into


def seed(checkout: Path, runbook: Runbook) -> None:
    (checkout / "var").mkdir()
    url = f"sqlite:///{checkout / 'var' / 'ai-incident.db'}"
    upgrade(url)
    clock = FakeClock(SEED_T0 + timedelta(minutes=10))
    deps = Deps(runbook, SqlStore(make_engine(url)), FakeChat(runbook), clock)
    asyncio.run(closed_seed(deps, clock))


def test_every_command_line_in_the_readme_runs_as_typed(tmp_path: Path, runbook: Runbook) -> None:
    commands = readme_commands()
    assert len(commands) >= 14 and not any("KEY" in c for c in commands)
    checkout = fresh_checkout(tmp_path / "ai-incident")
    seed(checkout, runbook)
    env = {k: v for k, v in os.environ.items() if k not in PLATFORM_VARS}
    env = {k: v for k, v in env.items() if k not in ("DATABASE_URL", "RUNBOOK_PATH")}
    failed = []
    for typed in commands:
        for placeholder, value in PLACEHOLDERS.items():
            typed = typed.replace(placeholder, value)
        done = subprocess.run(
            typed, shell=True, cwd=checkout, env=env, capture_output=True, text=True, timeout=120
        )
        if done.returncode or "Traceback" in done.stdout + done.stderr:
            failed.append(f"{typed}: exit {done.returncode}\n{done.stderr[-500:]}")
    assert not failed, "\n".join(failed)
    assert (checkout / "AI-2026-0001-evidence.zip").is_file()
    assert (checkout / "evals" / "AI-2026-0001.jsonl").is_file()
