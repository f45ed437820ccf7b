"""The named vocabularies change nothing that is stored: the same JSON, the same rows, the
same hash chain; and every kind has its one entry in the table that handles it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bot.incident import APPLY, Incident, replay
from bot.kinds import EventType, NoticeKind, ReminderKind
from bot.notices import Notice, fields_of, from_fields
from bot.publish import HANDLERS
from bot.runbook import Runbook
from bot.schedule import desired_reminders
from bot.tick import SEND
from bot.timeline import Actor, Event, chain, event_hash, first_broken_link
from bot.views import RENDER
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.models import EVENTS
from storage.sql import SqlStore

# The seed case carried to close, as its rows were written before the vocabularies had names.
STORED = Path(__file__).with_name("stored_timeline.json")
AT = datetime(2026, 3, 26, 15, 30, tzinfo=UTC)
SAM = Actor("test:sam", "Sam Okafor", "sam")


def stored_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(STORED.read_text(encoding="utf-8"))
    return rows


def test_an_events_hash_is_the_same_from_the_name_or_the_string() -> None:
    data = {"title": "Leak", "aware_at": AT.isoformat()}
    named = chain(None, "AI-2026-0001", AT, SAM, EventType.DECLARED, data)
    spelled = chain(None, "AI-2026-0001", AT, SAM, "declared", data)
    assert named.hash == spelled.hash
    assert named.hash == event_hash("AI-2026-0001", 1, AT, SAM, "declared", data, named.prev_hash)


def test_a_named_event_type_is_kept_as_its_plain_string() -> None:
    event = chain(None, "AI-2026-0001", AT, SAM, EventType.NOTE, {"text": "a"})
    assert type(event.type) is str
    assert json.dumps({"type": EventType.NOTE}) == json.dumps({"type": "note"})


async def test_a_stored_incident_from_before_the_names_still_verifies_and_folds(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    engine = make_engine(url)
    rows = stored_rows()
    with engine.begin() as conn:
        conn.execute(insert(EVENTS), rows)
    incident = await SqlStore(engine).load(rows[0]["incident_key"])
    assert incident is not None
    assert first_broken_link(incident.key, incident.events) is None
    assert [e.hash for e in incident.events] == [r["hash"] for r in rows]
    assert incident.closed_at is not None and incident.phase == "closed"
    assert incident.obligations["ico_art33"].overdue_reason
    assert incident.evidence and incident.acks["incident_lead"][0] == "sam"


def test_a_stored_timeline_chained_again_from_the_names_has_the_same_hashes() -> None:
    rows = stored_rows()
    prev: Event | None = None
    for row in rows:
        actor = Actor(row["actor_id"], row["actor_name"], row["actor_person_id"])
        at, data = datetime.fromisoformat(row["at"]), json.loads(row["data"])
        prev = chain(prev, row["incident_key"], at, actor, EventType(row["type"]), data)
        assert prev.hash == row["hash"], f"event {row['seq']} ({row['type']})"


def test_a_named_event_is_written_to_the_database_as_its_string(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    engine = make_engine(url)
    event = chain(None, "AI-2026-0009", AT, SAM, EventType.NOTE, {"text": "a"})
    row = {
        "incident_key": "AI-2026-0009",
        "seq": 1,
        "at": AT.isoformat(),
        "actor_id": SAM.id,
        "actor_name": SAM.name,
        "actor_person_id": SAM.person_id,
        "type": event.type,
        "data": '{"text":"a"}',
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }
    with engine.begin() as conn:
        conn.execute(insert(EVENTS), [row])
        stored = conn.execute(select(EVENTS.c.type)).scalar_one()
    assert stored == "note" and type(stored) is str


def test_every_stored_event_type_has_a_name() -> None:
    assert {row["type"] for row in stored_rows()} <= {t.value for t in EventType}


def test_every_reminder_kind_has_exactly_one_sender() -> None:
    assert set(SEND) == set(ReminderKind)


def test_every_notice_kind_has_a_renderer() -> None:
    assert set(RENDER) == set(NoticeKind)


def test_the_fold_and_the_room_handle_only_named_event_types() -> None:
    assert all(isinstance(t, EventType) for t in APPLY)
    assert all(isinstance(t, EventType) for t in HANDLERS)


def test_an_undelivered_notice_reads_back_as_its_named_kind() -> None:
    incident = Incident(key="AI-2026-0001")
    kept = fields_of(Notice(incident, NoticeKind.REMINDER, text="Reminder", clock="ico_art33"))
    assert kept["kind"] == "reminder"
    back = from_fields(incident, json.loads(json.dumps(kept)), AT)
    assert back.kind is NoticeKind.REMINDER and back.clock == "ico_art33"


def test_the_reminders_an_incident_wants_are_named_kinds(runbook: Runbook) -> None:
    rows = stored_rows()
    events = [
        Event(
            r["seq"],
            datetime.fromisoformat(r["at"]),
            Actor(r["actor_id"], r["actor_name"], r["actor_person_id"]),
            r["type"],
            json.loads(r["data"]),
            r["prev_hash"],
            r["hash"],
        )
        for r in rows
    ]
    before_close = replay(rows[0]["incident_key"], events[:10])
    specs = desired_reminders(before_close, runbook)
    assert specs and all(isinstance(s.kind, ReminderKind) for s in specs)
