"""Long incidents: the work of one click against an incident's length.

Two incidents are stored in one SQLite file, one with 20 events and one with 10,000 (half
notes, half evidence items, as an incident that keeps every room message gets); the same
click (a note, through `service.note`: load → decide → save → tell the room) is timed on
each. Reports the median CPU time of each and their ratio; target: ≤ 2×. Also the pure fold
(`replay`) of 1,000 and 10,000 events, whose ratio is 10 when folding is linear.

    python -m bench long_incident [--quick]     # quick: 2,000 events instead of 10,000
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ai_incident.main import SystemClock
from bench.reminders import RecordingChat, new_store
from bot import service
from bot.incident import replay
from bot.runbook_parse import load_runbook
from bot.schedule import desired_reminders
from bot.timeline import Actor, Event, chain

ROOT = Path(__file__).resolve().parents[1]
ALEX = Actor("U01", "Alex Doe", "alex")
T0 = datetime.now(UTC) - timedelta(days=2)


def long_timeline(key: str, length: int) -> list[Event]:
    declared = {
        "title": "bench",
        "system": "drafting-assistant",
        "failure_type": "other",
        "noticed": "",
        "aware_at": T0.isoformat(),
    }
    events = [chain(None, key, T0, ALEX, "declared", declared)]
    room = {"platform": "bench", "id": key}
    events.append(chain(events[-1], key, T0, ALEX, "room_opened", room))
    for n in range(length - len(events)):
        at = T0 + timedelta(seconds=n)
        if n % 2:
            kept = {"item": None, "text": f"message {n}", "sha256": "0" * 64, "size": 10}
            events.append(
                chain(events[-1], key, at, ALEX, "evidence_added", kept | {"source": "chat"})
            )
        else:
            events.append(chain(events[-1], key, at, ALEX, "note", {"text": f"note {n}"}))
    return events


def fold_ms(events: list[Event], repeats: int) -> float:
    began = time.process_time()
    for _ in range(repeats):
        replay("AI-2026-0003", events)
    return (time.process_time() - began) / repeats * 1000


async def click_ms(deps: service.Deps, key: str, repeats: int) -> float:
    """The click's work: CPU time of this process (its worker threads included), which a
    machine busy with other work disturbs far less than wall time."""
    times = []
    for n in range(repeats):
        began = time.process_time()
        await service.note(deps, key, ALEX, f"click {n}")
        times.append(time.process_time() - began)
    return statistics.median(times) * 1000


async def run(quick: bool = False) -> None:
    length = 2_000 if quick else 10_000
    runbook = load_runbook(ROOT / "runbook.yaml")
    with tempfile.TemporaryDirectory() as folder:
        store = new_store(folder, "long")
        for key, size in (("AI-2026-0001", 20), ("AI-2026-0002", length)):
            incident = replay(key, long_timeline(key, size))
            await store.save(incident, incident.events, desired_reminders(incident, runbook))
        deps = service.Deps(runbook, store, RecordingChat({}), SystemClock())
        await click_ms(deps, "AI-2026-0002", 3)  # warm both paths
        short = await click_ms(deps, "AI-2026-0001", 30)
        long = await click_ms(deps, "AI-2026-0002", 30)
    print(
        f"click (a note): {short:.2f} ms at 20 events, {long:.2f} ms at {length:,}; "
        f"ratio {long / short:.2f} (target ≤ 2)"
    )
    small, large = long_timeline("AI-2026-0003", 1_000), long_timeline("AI-2026-0003", length)
    a, b = fold_ms(small, 5), fold_ms(large, 2)
    print(
        f"fold: {a:.1f} ms at 1,000 events, {b:.1f} ms at {length:,}; ratio {b / a:.1f} "
        f"(linear: {length / 1000:.0f})"
    )
