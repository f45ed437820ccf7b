"""A burst of due reminders: 1,000 incidents with ~10 pending reminders each, two per
incident (the +24h of two 72h clocks) falling due within a few seconds of each other, so
2,000 are due at once. Sent by the real ticker over SQLite (one process), then over
PostgreSQL by two replicas (two tickers, each with its own engine, sharing the burst by
SKIP LOCKED; both in this process, so they also share its one core). Reports p50/p99 of
(posted at − due at), target p99 ≤ 1 s on PostgreSQL with two replicas, and the CPU time
spent per reminder sent (what a busy machine disturbs least).

    python -m bench burst [--quick]      # quick: 200 incidents (400 reminders)
"""

from __future__ import annotations

import asyncio
import logging
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ai_incident.main import SystemClock
from bench.load import postgres_schema
from bench.reminders import RecordingChat, percentile, seconds_to_seed, seed
from bot.runbook import Runbook
from bot.runbook_parse import load_runbook
from bot.service import Deps
from handlers.reminders import Ticker
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore

ROOT = Path(__file__).resolve().parents[1]


async def send_burst(
    runbook: Runbook, stores: list[SqlStore], count: int, margin: float, name: str
) -> None:
    due = await seed(stores[0], runbook, count, datetime.now(UTC) + timedelta(seconds=margin), 5)
    chat = RecordingChat(due)
    tickers = [Ticker(Deps(runbook, s, chat, SystemClock()), every_seconds=1.0) for s in stores]
    cpu = time.process_time()
    for ticker in tickers:
        ticker.start()
        await ticker.plan_next()
    deadline = time.monotonic() + margin + 90
    while len(chat.lateness) < 2 * count and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    for ticker in tickers:
        await ticker.stop()
    per_reminder = (time.process_time() - cpu) / max(len(chat.lateness), 1) * 1000
    late = chat.lateness
    print(
        f"{name}: {len(late)}/{2 * count} sent; lateness p50 {statistics.median(late):.3f} s, "
        f"p99 {percentile(late, 0.99):.3f} s (target p99 ≤ 1 s); "
        f"{per_reminder:.2f} ms of this process's CPU per reminder"
    )


async def run(quick: bool = False) -> None:
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    logging.getLogger("bot.tick").setLevel(logging.ERROR)
    runbook = load_runbook(ROOT / "runbook.yaml")
    count = 200 if quick else 1000
    with tempfile.TemporaryDirectory() as folder:
        # Seeding must end before the burst is due, or its delay counts as lateness: the
        # estimate is from a small sample, so leave plenty over on a busy machine.
        margin = await seconds_to_seed(runbook, folder, count) * 4 + 10
        url = f"sqlite:///{folder}/burst.db"
        upgrade(url)
        await send_burst(runbook, [SqlStore(make_engine(url))], count, margin, "SQLite, one")
    async with postgres_schema() as pg:
        upgrade(pg)
        replicas = [SqlStore(make_engine(pg)) for _ in range(2)]
        await send_burst(runbook, replicas, count, margin * 4, "PostgreSQL, two replicas")
