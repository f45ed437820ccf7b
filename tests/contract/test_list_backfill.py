"""Upgrading a database that already holds incidents fills in their next deadline."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage.engine import make_engine
from storage.migrate import alembic_config, upgrade

INCIDENT = """
INSERT INTO incidents (key, title, system, failure_type, phase, room_platform, room_id, version)
VALUES ('AI-2026-0001', 't', 's', 'other', 'classification', '', '', 3)
"""
REMINDER = """
INSERT INTO reminders (dedupe_key, incident_key, kind, due_at, ready_at, data, status,
                       attempts, message_id, late_by_s, last_error)
VALUES (:key, 'AI-2026-0001', 'overdue', :due, :due, '{}', :status, 0, '', 0, '')
"""


def test_an_upgrade_lists_each_incident_with_its_earliest_pending_deadline(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    before = ScriptDirectory.from_config(config).get_revision("0004").down_revision
    command.upgrade(config, str(before))
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text(INCIDENT))
        for clock, due, status in (
            ("ico_art33", "2026-03-05 09:00:00", "scheduled"),
            ("pi_insurer", "2026-03-04 09:00:00", "scheduled"),
            ("cyber_insurer", "2026-03-03 09:00:00", "cancelled"),  # that clock was settled
        ):
            key = f"AI-2026-0001:overdue:{clock}"
            conn.execute(text(REMINDER), {"key": key, "due": due, "status": status})
    upgrade(url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT next_due_at, next_clock FROM incidents")).one()
    engine.dispose()
    assert tuple(row) == ("2026-03-04 09:00:00", "pi_insurer")
