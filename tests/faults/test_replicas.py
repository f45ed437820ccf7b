"""Four replicas over one PostgreSQL database: every due reminder goes out exactly once.

Four `ai-incident serve` processes (separate processes, each with its own engine and pool)
run their reminder tickers against one fresh schema, posting to one fake Slack Web API in
this process. 1,000 incidents, each with its own channel and exactly one reminder due (the
ICO clock's +24 h), are stored while the four are already sweeping. The fake counts the
reminder messages per channel; the database says which rows were sent and how often each
was announced on the timeline; the servers' logs say who sent how many.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from bot.incident import Incident, replay
from bot.runbook import Runbook
from bot.schedule import desired_reminders
from bot.timeline import BOT, chain
from storage.engine import make_engine
from storage.sql import SqlStore
from storage.sql import _save as save_in
from tests.fakes.slack_api import FakeSlack, Message
from tests.faults.servers import ServerProcess, until

TOKEN = "xoxb-replicas"
SECRET = "replica-signing-secret"
REPLICAS = 4
INCIDENTS = 1_000
SENT = re.compile(r"sent (\d+) reminder\(s\)")


def incident_in(key: str, channel: str, aware_at: datetime) -> Incident:
    """Declared, its room a Slack channel, the ICO clock running from `aware_at`."""
    declared = {
        "title": f"Replica {key}",
        "system": "drafting-assistant",
        "failure_type": "other",
        "noticed": "",
        "aware_at": aware_at.isoformat(),
    }
    room = {"platform": "slack", "id": channel, "name": f"aiinc-{key.lower()}"}
    events = [chain(None, key, aware_at, BOT, "declared", declared)]
    events.append(chain(events[-1], key, aware_at, BOT, "room_opened", room))
    clock = {"clock": "ico_art33", "because": "Q3"}
    events.append(chain(events[-1], key, aware_at, BOT, "obligation_opened", clock))
    return replay(key, events)


def store_incidents(engine: Engine, runbook: Runbook, channels: list[str]) -> list[str]:
    """One incident per channel, each with exactly one reminder due now; their keys.

    All in one transaction (the store's own save, row for row), so that the replicas,
    already sweeping, find all 1,000 due at the same moment."""
    aware = datetime.now(UTC) - timedelta(days=1, minutes=10)  # +24 h due, +48 h not yet
    keys = [f"AI-2026-{n + 1:04d}" for n in range(len(channels))]
    with engine.begin() as conn:
        for key, channel in zip(keys, channels, strict=True):
            incident = incident_in(key, channel, aware)
            specs = desired_reminders(incident, runbook)
            assert sum(s.due_at <= datetime.now(UTC) for s in specs) == 1
            save_in(conn, incident, incident.events, specs)
    return keys


def reminders_posted(slack: FakeSlack) -> list[Message]:
    return [m for ms in slack.messages.values() for m in ms if m.text.startswith("Reminder:")]


def sent_per_replica(servers: list[ServerProcess]) -> list[int]:
    return [sum(int(n) for n in SENT.findall(s.log.read_text())) for s in servers]


async def test_four_replicas_send_each_of_1000_due_reminders_exactly_once(
    postgres_url: str, runbook: Runbook, tmp_path: Path
) -> None:
    async with FakeSlack(TOKEN) as slack:
        for p in runbook.people:
            slack.add_user(p.slack or f"U0{p.id.upper()}", p.email or "", p.name)
        channels = [
            slack.add_channel(f"aiinc-replica-{n}", members=[slack.bot_user_id])
            for n in range(INCIDENTS)
        ]
        env = {
            "DATABASE_URL": postgres_url,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_API_URL": slack.url,
        }
        servers = [ServerProcess(env, tmp_path / f"replica-{n}.log") for n in range(REPLICAS)]
        engine = make_engine(postgres_url)
        try:
            await asyncio.gather(*(s.ready() for s in servers))
            store = SqlStore(engine)
            keys = store_incidents(engine, runbook, channels)
            started = datetime.now(UTC)

            async def all_finished() -> bool:
                rows = await store.reminders(keys[-1])
                return len(reminders_posted(slack)) >= INCIDENTS and rows[0].status == "sent"

            await until(all_finished, f"{INCIDENTS} reminders", limit_s=300, every_s=0.2)
            # Two more sweeps by every replica: a late duplicate would show up now.
            marks = [await s.sweeps() for s in servers]

            async def swept_twice_more() -> bool:
                now = [await s.sweeps() for s in servers]
                return all(n >= m + 2 for n, m in zip(now, marks, strict=True))

            await until(swept_twice_more, "two more sweeps on each replica")
            due = [r for k in keys for r in await store.reminders(k) if r.due_at <= started]
            announced = [
                e.data["key"]
                for k in keys
                for e in (await store.load(k) or incident_in(k, "", datetime.now(UTC))).events
                if e.type == "reminded"
            ]
        finally:
            for server in servers:
                server.kill()
            engine.dispose()

    posted = Counter(m.channel for m in reminders_posted(slack))
    assert len(posted) == INCIDENTS, "every incident's channel got its reminder"
    assert set(posted.values()) == {1}, "no channel got a reminder twice"
    assert set(posted) == set(channels)
    assert Counter(r.status for r in due) == {"sent": INCIDENTS}
    assert all(r.message_id and r.attempts == 1 for r in due)
    assert len(announced) == len(set(announced)) == INCIDENTS
    per_replica = sent_per_replica(servers)
    assert sum(per_replica) == INCIDENTS, per_replica
    assert sum(n > 0 for n in per_replica) >= 2, f"the replicas shared the work: {per_replica}"
