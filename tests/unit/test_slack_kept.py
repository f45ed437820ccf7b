"""Kept Slack requests over a real SQLite inbox: work that fails is left for a later sweep
and given up after MAX_ATTEMPTS; a refusal is an answer, so the request is done."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from bot.decisions import Refused
from bot.requests import Request
from handlers.kept import LEASE, MAX_ATTEMPTS, Kept
from handlers.slack.keys import delivery_key, view_key
from handlers.work import Work
from storage.engine import make_engine
from storage.inbox import SqlInbox
from storage.migrate import upgrade
from tests.fakes.clock import FakeClock


class Outage(Exception):
    pass


@pytest.fixture
def kept(tmp_path: Path, clock: FakeClock) -> Kept:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    return Kept(SqlInbox(make_engine(url)), Work(), clock)


def recorder(kept: Kept, fail_with: Exception | None = None) -> list[str]:
    """Registers a 'note' kind that records its text (or fails as told)."""
    done: list[str] = []

    async def note(request: Request | None, payload: Mapping[str, Any]) -> None:
        if fail_with is not None:
            raise fail_with
        done.append(str(payload["text"]))

    kept.on("note", note)
    return done


async def keep_and_start(kept: Kept, text: str) -> None:
    row = await kept.keep("note", delivery_key("note", text), {"text": text})
    assert row is not None
    kept.start(row, lambda request: kept.replays["note"](request, {"text": text}))
    await kept.work.idle()


async def test_work_that_fails_is_done_again_by_a_later_sweep(kept: Kept, clock: FakeClock) -> None:
    recorder(kept, Outage("Slack is down"))
    await keep_and_start(kept, "hello")
    assert len(kept.work.failures) == 1
    done = recorder(kept)  # Slack is back
    assert await kept.sweep() == 0  # the failed attempt's lease still runs
    clock.advance(LEASE)
    assert await kept.sweep() == 1
    await kept.work.idle()
    assert done == ["hello"]
    clock.advance(LEASE)
    assert await kept.sweep() == 0


async def test_work_that_keeps_failing_is_given_up_after_the_last_attempt(
    kept: Kept, clock: FakeClock
) -> None:
    recorder(kept, Outage("Slack is down"))
    await keep_and_start(kept, "hello")
    for _ in range(MAX_ATTEMPTS - 1):
        clock.advance(LEASE)
        assert await kept.sweep() == 1
        await kept.work.idle()
    clock.advance(LEASE * 10)
    assert await kept.sweep() == 0
    assert len(kept.work.failures) == MAX_ATTEMPTS


async def test_a_refusal_is_an_answer_and_the_request_is_done(kept: Kept, clock: FakeClock) -> None:
    recorder(kept, Refused("There is no incident AI-2026-0099."))
    await keep_and_start(kept, "hello")
    clock.advance(LEASE)
    assert await kept.sweep() == 0 and kept.work.failures == []


async def test_a_kind_nothing_can_work_again_is_not_kept(kept: Kept) -> None:
    with pytest.raises(ValueError, match="nothing would work a kept 'unknown'"):
        await kept.keep("unknown", "k", {})


def test_a_resubmitted_view_is_the_same_delivery_and_a_corrected_one_is_not() -> None:
    view = {"id": "V1", "hash": "h1", "state": {"values": {"title": {"v": {"value": "Leak"}}}}}
    again = {**view, "private_metadata": "{}"}  # the rest of the view does not matter
    corrected = {**view, "state": {"values": {"title": {"v": {"value": "Leak (fixed)"}}}}}
    assert view_key(view) == view_key(again) != view_key(corrected)


def test_a_lone_surrogate_slack_sent_in_json_still_makes_a_key() -> None:
    assert delivery_key("click", "U0SAM", "\ud800") != delivery_key("click", "U0SAM", "\udc00")
