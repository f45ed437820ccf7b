"""The board against the number of incidents: `/board` (its first page) with 100 stored
and with 10,000, over one SQLite file each, through the real aiohttp handler. Reports the
median time of each, their ratio (target ≤ 2×), the page's size, and the process's RSS
idle and after the requests (target: within 10 MB of idle).

    python -m bench board [--quick]      # quick: 1,000 incidents instead of 10,000
"""

from __future__ import annotations

import gc
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from ai_incident.main import SystemClock
from bench.reminders import RecordingChat, new_store
from bot.incident import replay
from bot.runbook import Runbook
from bot.runbook_parse import load_runbook
from bot.schedule import desired_reminders
from bot.service import Deps
from bot.timeline import BOT, chain
from handlers.web.board import add_board
from storage.sql import SqlStore

ROOT = Path(__file__).resolve().parents[1]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def seed(store: SqlStore, runbook: Runbook, count: int) -> None:
    start = datetime.now(UTC) - timedelta(hours=30)
    for n in range(count):
        key, at = f"AI-2026-{n + 1:05d}", start + timedelta(seconds=n)
        data = {"title": f"incident {n}", "system": "drafting-assistant", "failure_type": "other"}
        events = [chain(None, key, at, BOT, "declared", data | {"aware_at": at.isoformat()})]
        for clock in ("ico_art33", "pi_insurer"):
            opened = {"clock": clock, "because": "Q3"}
            events.append(chain(events[-1], key, at, BOT, "obligation_opened", opened))
        if n % 3 == 0:
            events.append(chain(events[-1], key, at, BOT, "closed", {"summary": "done"}))
        incident = replay(key, events)
        await store.save(incident, events, desired_reminders(incident, runbook))


async def board_ms(deps: Deps, repeats: int) -> tuple[float, int]:
    app = web.Application()
    add_board(app, deps, token="", open_to_loopback=True)
    client = TestClient(TestServer(app))
    await client.start_server()
    times, size = [], 0
    try:
        for _ in range(repeats):
            began = time.perf_counter()
            response = await client.get("/board")
            size = len(await response.read())
            times.append(time.perf_counter() - began)
    finally:
        await client.close()
    return statistics.median(times) * 1000, size


async def run(quick: bool = False) -> None:
    many = 1_000 if quick else 10_000
    runbook = load_runbook(ROOT / "runbook.yaml")
    with tempfile.TemporaryDirectory() as folder:
        stores = {count: new_store(folder, f"board{count}") for count in (100, many)}
        for count, store in stores.items():
            await seed(store, runbook, count)
        figures = {}
        gc.collect()
        idle = rss_mb()
        for count, store in stores.items():
            deps = Deps(runbook, store, RecordingChat({}), SystemClock())
            await board_ms(deps, 2)  # warm up
            figures[count] = await board_ms(deps, 10)
        gc.collect()
        after = rss_mb()
    (few, few_size), (lots, lots_size) = figures[100], figures[many]
    print(
        f"/board: {few:.1f} ms with 100 incidents ({few_size // 1024} KB), {lots:.1f} ms with "
        f"{many:,} ({lots_size // 1024} KB); ratio {lots / few:.2f} (target ≤ 2)"
    )
    print(f"RSS: {idle:.0f} MB idle, {after:.0f} MB after; +{after - idle:.1f} MB (target ≤ 10)")
