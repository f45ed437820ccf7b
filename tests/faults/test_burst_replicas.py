"""A burst of due reminders shared by two replicas over one PostgreSQL database: two
tickers, each with its own engine and chat, sweep at the same moment; every due reminder is
posted exactly once, on the record once, its row sent once, and both replicas take a share."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from bot.incident import Incident, replay
from bot.runbook import Runbook
from bot.schedule import desired_reminders
from bot.service import Deps
from bot.tick import tick
from bot.timeline import BOT, chain
from storage.engine import make_engine
from storage.sql import SqlStore
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock

AWARE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
INCIDENTS = 120


def incident_with_two_clocks(key: str) -> Incident:
    """Declared, in a room, two 72-hour clocks running from `AWARE`."""
    declared = {
        "title": f"Burst {key}",
        "system": "drafting-assistant",
        "failure_type": "other",
        "noticed": "",
        "aware_at": AWARE.isoformat(),
    }
    events = [chain(None, key, AWARE, BOT, "declared", declared)]
    room = {"platform": "fake", "id": f"R-{key}", "name": key.lower()}
    events.append(chain(events[-1], key, AWARE, BOT, "room_opened", room))
    for clock in ("ico_art33", "icaew"):
        opened = {"clock": clock, "because": "Q3"}
        events.append(chain(events[-1], key, AWARE, BOT, "obligation_opened", opened))
    return replay(key, events)


async def test_two_replicas_share_a_burst_and_send_each_reminder_once(
    postgres_url: str, runbook: Runbook
) -> None:
    engines = [make_engine(postgres_url) for _ in range(3)]
    try:
        await share_a_burst(runbook, *engines)
    finally:
        for engine in engines:
            engine.dispose()


async def share_a_burst(runbook: Runbook, seeding_engine: Engine, *replica_engines: Engine) -> None:
    now = AWARE + timedelta(hours=49)  # each clock's +24 h and +48 h reminders are due
    seeding = SqlStore(seeding_engine)
    due: set[str] = set()
    for n in range(INCIDENTS):
        incident = incident_with_two_clocks(f"AI-2026-{n + 1:04d}")
        specs = desired_reminders(incident, runbook)
        due |= {s.dedupe_key for s in specs if s.due_at <= now}
        await seeding.save(incident, incident.events, specs)
    chats = [FakeChat(runbook) for _ in replica_engines]
    replicas = [
        Deps(runbook, SqlStore(engine), chat, FakeClock(now))
        for engine, chat in zip(replica_engines, chats, strict=True)
    ]

    sent = await asyncio.gather(*(tick(deps) for deps in replicas))

    assert len(due) >= 4 * INCIDENTS
    assert sum(sent) == len(due) and all(sent)  # each replica sent some, together all
    posts = Counter((m.room, m.text) for chat in chats for m in chat.messages.values())
    assert sum(posts.values()) == len(due) and max(posts.values()) == 1
    recorded: Counter[str] = Counter()
    for n in range(INCIDENTS):
        key = f"AI-2026-{n + 1:04d}"
        loaded = await seeding.load(key)
        assert loaded is not None
        recorded.update(e.data["key"] for e in loaded.events if e.type == "reminded")
        rows = [r for r in await seeding.reminders(key) if r.dedupe_key in due]
        assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}
    assert set(recorded) == due and max(recorded.values()) == 1
    assert await asyncio.gather(*(tick(deps) for deps in replicas)) == [0, 0]  # nothing left
