"""Property tests over what reaches `POST /slack/events`, signed as Slack signs: slash
command text, button clicks and modal submissions built from what the bot really sent, then
mutated. Whatever arrives: never a 5xx, no stack trace in any answer or in anything the bot
sent to Slack, no failed work after the ack, and every timeline either unchanged or a whole
valid append (the hash chain verifies as `ai-incident verify` checks it)."""

from __future__ import annotations

import json
import time
from datetime import timedelta, timezone
from typing import Any
from urllib.parse import urlencode

from hypothesis import given
from hypothesis import strategies as st

from bot.commands import NAMES
from tests.e2e.slack_driver import FORM, TEAM, Answer, buttons
from tests.e2e.slack_rig import ALEX, LEE, PRIYA, SAM, Rig, declared
from tests.fakes.slack_api import View
from tests.hardening.conftest import FUZZ
from tests.hardening.fuzzing import leaks, mutated, pick, set_at, words
from tests.hardening.records import assert_only_whole_appends, snapshot

USERS = st.sampled_from((LEE, SAM, ALEX, PRIYA, "U0STRANGER", "", "U" + "9" * 300, "W\u202e1"))
KEYS = st.sampled_from(
    (
        "",
        "AI-2026-0001 ",
        "ai-2026-0001 ",
        "AI-2026-9999 ",
        "AI-0000-0000 ",
        "AI-2026-" + "9" * 5000 + " ",
    )
)
ACTION_IDS = st.sampled_from(
    (
        "ack:nobody",
        "ack:",
        "obligation:nope:done",
        "obligation:ico_art33:maybe",
        "contain:99999999999999999999999:done",
        "contain:-1:done",
        "contain:٣:done",
        "contain:1:sideways",
        "classify:Q1:maybe",
        "classify:Q99:yes",
        "evidence:E99",
        "delay:",
        "delay:nope",
        "x" * 5000,
        "ack:incident_lead:extra",
    )
)
VALUES = st.sampled_from(
    ("AI-2026-9999", "AI-2026-0001|reason", "|evidence", "AI-2026-0001|" + "x" * 5000, "../../x")
)


def aware_text() -> st.SearchStrategy[str]:
    zones = [timezone(timedelta(hours=h)) for h in (-12, 0, 14)]
    when = st.datetimes(timezones=st.sampled_from(zones))
    return st.builds(lambda at, why: f"aware {at.isoformat()} {why}", when, words())


COMMAND_TEXT = st.one_of(
    words(),
    st.builds(
        lambda name, key, rest: f"{name} {key}{rest}",
        st.sampled_from((*NAMES, "DECLARE", "nope")),
        KEYS,
        words(),
    ),
    aware_text(),
)


async def ready(rig: Rig) -> None:
    """An incident room to aim at, made once per test (examples share the server)."""
    if not rig.room:
        await declared(rig)


async def posted(rig: Rig, body: str) -> Answer:
    """Send `body` signed; check every property of the answer and of what followed it."""
    before = await snapshot(rig.deps.store)
    calls = len(rig.slack.calls)
    answer = await rig.ws.send(body, FORM)
    assert answer.status < 500, answer.body
    assert not leaks(answer.body), answer.body
    for call in rig.slack.calls[calls:]:
        sent = json.dumps(call.params, ensure_ascii=False)
        assert not leaks(sent), sent[:2000]
    assert rig.work.failures == [], rig.work.failures
    await assert_only_whole_appends(rig.deps.store, before)
    return answer


@FUZZ
@given(data=st.data(), text=COMMAND_TEXT, user=USERS)
async def test_any_slash_command_text_is_answered_without_a_fault(
    rig: Rig, data: st.DataObject, text: str, user: str
) -> None:
    await ready(rig)
    channel = data.draw(st.sampled_from((rig.room, rig.general, "C0NOPE", "")), label="channel")
    fields = {
        "token": "legacy",
        "team_id": TEAM,
        "channel_id": channel,
        "user_id": user,
        "user_name": user.lower(),
        "command": "/ai-incident",
        "text": text,
        "trigger_id": rig.slack.new_trigger(user or "U0NOBODY"),
    }
    dropped = data.draw(st.sets(st.sampled_from(sorted(fields))), label="dropped")
    await posted(rig, urlencode({k: v for k, v in fields.items() if k not in dropped}))


def click_payload(rig: Rig, data: st.DataObject) -> dict[str, Any]:
    shown = [(m, b) for m in rig.ws.messages(rig.room) for b in buttons(m)]
    message, button = pick(data, shown, "button")
    user = data.draw(USERS, label="user")
    return {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "fake-team"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A0FAKEAPP",
        "token": "legacy",
        "trigger_id": rig.slack.new_trigger(user or "U0NOBODY"),
        "container": {"type": "message", "message_ts": message.ts, "channel_id": message.channel},
        "channel": {"id": message.channel, "name": "incident"},
        "message": {"ts": message.ts, "text": message.text, "blocks": message.blocks},
        "actions": [{**button, "block_id": "b", "action_ts": str(time.time())}],
    }


def targeted(rig: Rig, data: st.DataObject, payload: dict[str, Any]) -> dict[str, Any]:
    """Aim at the fields the bot reads: action ids, values, who and where."""
    choice = data.draw(st.integers(0, 4), label="target")
    if choice == 1:
        return set_at(payload, ("actions", 0, "action_id"), data.draw(ACTION_IDS))
    if choice == 2:
        return set_at(payload, ("actions", 0, "value"), data.draw(VALUES | words()))
    if choice == 3:
        return set_at(
            payload, ("channel", "id"), data.draw(st.sampled_from(("C0NOPE", "", rig.general)))
        )
    return payload


@FUZZ
@given(data=st.data())
async def test_any_button_click_is_answered_without_a_fault(rig: Rig, data: st.DataObject) -> None:
    await ready(rig)
    payload = mutated(data, targeted(rig, data, click_payload(rig, data)))
    await posted(rig, urlencode({"payload": json.dumps(payload)}))


def answers_for(view: View, data: st.DataObject) -> dict[str, Any]:
    """A value per input: what a person could choose or type, or something they could not."""
    found: dict[str, Any] = {}
    for block in view.view["blocks"]:
        if block["type"] != "input":
            continue
        kind, name = block["element"]["type"], block["block_id"]
        if kind == "plain_text_input":
            found[name] = data.draw(words(), label=name)
        elif kind == "datetimepicker":
            found[name] = data.draw(
                st.integers(-(2**63), 2**63) | st.integers(0, 2**31), label=name
            )
        elif kind == "static_select":
            values = [o["value"] for o in block["element"]["options"]]
            found[name] = data.draw(st.sampled_from(values), label=name)
        else:
            labels = [o["text"]["text"] for o in block["element"]["options"]]
            found[name] = data.draw(st.lists(st.sampled_from(labels), unique=True), label=name)
    return found


def state_of(block: dict[str, Any], wanted: Any) -> dict[str, Any]:
    element, kind = block["element"], block["element"]["type"]
    if kind == "plain_text_input":
        return {"type": kind, "value": wanted}
    if kind == "datetimepicker":
        return {"type": kind, "selected_date_time": wanted}
    if kind == "static_select":
        picked = [o for o in element["options"] if o["value"] == wanted]
        return {"type": kind, "selected_option": picked[0]}
    picked = [o for o in element["options"] if o["text"]["text"] in wanted]
    return {"type": kind, "selected_options": picked}


async def open_forms(rig: Rig) -> list[View]:
    """The declare, close and ask modals, opened once per test by real commands and clicks."""
    if getattr(rig, "forms", None):
        return rig.forms  # type: ignore[attr-defined,no-any-return]
    await ready(rig)
    await rig.ws.command(LEE, rig.general, "declare Hostile input")
    declare = rig.ws.opened(LEE)
    await rig.ws.command(SAM, rig.room, "close")
    close = rig.ws.opened(SAM)
    action = "contain:3:not_possible"
    await rig.ws.click(ALEX, rig.ws.message_with(rig.room, action), action)
    ask = rig.ws.opened(ALEX)
    rig.forms = [declare, close, ask]  # type: ignore[attr-defined]
    return rig.forms  # type: ignore[attr-defined,no-any-return]


@FUZZ
@given(data=st.data())
async def test_any_modal_submission_is_answered_without_a_fault(
    rig: Rig, data: st.DataObject
) -> None:
    view = data.draw(st.sampled_from(await open_forms(rig)), label="form")
    answers = answers_for(view, data)
    values = {
        b["block_id"]: {"value": state_of(b, answers[b["block_id"]])}
        for b in view.view["blocks"]
        if b["type"] == "input"
    }
    number = data.draw(st.integers(0, 10**9), label="view id")
    submitted = {
        **view.view,
        "id": f"VFUZZ{number}",
        "state": {"values": values},
        "hash": view.hash,
    }
    user = data.draw(USERS, label="user")
    payload = {
        "type": "view_submission",
        "team": {"id": TEAM, "domain": "fake-team"},
        "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM},
        "api_app_id": "A0FAKEAPP",
        "token": "legacy",
        "trigger_id": rig.slack.new_trigger(user or "U0NOBODY"),
        "view": submitted,
    }
    await posted(rig, urlencode({"payload": json.dumps(mutated(data, payload))}))


@FUZZ
@given(body=st.one_of(words(), st.binary(max_size=200).map(lambda b: b.decode("latin-1"))))
async def test_any_body_at_all_is_answered_without_a_fault(rig: Rig, body: str) -> None:
    await ready(rig)
    await posted(rig, body)


async def test_deeply_nested_json_is_refused_not_a_fault(rig: Rig) -> None:
    await ready(rig)
    for nested in ("[" * 20_000, '{"a":' * 20_000, "[" * 20_000 + "]" * 20_000):
        answer = await posted(rig, urlencode({"payload": nested}))
        assert answer.status == 400
        answer = await rig.ws.send(nested, "application/json")
        assert answer.status < 500 and not leaks(answer.body)


async def test_an_id_slack_would_never_send_is_refused_before_any_web_api_call(
    rig: Rig,
) -> None:
    """Found by the soak run: a 3,000-character user id made users.info's URL too long, the
    answer an error page, and reading it a failure after the ack."""
    await ready(rig)
    for odd in ("U" + "\x88" * 3000, "U0SAM\u202e", "u0lowercase"):
        body = urlencode(
            {"command": "/ai-incident", "text": "ack", "user_id": odd, "channel_id": rig.room}
        )
        calls = len(rig.slack.calls)
        answer = await posted(rig, body)
        assert answer.status == 400 and rig.slack.calls[calls:] == []
