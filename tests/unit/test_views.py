from __future__ import annotations

from datetime import timedelta

from bot.durations import span, time_left
from bot.incident import Incident
from bot.notices import Notice
from bot.runbook import Runbook
from bot.views import view
from tests.conftest import SEED_T0


def test_a_reminder_sent_late_says_how_late_in_plain_words(runbook: Runbook) -> None:
    late = Notice(Incident("AI-2026-0001"), "reminder", text="Reminder: x", late_by_s=3720)
    assert view(late, runbook, SEED_T0).title == "Reminder: x (sent 1h 2m late)"


def test_a_reminder_on_time_carries_no_lateness_note(runbook: Runbook) -> None:
    on_time = Notice(Incident("AI-2026-0001"), "reminder", text="Reminder: x", late_by_s=12)
    assert view(on_time, runbook, SEED_T0).title == "Reminder: x"


def test_time_left_reads_as_left_or_overdue() -> None:
    assert time_left(SEED_T0 + timedelta(hours=50), SEED_T0) == "2d 2h left"
    assert time_left(SEED_T0, SEED_T0 + timedelta(minutes=90)) == "overdue by 1h 30m"
    assert span(timedelta(days=3, minutes=5)) == "3d 0h"


def test_within_a_minute_of_a_deadline_it_is_due_now() -> None:
    assert time_left(SEED_T0, SEED_T0 - timedelta(seconds=30)) == "due now"
    assert time_left(SEED_T0, SEED_T0 + timedelta(seconds=59)) == "due now"
    assert time_left(SEED_T0, SEED_T0 + timedelta(minutes=1)) == "overdue by 0h 1m"
