"""The declare form closes as soon as the incident is on the record; its channel, card and
pages follow behind it, however long Slack takes to make the channel."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.runbook import Runbook
from handlers.kept import LEASE
from handlers.slack.interactions import Interactions
from handlers.slack.routes import PATH
from tests.e2e.slack_driver import FORM, signed
from tests.e2e.slack_rig import KEY, LEE, T0, TITLE, TOKEN, Rig, rig_over, slack
from tests.fakes.slack_api import FakeSlack

__all__ = ["slack"]  # fixtures


@pytest.fixture
async def rig(
    slack: FakeSlack, runbook: Runbook, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[Rig]:
    """The Slack rig with a form that would wait a minute for the work behind it."""
    monkeypatch.setattr(Interactions.__init__, "__defaults__", (60.0,))
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    async with rig_over(slack, runbook, tmp_path, client) as made:
        yield made


async def test_the_declare_form_closes_before_slack_has_made_the_channel(rig: Rig) -> None:
    await rig.ws.command(LEE, rig.general, f"declare {TITLE}")
    answers = {
        "system": "drafting-assistant",
        "failure_type": "context_leakage",
        "noticed": "Acme's Q1 report shows Brightside's revenue",
        "aware_at": T0,
    }
    body = urlencode({"payload": json.dumps(rig.ws.submission(LEE, rig.ws.opened(LEE), answers))})
    held = rig.slack.hold("conversations.create")
    headers = {"Content-Type": FORM, **signed(body)}
    async with (
        asyncio.timeout(30),  # only a form that waits for the channel gets here
        rig.ws.http.post(PATH, data=body.encode(), headers=headers) as response,
    ):
        closed = (response.status, await response.text())
    assert closed == (200, "")  # no errors on the form: it closes
    assert not [c for c in rig.slack.channels.values() if c.name.startswith("aiinc")]

    held.set()
    await rig.work.idle()
    opened = await rig.deps.store.load(KEY)
    assert opened is not None and opened.room is not None
    assert f"Declared {KEY}" in rig.ws.told(LEE)


async def test_a_form_slack_rate_limits_is_opened_on_a_second_try_within_the_trigger(
    rig: Rig,
) -> None:
    rig.slack.rate_limit("views.open", retry_after=1)
    await rig.ws.command(LEE, rig.general, f"declare {TITLE}")
    assert rig.ws.opened(LEE).view["type"] == "modal"
    assert rig.slack.count("views.open") == 2 and 1 in rig.ticks.waits


async def test_a_form_slack_holds_back_past_the_trigger_is_given_up_with_a_word(
    rig: Rig,
) -> None:
    rig.slack.rate_limit("views.open", retry_after=30, times=5)
    await rig.ws.command(LEE, rig.general, f"declare {TITLE}")
    assert sum(w for w in rig.ticks.waits) < 3
    assert "could not open in time" in rig.ws.told(LEE)


async def test_a_declare_lost_in_a_crash_after_its_form_closed_is_recorded_once_by_the_sweep(
    rig: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    await rig.ws.command(LEE, rig.general, f"declare {TITLE}")
    answers = {
        "system": "drafting-assistant",
        "failure_type": "context_leakage",
        "noticed": "Acme's Q1 report shows Brightside's revenue",
        "aware_at": T0,
    }
    submission = rig.ws.submission(LEE, rig.ws.opened(LEE), answers)
    body = urlencode({"payload": json.dumps(submission)})
    monkeypatch.setattr(rig.kept, "start", lambda *_: None)  # the process dies after the ack
    async with rig.ws.http.post(
        PATH, data=body.encode(), headers={"Content-Type": FORM, **signed(body)}
    ) as response:
        assert (response.status, await response.text()) == (200, "")  # the form closed
    assert await rig.deps.store.load(KEY) is None
    monkeypatch.undo()

    rig.deps.clock.advance(LEASE + timedelta(seconds=1))  # type: ignore[attr-defined]
    assert await rig.kept.sweep() == 1  # the next process's sweep
    await rig.work.idle()
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    assert [s.key for s in await rig.deps.store.list_incidents()] == [KEY]
    assert len([c for c in rig.slack.channels.values() if c.name.startswith("aiinc")]) == 1


async def test_the_inbox_is_warmed_at_start_and_left_empty(rig: Rig) -> None:
    await rig.kept.warm()
    await rig.kept.warm()  # a second process starting beside it
    assert await rig.kept.sweep() == 0
    await rig.ws.command(LEE, rig.general, f"declare {TITLE}")
    assert rig.ws.opened(LEE).view["type"] == "modal"
