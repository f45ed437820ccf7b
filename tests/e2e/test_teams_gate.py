"""What a real tenant needs of POST /api/messages and of what the bot sends back: only Teams'
channel, a token issued for exactly the activity's serviceUrl, a failure to get a token kept
for a repost like any failed send, and card buttons (Action.Execute) answered as Teams
expects an invoke to be."""

from __future__ import annotations

from typing import Any

import pytest

from bot import service
from handlers.teams.urls import ServiceUrls
from tests.conftest import person
from tests.e2e.teams_driver import BUTTONS, actions
from tests.e2e.teams_rig import KEY, SAM, TeamsRig, connector, declared, teams_rig
from tests.e2e.test_teams_auth import answers, token
from tests.e2e.test_teams_requests import activity

__all__ = ["connector", "teams_rig"]  # fixtures


@pytest.mark.parametrize("channel", ["webchat", "directline", "slack", "emulator"])
async def test_an_activity_from_another_channel_of_the_azure_bot_is_403(
    teams_rig: TeamsRig, channel: str
) -> None:
    said = activity(teams_rig.connector.url) | {"channelId": channel}
    assert await teams_rig.tenant.send(said) == 403
    assert teams_rig.connector.calls == []
    assert await teams_rig.chat.conversations.latest("teams") is None  # not even remembered


async def test_an_activity_naming_no_channel_is_refused_not_a_fault(teams_rig: TeamsRig) -> None:
    empty = activity(teams_rig.connector.url) | {"channelId": ""}
    assert await teams_rig.tenant.send(empty) == 400  # the SDK's own check, not a 500
    unnamed = activity(teams_rig.connector.url)
    del unnamed["channelId"]
    assert await teams_rig.tenant.send(unnamed) == 403
    assert teams_rig.connector.calls == []


def test_only_teams_service_hosts_may_be_called_not_all_of_botframework() -> None:
    urls = ServiceUrls()
    for teams in (
        "https://smba.trafficmanager.net/amer/",
        "https://smba.infra.gcc.teams.microsoft.com/gcc/",
        "https://smba.infra.gov.teams.microsoft.us/gcch/",
        "https://smba.infra.dod.teams.microsoft.us/dod/",
    ):
        assert urls.allowed(teams), teams
    for other in (
        "https://webchat.botframework.com/",
        "https://directline.botframework.com/",
        "https://europe.directline.botframework.com/",
        "https://botframework.com/",
        "https://x.smba.trafficmanager.net/",
    ):
        assert not urls.allowed(other), other


async def test_a_token_naming_no_service_url_is_refused(teams_rig: TeamsRig) -> None:
    assert await answers(teams_rig, token("")) == 400
    assert teams_rig.connector.calls == []


async def test_a_token_for_another_path_on_the_same_host_is_refused(teams_rig: TeamsRig) -> None:
    elsewhere = teams_rig.connector.url.rstrip("/") + "/apac/"
    assert await answers(teams_rig, token(elsewhere)) == 400
    assert teams_rig.connector.calls == []
    same = teams_rig.connector.url.rstrip("/").upper().replace("HTTP://", "http://") + "/"
    assert await answers(teams_rig, token(same)) == 202  # host case and a slash do not matter


class NoLogin:
    """Microsoft's login refusing the app (an expired secret) or out of reach."""

    async def token(self) -> str:
        raise ValueError("AADSTS7000222: the provided client secret keys are expired")


async def test_a_failure_to_get_a_token_is_kept_for_a_repost_like_a_failed_send(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    await declared(rig)
    sam = person(rig.deps.runbook, "sam")
    await service.acknowledge(rig.deps, KEY, sam)  # its page is updated in place
    calls = len(rig.connector.calls)
    rig.chat.connector.tokens = NoLogin()

    await service.handover(rig.deps, KEY, sam, "priya", "off shift")  # news: posted

    assert len(rig.connector.calls) == calls  # nothing reached Teams without a token
    record = await rig.deps.store.load(KEY)
    assert record is not None
    failed = [e for e in record.events if e.type == "undelivered"]
    assert failed and all(e.data["again"] is True for e in failed)
    assert "no token from Microsoft's login" in str(failed[0].data["error"])
    assert [r for r in await rig.deps.store.reminders(KEY) if r.kind == "repost"]


def _buttons(rig: TeamsRig) -> list[dict[str, Any]]:
    return [a for m in rig.tenant.messages(rig.room) for a in actions(m.cards)]


async def test_card_buttons_are_universal_actions_answered_200_with_the_body_teams_expects(
    teams_rig: TeamsRig,
) -> None:
    rig = teams_rig
    await declared(rig)
    buttons = [a for a in _buttons(rig) if a["type"] in BUTTONS]
    assert buttons and all(a["type"] == "Action.Execute" for a in buttons)
    assert all(a["verb"] == a["data"]["action"] for a in buttons)
    page = rig.tenant.with_action(rig.room, "ack:incident_lead")
    execute = next(a for a in actions(page.cards) if a.get("verb") == "ack:incident_lead")
    invoke = rig.tenant._from("card_submit", SAM, page.conversation) | {
        "type": "invoke",
        "name": "adaptiveCard/action",
        "replyToId": page.id,
        "value": {"action": {"type": "Action.Execute", "verb": "ack:incident_lead",
                             "data": execute["data"]}, "trigger": "manual"},
    }  # fmt: skip
    async with rig.tenant.http.post("/api/messages", json=invoke) as r:
        assert r.status == 200
        assert await r.json() == {
            "statusCode": 200,
            "type": "application/vnd.microsoft.activity.message",
            "value": "Working on it…",
        }
    await rig.kept.work.idle()
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.acks["incident_lead"][0] == "sam"


async def test_an_invoke_no_card_of_ours_sends_is_501_and_changes_nothing(
    teams_rig: TeamsRig,
) -> None:
    said = activity(teams_rig.connector.url) | {"type": "invoke", "name": "composeExtension/query"}
    assert await teams_rig.tenant.send(said) == 501
    assert teams_rig.connector.calls == []


async def test_a_card_posted_before_with_action_submit_still_works(teams_rig: TeamsRig) -> None:
    rig = teams_rig
    await declared(rig)
    page = rig.tenant.with_action(rig.room, "ack:incident_lead")
    data = {"action": "ack:incident_lead", "key": KEY}
    assert await rig.tenant.submit(SAM, page, data, {}) == 202  # a message with a value
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.acks["incident_lead"][0] == "sam"
