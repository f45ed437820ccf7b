"""The alert store over SQLite and PostgreSQL alike: a repeat within the window folds into
its row, a later one starts a new row, and only the first decision on an alert counts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.alerts import Alert
from bot.incident import Room
from bot.timeline import Actor
from storage.alerts import SqlAlerts
from storage.engine import make_engine
from tests.conftest import SEED_T0

WINDOW = timedelta(hours=4)
FIRING = Alert("alertmanager", "drafting-assistant", "Eval pass rate down", group="g1", count=1)
SAM, LEE = Actor("t:sam", "Sam Okafor", "sam"), Actor("t:lee", "Lee Chen", "lee")


@pytest.fixture(params=["sqlite", "postgres"])
def alerts(request: pytest.FixtureRequest) -> Iterator[SqlAlerts]:
    engine = make_engine(request.getfixturevalue(f"{request.param}_url"))
    yield SqlAlerts(engine)
    engine.dispose()  # before the schema is dropped


async def test_a_repeat_within_the_window_updates_the_one_row(alerts: SqlAlerts) -> None:
    first = await alerts.receive(FIRING, SEED_T0, WINDOW)
    await alerts.placed(first.id, Room("slack", "C0TRIAGE"), "1774.0001")
    resolved = Alert("alertmanager", "drafting-assistant", "Eval pass rate down", "", "", None,
                     "resolved", "g1", 2)  # fmt: skip
    again = await alerts.receive(resolved, SEED_T0 + timedelta(hours=1), WINDOW)
    assert again.id == first.id and again.deliveries == 2 and again.message_id == "1774.0001"
    assert (again.alert.status, again.alert.count) == ("resolved", 2)
    later = await alerts.receive(FIRING, SEED_T0 + timedelta(hours=6), WINDOW)
    assert later.id != first.id and later.deliveries == 1


async def test_only_the_first_decision_on_an_alert_counts(alerts: SqlAlerts) -> None:
    record = await alerts.receive(FIRING, SEED_T0, WINDOW)
    at = SEED_T0 + timedelta(minutes=5)
    dismissed = await alerts.settle(record.id, "dismissed", SAM, "Known flake", "", at)
    assert dismissed is not None and dismissed.settled_by == "Sam Okafor"
    assert await alerts.settle(record.id, "declared", LEE, "", "AI-2026-0001", at) is None
    [listed] = await alerts.listed(("dismissed", "declared"))
    assert (listed.state, listed.reason, listed.settled_at) == ("dismissed", "Known flake", at)
