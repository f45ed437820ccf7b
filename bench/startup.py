"""What starting costs: a command that only reads the store, and a server's idle memory.

1. `ai-incident list --json` over a migrated SQLite file with 100 incidents, against
   `python -c "import sqlmodel"` on the same interpreter, run alternately; reports the
   median CPU time of each (user + system) and their ratio (target ≤ 1.5×).
2. `ai-incident serve` with only Slack configured (its Web API a fake in this process):
   RSS once it answers /healthz (target ≤ 90 MB); the same with the local web chat.

    python -m bench startup [--quick]      # quick: 5 runs of each instead of 15
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.board import seed
from bench.load import rss_mb
from bench.reminders import new_store
from bench.slack_ack import TOKEN
from bot.runbook_parse import load_runbook
from tests.e2e.slack_driver import SECRET
from tests.fakes.slack_api import FakeSlack
from tests.faults.servers import ServerProcess

ROOT = Path(__file__).resolve().parents[1]
# The `ai-incident` console script, run as the tree's own code (as tests/faults/servers does).
CLI = [sys.executable, "-c", "import sys; from ai_incident.cli import main; sys.exit(main())"]


def cpu_s(command: list[str], env: dict[str, str]) -> float:
    """The command's CPU time (user + system): a busy machine stretches wall time, not this."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


async def list_vs_import(folder: str, runs: int) -> None:
    await seed(new_store(folder, "cli"), load_runbook(ROOT / "runbook.yaml"), 100)
    env = os.environ | {"DATABASE_URL": f"sqlite:///{folder}/cli.db"}
    listing, bare = [], []
    for _ in range(runs):
        listing.append(cpu_s([*CLI, "list", "--json"], env))
        bare.append(cpu_s([sys.executable, "-c", "import sqlmodel"], env))
    a, b = statistics.median(listing), statistics.median(bare)
    print(
        f"ai-incident list --json: {a * 1000:.0f} ms CPU; import sqlmodel: {b * 1000:.0f} ms; "
        f"ratio {a / b:.2f} (target ≤ 1.5)"
    )


async def idle_rss(folder: str, env: dict[str, str], name: str) -> float:
    server = ServerProcess(
        env | {"DATABASE_URL": f"sqlite:///{folder}/{name}.db"}, Path(folder) / f"{name}.log"
    )
    try:
        await server.ready()
        await asyncio.sleep(1.0)  # let the first sweep run
        return rss_mb(server.process.pid)
    finally:
        server.kill()


async def serve_rss(folder: str) -> None:
    async with FakeSlack(TOKEN) as slack:
        env = {"SLACK_BOT_TOKEN": TOKEN, "SLACK_SIGNING_SECRET": SECRET, "SLACK_API_URL": slack.url}
        only_slack = await idle_rss(folder, env, "slack")
    web = await idle_rss(folder, {}, "web")
    print(
        f"serve idle RSS: {only_slack:.0f} MB with only Slack configured (target ≤ 90), "
        f"{web:.0f} MB with the local web chat"
    )


async def run(quick: bool = False) -> None:
    with tempfile.TemporaryDirectory() as folder:
        await list_vs_import(folder, 5 if quick else 15)
        await serve_rss(folder)
