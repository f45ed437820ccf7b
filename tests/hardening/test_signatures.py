"""Requests not signed by Slack, or signed for another moment or another body, are 401 and
change nothing. Replay protection at the edge: Bolt refuses a timestamp more than five
minutes from now (either way), so a replay can only come within that window; there, the
inbox's delivery key (the trigger id, the action's timestamp, the view's id and state)
recognises the request, which is acknowledged as Slack's own redelivery would be and worked
no second time."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from tests.e2e.slack_driver import FORM, TEAM, signed
from tests.e2e.slack_rig import KEY, SAM, Rig, declared
from tests.hardening.records import assert_only_whole_appends, event_count, snapshot

FIVE_MINUTES = 300


def note(room: str, text: str) -> str:
    """A signed-for body that, accepted, adds a note to the incident's timeline."""
    fields = {
        "team_id": TEAM,
        "channel_id": room,
        "user_id": SAM,
        "user_name": "sam",
        "command": "/ai-incident",
        "text": f"note {text}",
        "trigger_id": "1.2.3",
    }
    return urlencode(fields)


async def notes_after(rig: Rig, body: str, headers: dict[str, str]) -> tuple[int, int]:
    """(status, events added) for one request, with no chain broken and no event altered."""
    before = await snapshot(rig.deps.store)
    calls = len(rig.slack.calls)
    answer = await rig.ws.send(body, FORM, headers)
    after = await assert_only_whole_appends(rig.deps.store, before)
    if answer.status == 401:
        assert rig.slack.calls[calls:] == [], "a refused request reached Slack's Web API"
    return answer.status, event_count(after) - event_count(before)


async def test_a_correctly_signed_note_is_recorded(rig: Rig) -> None:
    """The control: the same request the other tests spoil is accepted when signed right."""
    room = await declared(rig)
    body = note(room, "signed right")
    assert await notes_after(rig, body, signed(body)) == (200, 1)


@pytest.mark.parametrize(
    ("why", "headers_for"),
    [
        ("wrong secret", lambda body: signed(body, secret="not-the-signing-secret")),
        ("stale", lambda body: signed(body, time.time() - FIVE_MINUTES - 5)),
        ("from the future", lambda body: signed(body, time.time() + FIVE_MINUTES + 5)),
        ("no signature", lambda body: {"X-Slack-Request-Timestamp": str(int(time.time()))}),
        ("no timestamp", lambda body: {"X-Slack-Signature": signed(body)["X-Slack-Signature"]}),
        ("no headers", lambda body: {}),
        ("negative timestamp", lambda body: signed(body) | {"X-Slack-Request-Timestamp": "-1"}),
        ("other scheme", lambda body: signed(body) | {"X-Slack-Signature": "v1=" + "0" * 64}),
    ],
)
async def test_a_request_not_signed_for_now_by_slack_is_401_and_changes_nothing(
    rig: Rig, why: str, headers_for: object
) -> None:
    room = await declared(rig)
    body = note(room, why)
    assert callable(headers_for)
    assert await notes_after(rig, body, headers_for(body)) == (401, 0)


async def test_a_body_altered_after_signing_is_401_and_changes_nothing(rig: Rig) -> None:
    room = await declared(rig)
    headers = signed(note(room, "as signed"))
    assert await notes_after(rig, note(room, "as altered"), headers) == (401, 0)


async def test_a_replay_within_five_minutes_changes_nothing_the_second_time(rig: Rig) -> None:
    room = await declared(rig)
    body = note(room, "said once")
    headers = signed(body, time.time() - FIVE_MINUTES + 30)  # near the end of its window
    assert await notes_after(rig, body, headers) == (200, 1)
    assert await notes_after(rig, body, headers) == (200, 0)
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    assert [e.data["text"] for e in incident.events if e.type == "note"] == ["said once"]


async def test_a_replay_beyond_five_minutes_is_refused_as_stale(rig: Rig) -> None:
    room = await declared(rig)
    body = note(room, "said long ago")
    assert await notes_after(rig, body, signed(body, time.time() - FIVE_MINUTES - 1)) == (401, 0)


async def test_a_request_refused_for_its_signature_does_not_block_the_genuine_one(
    rig: Rig,
) -> None:
    """A forged copy sent first must not use up the genuine request's place."""
    room = await declared(rig)
    body = note(room, "genuine")
    genuine = signed(body)
    forged = genuine | {"X-Slack-Signature": signed(body, secret="forger")["X-Slack-Signature"]}
    assert await notes_after(rig, body, forged) == (401, 0)
    assert await notes_after(rig, body, genuine) == (200, 1)


async def test_a_replayed_button_click_changes_nothing_twice(rig: Rig) -> None:
    room = await declared(rig)
    message = rig.ws.message_with(room, "ack:incident_lead")
    button = next(
        b
        for block in message.blocks or []
        if block["type"] == "actions"
        for b in block["elements"]
        if b["action_id"] == "ack:incident_lead"
    )
    payload = {
        "type": "block_actions",
        "user": {"id": SAM, "name": "sam"},
        "channel": {"id": room},
        "trigger_id": rig.slack.new_trigger(SAM),
        "actions": [button],
    }
    body = urlencode({"payload": json.dumps(payload)})
    headers = signed(body)
    first = await notes_after(rig, body, headers)
    assert first[0] == 200 and first[1] >= 1
    told = len([m for m in rig.slack.ephemerals if m.user == SAM])
    assert await notes_after(rig, body, headers) == (200, 0)
    assert len([m for m in rig.slack.ephemerals if m.user == SAM]) == told
