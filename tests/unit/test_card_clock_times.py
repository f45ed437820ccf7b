"""When a card's "time left" next reads differently: never later than its words change,
so the ticker looks again in time, and not much sooner, so it looks seldom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.card_clock import reads_differently_in
from bot.durations import time_left

NOW = datetime(2026, 3, 26, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "left_s", [0, 1, 30, 59, 60, 61, 90, 3599, 3600, 3630, 86399, 86400, 90000, 90030, -1, -30,
               -59, -60, -61, -3600, -86400, -86401, -90030, 200000.5]
)  # fmt: skip
def test_time_left_reads_the_same_until_the_moment_foretold(left_s: float) -> None:
    due = NOW + timedelta(seconds=left_s)
    wait = reads_differently_in(due, NOW)
    said = time_left(due, NOW)
    step = timedelta(seconds=1)
    at = NOW + step
    while at < NOW + wait:  # never later than the words change
        assert time_left(due, at) == said, (left_s, at - NOW)
        at += step
    changes = [NOW + wait + n * step for n in range(2)]
    overdue_at = NOW + wait == due
    assert overdue_at or any(time_left(due, t) != said for t in changes), left_s
