"""Suspected incidents in a Slack triage channel: the card an alert posts, Declare opening
the declare form filled in from the alert, and Dismiss asking for a reason."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot import triage
from bot.alerts import from_alertmanager, from_generic
from bot.runbook_parse import parse_runbook
from storage.alerts import SqlAlerts
from storage.engine import make_engine
from tests.conftest import ROOT
from tests.e2e.slack_driver import text_of
from tests.e2e.slack_rig import LEE, SAM, TOKEN, Rig, rig_over, slack
from tests.fakes.slack_api import FakeSlack

__all__ = ["slack"]  # fixtures
PAYLOADS = Path(__file__).parent / "alertmanager"


@pytest.fixture
async def triage_rig(slack: FakeSlack, tmp_path: Path) -> AsyncIterator[Rig]:
    channel = slack.add_channel("ai-triage", is_private=False, members=[LEE, SAM, "UBOT"])
    text = (ROOT / "runbook.yaml").read_text(encoding="utf-8")
    runbook = parse_runbook(text.replace('triage: "#triage"', f"triage: {channel}"), "rb")
    alerts = SqlAlerts(make_engine(f"sqlite:///{tmp_path / 'incidents.db'}"))
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    async with rig_over(slack, runbook, tmp_path, client, alerts=alerts) as made:
        made.room = channel
        yield made
    assert made.kept.work.failures == []


def alerts_of(rig: Rig) -> SqlAlerts:
    assert isinstance(rig.deps.alerts, SqlAlerts)
    return rig.deps.alerts


async def test_an_alert_posts_one_card_that_repeats_update(triage_rig: Rig) -> None:
    rig = triage_rig
    for name in ("firing", "grouped", "resolved"):
        data = json.loads((PAYLOADS / f"{name}.json").read_text(encoding="utf-8"))
        await triage.receive(rig.deps, alerts_of(rig), from_alertmanager(data))
    [card] = rig.ws.messages(rig.room)
    shown = text_of(card)
    assert "Suspected incident: Drafting assistant eval pass rate" in shown
    assert "AI report drafting tool" in shown and "Resolved" in shown
    assert {b["action_id"] for b in card.blocks[-1]["elements"]} == {
        "alert:declare:1",
        "alert:dismiss:1",
    }


async def test_declare_opens_the_form_filled_in_and_the_card_then_names_the_incident(
    triage_rig: Rig,
) -> None:
    rig = triage_rig
    alert = from_generic({"system": "email-assistant", "summary": "Replies sent to wrong client"})
    await triage.receive(rig.deps, alerts_of(rig), alert)
    card = rig.ws.message_with(rig.room, "alert:declare:1")
    await rig.ws.click(SAM, card, "alert:declare:1")
    form = rig.ws.opened(SAM)
    blocks = {b["block_id"]: b["element"] for b in form.view["blocks"]}
    assert blocks["title"]["initial_value"] == "Replies sent to wrong client"
    assert blocks["system"]["initial_option"]["value"] == "email-assistant"
    assert "Noticed by monitoring at" in blocks["noticed"]["initial_value"]
    answers = {
        "title": "Replies sent to wrong client",
        "system": "email-assistant",
        "failure_type": "wrong_recipient",
        "aware_at": int(rig.deps.clock.now().timestamp()),
    }
    answer = await rig.ws.submit(SAM, form, answers)
    assert (answer.status, answer.body) == (200, "")
    assert "Declared by Sam Okafor as AI-2026-0001" in text_of(rig.ws.messages(rig.room)[0])


async def test_dismiss_asks_for_a_reason_and_the_card_keeps_it(triage_rig: Rig) -> None:
    rig = triage_rig
    alert = from_generic({"system": "drafting-assistant", "summary": "Latency spike"})
    await triage.receive(rig.deps, alerts_of(rig), alert)
    await rig.ws.click(LEE, rig.ws.message_with(rig.room, "alert:dismiss:1"), "alert:dismiss:1")
    await rig.ws.submit(LEE, rig.ws.opened(LEE), {"text": "Vendor maintenance window"})
    shown = text_of(rig.ws.messages(rig.room)[0])
    assert "Dismissed by Lee Chen: Vendor maintenance window" in shown
    [record] = await alerts_of(rig).listed(("dismissed",))
    assert record.reason == "Vendor maintenance window"
