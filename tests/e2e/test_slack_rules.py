"""The corrected rules over Slack: signed clicks on the questions the bot posted, and the
obligations it then posts in the room are exactly those the path calls for."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.runbook import Runbook
from tests.e2e.rule_paths import PATHS, RulePath, firm_for
from tests.e2e.slack_driver import buttons
from tests.e2e.slack_rig import (
    ALEX,
    KEY,
    SAM,
    TOKEN,
    Rig,
    acknowledged,
    declared,
    rig_over,
    slack,
)
from tests.fakes.slack_api import FakeSlack

__all__ = ["slack"]  # fixture


@pytest.fixture(params=PATHS, ids=[p.name for p in PATHS])
async def path_rig(
    request: pytest.FixtureRequest, slack: FakeSlack, runbook: Runbook, tmp_path: Path
) -> AsyncIterator[tuple[Rig, RulePath]]:
    path: RulePath = request.param
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    async with rig_over(slack, firm_for(runbook, path), tmp_path, client) as made:
        yield made, path
    assert made.kept.work.failures == []


def action_ids(rig: Rig) -> list[str]:
    return [b["action_id"] for m in rig.ws.messages(rig.room) for b in buttons(m)]


async def test_each_path_posts_exactly_its_obligations(path_rig: tuple[Rig, RulePath]) -> None:
    rig, path = path_rig
    await declared(rig)
    await acknowledged(rig)
    await rig.ws.click(SAM, rig.ws.message_with(rig.room, "contain:0:done"), "contain:0:done")
    for question, value in path.answers:
        action = f"classify:{question}:{value}"
        before = len(rig.slack.views)
        await rig.ws.click(ALEX, rig.ws.message_with(rig.room, action), action)
        if len(rig.slack.views) > before:  # Q6 asks which member states
            await rig.ws.submit(ALEX, rig.ws.opened(ALEX), {"text": "FR, IE"})
    posted = {a.split(":")[1] for a in action_ids(rig) if a.startswith("obligation:")}
    assert posted == path.expected
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and set(incident.obligations) == path.expected
    assert [q for q, _ in path.answers if q not in incident.answers] == []
    # The ICO draft is offered exactly when the ICO clock runs (never to a processor).
    assert ("draft:ico_art33" in action_ids(rig)) == ("ico_art33" in path.expected)
