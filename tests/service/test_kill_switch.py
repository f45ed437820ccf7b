"""Running a containment step's kill switch from the room: a signed request sent once to a
real receiver on 127.0.0.1, retried on 5xx and timeouts, its result on the timeline and in
the room; a failure leaves the step open; only the system's kill-switch chain may run it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from bot import actions, kill_switch, service
from bot.decisions import Refused
from bot.incident import Incident
from bot.service import Deps
from bot.views import view
from handlers.kill_switch import HttpKillSwitch
from storage.engine import make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.fakes.kill_switch_receiver import SECRET, Receiver, environment, runbook_with_action
from tests.service.test_seed_case import declare_seed

RUN = "killswitch:0"


async def no_pause(_seconds: float) -> None:
    return None


def deps_for(url: str, tmp_path: Path, clock: FakeClock, **action: object) -> Deps:
    runbook = runbook_with_action(url, **action)
    db = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(db)
    sender = HttpKillSwitch(SECRET, environment(), pause=no_pause)
    return Deps(runbook, SqlStore(make_engine(db)), FakeChat(runbook), clock, None, sender)


@pytest.fixture
async def receiver(request: pytest.FixtureRequest) -> AsyncIterator[Receiver]:
    async with Receiver(getattr(request, "param", "ok")) as found:
        yield found


async def declared(deps: Deps) -> Incident:
    return await declare_seed(deps)


def said(deps: Deps) -> str:
    assert isinstance(deps.chat, FakeChat)
    return "\n".join(deps.chat.texts())


async def test_run_sends_one_signed_request_and_marks_the_step_done(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock)
    incident = await declared(deps)
    await actions.press(deps, incident.key, person(deps.runbook, "lee"), RUN, "")
    [seen] = receiver.seen
    assert seen.signed and seen.method == "POST"
    assert seen.headers["Idempotency-Key"] == f"{incident.key}:1"
    assert seen.body == f'{{"enabled":false,"incident":"{incident.key}","step":"1"}}'
    after = await service.load(deps, incident.key, whole=True)
    assert after.steps[0].status == "done"
    result = [e for e in after.events if e.type == kill_switch.RESULT][-1]
    assert (result.data["status"], result.data["attempts"]) == (200, 1)
    assert '"enabled": false' in result.data["excerpt"] and result.data["elapsed_ms"] >= 0
    assert "Kill switch for step 1 ran: HTTP 200" in said(deps)


@pytest.mark.parametrize("receiver", ["500-then-200"], indirect=True)
async def test_a_500_is_retried_and_the_second_answer_counts(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock)
    incident = await declared(deps)
    await actions.press(deps, incident.key, person(deps.runbook, "sam"), RUN, "")
    assert len(receiver.seen) == 2 and all(s.signed for s in receiver.seen)
    assert {s.headers["Idempotency-Key"] for s in receiver.seen} == {f"{incident.key}:1"}
    after = await service.load(deps, incident.key)
    assert after.steps[0].status == "done"
    assert "HTTP 200" in said(deps) and "2 attempt(s)" in said(deps)


@pytest.mark.parametrize("receiver", ["hang"], indirect=True)
async def test_a_receiver_that_never_answers_fails_the_run_and_leaves_the_step_open(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock, timeout_s=0.2)
    incident = await declared(deps)
    await actions.press(deps, incident.key, person(deps.runbook, "sam"), RUN, "")
    assert len(receiver.seen) == 3  # each timeout tried again, up to three attempts
    after = await service.load(deps, incident.key)
    assert 0 not in after.steps
    assert "FAILED: no answer" in said(deps) and "no answer within 0.2 s" in said(deps)
    assert "the last run failed" in view_of_containment(deps, after)


@pytest.mark.parametrize("receiver", ["401"], indirect=True)
async def test_a_401_is_not_retried_and_the_room_hears_it_failed(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock)
    incident = await declared(deps)
    await actions.press(deps, incident.key, person(deps.runbook, "sam"), RUN, "")
    assert len(receiver.seen) == 1
    assert 0 not in (await service.load(deps, incident.key)).steps
    assert "FAILED: HTTP 401" in said(deps) and "switch it off by hand" in said(deps)


async def test_only_the_kill_switch_chain_may_run_it(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock)
    incident = await declared(deps)
    with pytest.raises(Refused, match="Only the kill-switch chain"):
        await actions.press(deps, incident.key, person(deps.runbook, "alex"), RUN, "")
    assert receiver.seen == []
    last = (await service.load(deps, incident.key)).events[-1]  # kept as a refused attempt
    assert last.type == "refused" and last.actor.person_id == "alex"


async def test_a_double_click_sends_once(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock)
    incident = await declared(deps)
    lee, sam = person(deps.runbook, "lee"), person(deps.runbook, "sam")
    results = await asyncio.gather(
        actions.press(deps, incident.key, lee, RUN, ""),
        actions.press(deps, incident.key, sam, RUN, ""),
        return_exceptions=True,
    )
    assert len(receiver.seen) == 1
    assert sum(isinstance(r, Refused) for r in results) == 1


async def test_after_a_crash_mid_send_the_record_refuses_to_send_again(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock)
    incident = await declared(deps)
    lee = person(deps.runbook, "lee")
    # The process recorded the send, then died before the answer was recorded.
    await service.act(
        deps, incident.key, lee, lambda i, now: kill_switch.start(i, deps.runbook, lee, 0)
    )
    with pytest.raises(Refused, match="its outcome is not recorded"):
        await actions.press(deps, incident.key, lee, RUN, "")
    assert receiver.seen == []
    after = await service.load(deps, incident.key)
    assert "awaiting the answer" in view_of_containment(deps, after)


async def test_a_dry_run_sends_nothing_and_leaves_the_step_open(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock, dry_run=True)
    incident = await declared(deps)
    await actions.press(deps, incident.key, person(deps.runbook, "lee"), RUN, "")
    assert receiver.seen == []
    assert 0 not in (await service.load(deps, incident.key)).steps
    assert "Dry run of step 1" in said(deps)


async def test_a_header_secret_missing_from_the_environment_sends_nothing(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock)
    deps = replace(deps, kill_switch=HttpKillSwitch(SECRET, {}, pause=no_pause))
    incident = await declared(deps)
    await actions.press(deps, incident.key, person(deps.runbook, "lee"), RUN, "")
    assert receiver.seen == []
    assert "FLAGS_TOKEN is not set: nothing was sent" in said(deps)


async def test_the_confirmation_shows_the_request_with_secrets_masked(
    receiver: Receiver, tmp_path: Path, clock: FakeClock
) -> None:
    deps = deps_for(receiver.url, tmp_path, clock)
    incident = await declared(deps)
    shown = "\n".join(kill_switch.preview(kill_switch.request_for(incident, deps.runbook, 0)))
    assert shown.startswith(f"POST {receiver.url}")
    assert "Authorization: Bearer •••• ($FLAGS_TOKEN)" in shown
    assert f"Idempotency-Key: {incident.key}:1" in shown
    assert "flags-token" not in shown


def view_of_containment(deps: Deps, incident: Incident) -> str:
    from bot.notices import Notice

    v = view(Notice(incident, "containment"), deps.runbook, deps.clock.now())
    return "\n".join(v.lines)
