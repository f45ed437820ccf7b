"""Reminder precision and tick cost.

1. Lateness: 1,000 incidents with 10 pending reminders each (10,000 rows); two reminders per
   incident (the +24h of two 72h clocks) fall due within a few seconds of each other; the
   real ticker (APScheduler over the SQLite store) sends them. Reports p50/p99 of
   (posted at − due at); target p99 ≤ 1 s.
2. Tick cost: one claim of due rows with 1,000 and with 100,000 pending rows, nothing else
   due; the ratio should stay near 1 (the due query is indexed).
"""

from __future__ import annotations

import asyncio
import logging
import random
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ai_incident.main import SystemClock
from bot.incident import Incident, Room, replay
from bot.notices import Notice
from bot.runbook import Runbook
from bot.runbook_parse import load_runbook
from bot.schedule import ReminderSpec, desired_reminders
from bot.service import Deps
from bot.timeline import BOT, chain
from handlers.reminders import Ticker
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class RecordingChat:
    due: dict[str, datetime]
    lateness: list[float] = field(default_factory=list)

    async def open_room(self, incident: Incident) -> Room:
        return Room("bench", incident.key)

    async def post(self, room: Room, notice: Notice) -> str:
        due = self.due.get(room.id)
        if due is not None and notice.kind == "reminder" and "Reminder:" in notice.text:
            self.lateness.append((datetime.now(UTC) - due).total_seconds())
        return "m"

    async def update(self, room: Room, message_id: str, notice: Notice) -> None:
        return None


def incident_with_clocks(key: str, aware_at: datetime) -> Incident:
    data = {
        "title": "bench",
        "system": "drafting-assistant",
        "failure_type": "other",
        "noticed": "",
        "aware_at": aware_at.isoformat(),
    }
    events = [chain(None, key, aware_at, BOT, "declared", data)]
    events.append(
        chain(events[-1], key, aware_at, BOT, "room_opened", {"platform": "bench", "id": key})
    )
    for clock in ("ico_art33", "icaew"):  # 72h clocks: 4 reminders and an overdue each
        events.append(
            chain(
                events[-1],
                key,
                aware_at,
                BOT,
                "obligation_opened",
                {"clock": clock, "because": "Q3"},
            )
        )
    return replay(key, events)


def new_store(folder: str, name: str) -> SqlStore:
    url = f"sqlite:///{folder}/{name}.db"
    upgrade(url)
    return SqlStore(make_engine(url))


async def seed(
    store: SqlStore, runbook: Runbook, count: int, start: datetime, window_s: float
) -> dict[str, datetime]:
    due: dict[str, datetime] = {}
    for i in range(count):
        key = f"AI-2026-{i + 1:04d}"
        first_due = start + timedelta(seconds=random.uniform(2, 2 + window_s))
        incident = incident_with_clocks(key, first_due - timedelta(hours=24))
        due[key] = first_due
        await store.save(incident, incident.events, desired_reminders(incident, runbook))
    return due


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def seconds_to_seed(runbook: Runbook, folder: str, count: int) -> float:
    """Time a small sample, so the real seeding can put due times just past its end."""
    sample = new_store(folder, "sample")
    began = time.perf_counter()
    await seed(sample, runbook, 20, datetime.now(UTC) + timedelta(days=1), 1)
    return (time.perf_counter() - began) / 20 * count


async def lateness(runbook: Runbook, folder: str, count: int) -> None:
    margin = await seconds_to_seed(runbook, folder, count) * 1.5 + 3
    store = new_store(folder, "lateness")
    due = await seed(store, runbook, count, datetime.now(UTC) + timedelta(seconds=margin), 5)
    sample = [len(await store.reminders(k)) for k in list(due)[:10]]
    pending = sum(sample) * count // len(sample)
    chat = RecordingChat(due)
    ticker = Ticker(Deps(runbook, store, chat, SystemClock()), every_seconds=1.0)
    ticker.start()
    await ticker.plan_next()
    deadline = time.monotonic() + margin + 60
    while len(chat.lateness) < 2 * count and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    await ticker.stop()
    late = chat.lateness
    print(
        f"lateness: {len(late)}/{2 * count} due reminders sent, ~{pending} pending rows; "
        f"p50 {statistics.median(late):.3f}s p99 {percentile(late, 0.99):.3f}s "
        f"(target p99 ≤ 1 s)"
    )


async def claim_cost(store: SqlStore, repeats: int) -> float:
    now = datetime.now(UTC)
    began = time.perf_counter()
    for _ in range(repeats):
        await store.claim_due(now, timedelta(minutes=2), 100)
    return (time.perf_counter() - began) / repeats


async def bulk_pending(store: SqlStore, runbook: Runbook, incidents: int, per: int) -> None:
    future = datetime.now(UTC) + timedelta(days=30)
    for i in range(incidents):
        key = f"AI-2027-{i + 1:04d}"
        incident = incident_with_clocks(key, future)
        specs = [
            ReminderSpec(f"{key}:bench:{j}", key, "nudge", future + timedelta(minutes=j))
            for j in range(per)
        ]
        await store.save(incident, incident.events, specs)


async def tick_cost(runbook: Runbook, folder: str, quick: bool) -> None:
    small, large = new_store(folder, "small"), new_store(folder, "large")
    await bulk_pending(small, runbook, 100, 10)
    await bulk_pending(large, runbook, 1000, 10 if quick else 100)
    base = await claim_cost(small, 50)
    big = await claim_cost(large, 50)
    rows = 10_000 if quick else 100_000
    print(
        f"tick cost: {base * 1000:.2f} ms at 1,000 pending, {big * 1000:.2f} ms at "
        f"{rows:,} pending; ratio {big / base:.2f} (target ≈ 1)"
    )


async def run(quick: bool = False) -> None:
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: still running" noise
    runbook = load_runbook(ROOT / "runbook.yaml")
    with tempfile.TemporaryDirectory() as folder:
        await lateness(runbook, folder, 200 if quick else 1000)
        await tick_cost(runbook, folder, quick)
