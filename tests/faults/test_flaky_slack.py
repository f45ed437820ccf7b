"""Slack failing at 20% of Web API calls: the seed case still runs to close, and the rooms
end up with exactly the messages a run without faults leaves.

Two workspaces run the same script through the Slack rig's signed requests: one clean, one
where the fake Slack answers a seeded 20% of calls with a 429 (Retry-After), a 5xx page, a
slow answer or a dropped connection (tests/fakes/slack_api.py `Chaos`). People act as people
do: when a form does not open or a click changes nothing, they do it again — only then, read
from the record, never on a guess. The bot may not post anything twice, or lose anything.

Messages are counted at the fake by (channel name, final text): Slack has no idempotency key
for chat.postMessage and the bot sends no client_msg_id, so a message posted twice shows up as
the same text twice in one channel. In a clean run no two messages in one channel share their
text, so the clean run's multiset is the expected one.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bot.incident import Incident
from bot.permissions import REGULATOR
from bot.runbook import Runbook
from handlers.slack.web_api import web_client
from tests.e2e.slack_rig import (
    ALEX,
    ANSWERS,
    JORDAN,
    KEY,
    LEE,
    SAM,
    T0,
    TITLE,
    TOKEN,
    Rig,
    rig_over,
    signed_off_by_the_lead,
    workspace_slack,
)
from tests.fakes.slack_api import Chaos, FakeSlack

RATE = 0.2
SEED = 20260326
# `make test` runs one seeded fault pattern; `make soak` runs FLAKY_SEEDS of them.
SEEDS = [SEED + n for n in range(int(os.environ.get("FLAKY_SEEDS", "1")))]
TRIES = 8  # a person gives up after this many goes at one step
VENDOR = "The vendor holds the key"
CLOCKS = ("ico_art33", "cyber_insurer", "client_contract_acme", "pi_insurer")


@asynccontextmanager
async def workspace(runbook: Runbook, folder: Path, chaos: Chaos | None) -> AsyncIterator[Rig]:
    """The Slack rig (tests/e2e/slack_rig.py) on the production Web API client."""
    folder.mkdir()
    async with (
        workspace_slack() as slack,
        rig_over(
            slack, signed_off_by_the_lead(runbook), folder, web_client(TOKEN, slack.url)
        ) as rig,
    ):
        slack.add_user(JORDAN, "jordan@harbourvale.example", "Jordan Ellis")  # compliance
        slack.chaos(chaos)
        yield rig


async def incident(rig: Rig) -> Incident:
    found = await rig.deps.store.load(KEY)
    assert found is not None
    return found


async def until_done(
    rig: Rig, what: str, done: Callable[[], Awaitable[bool]], do: Callable[[], Awaitable[None]]
) -> None:
    """Do a step again until the record shows it done, as a person would."""
    for _ in range(TRIES):
        if await done():
            return
        try:
            await do()
        except AssertionError:  # the button or form to use is not there (yet): try again
            continue
    assert await done(), f"{what}: still not done after {TRIES} tries ({rig.slack.injected})"


async def form_opened(rig: Rig, user: str, send: Callable[[], Awaitable[object]]) -> bool:
    before = len(rig.slack.views)
    await send()
    return len(rig.slack.views) > before and rig.ws.opened(user).view is not None


async def declare(rig: Rig) -> None:
    async def attempt() -> None:
        if await form_opened(
            rig, LEE, lambda: rig.ws.command(LEE, rig.general, f"declare {TITLE}")
        ):
            answers = {
                "system": "drafting-assistant",
                "failure_type": "context_leakage",
                "noticed": "Acme's Q1 report shows Brightside's revenue",
                "aware_at": T0,
            }
            await rig.ws.submit(LEE, rig.ws.opened(LEE), answers)

    async def declared() -> bool:
        found = await rig.deps.store.load(KEY)
        return found is not None and found.room is not None

    await until_done(rig, "declare", declared, attempt)
    rig.room = (await incident(rig)).room.id  # type: ignore[union-attr]


async def click(rig: Rig, user: str, action: str, reason: str = "") -> None:
    """Click the button; if that opens a form, fill it in."""
    before = len(rig.slack.views)
    await rig.ws.click(user, rig.ws.message_with(rig.room, action), action)
    if reason and len(rig.slack.views) > before:
        await rig.ws.submit(user, rig.ws.opened(user), {"text": reason})


async def run_seed_case(rig: Rig) -> None:
    await declare(rig)

    async def acked() -> bool:
        return "incident_lead" in (await incident(rig)).acks

    await until_done(rig, "ack", acked, lambda: click(rig, SAM, "ack:incident_lead"))
    for step, how in ((0, "done"), (1, "done"), (2, "done"), (3, "not_possible")):

        async def contained(step: int = step) -> bool:
            return step in (await incident(rig)).steps

        action = f"contain:{step}:{how}"
        await until_done(rig, action, contained, lambda a=action: click(rig, SAM, a, VENDOR))
    for question, value in ANSWERS:

        async def answered(q: str = question) -> bool:
            return q in (await incident(rig)).answers

        action = f"classify:{question}:{value}"
        why = f"{question}: ruled out"
        who = JORDAN if question in REGULATOR else ALEX  # each question by its decider
        await until_done(rig, action, answered, lambda a=action, w=why, u=who: click(rig, u, a, w))
    for clock in CLOCKS:

        async def notified(c: str = clock) -> bool:
            return (await incident(rig)).obligations[c].status == "done"

        action = f"obligation:{clock}:done"
        ref = f"{clock} told, ref 77"
        await until_done(rig, action, notified, lambda a=action, r=ref: click(rig, ALEX, a, r))

    async def close() -> None:
        if await form_opened(rig, SAM, lambda: rig.ws.command(SAM, rig.room, "close")):
            answers = {
                "root_cause": "Cache keyed without client id",
                "failure_type": "context_leakage",
                "lessons": "Key caches by client",
                "must_contain": "Acme",
                "reenable": rig.deps.runbook.reenable_criteria,
            }
            await rig.ws.submit(SAM, rig.ws.opened(SAM), answers)

    async def closed() -> bool:
        return (await incident(rig)).closed_at is not None

    await until_done(rig, "close", closed, close)


def posted(slack: FakeSlack) -> Counter[tuple[str, str]]:
    """Every message the bot left in a channel, by the channel's name and its final text.
    (Answers to one person are left out: a 429 on chat.postEphemeral sends them by DM.)"""
    return Counter(
        (slack.channels[channel].name, m.text)
        for channel, messages in slack.messages.items()
        for m in messages
        if not slack.channels[channel].is_im
    )


def record(found: Incident) -> dict[str, object]:
    return {
        "phase": found.phase,
        "answers": {q: a.value for q, a in found.answers.items()},
        "steps": sorted(found.steps),
        "obligations": {c: o.status for c, o in found.obligations.items()},
        "evidence": [e.sha256 for e in found.evidence],
        "acks": sorted(found.acks),
    }


@pytest.mark.parametrize("seed", SEEDS)
async def test_at_20_percent_faults_the_seed_case_closes_with_every_message_posted_once(
    seed: int, runbook: Runbook, tmp_path: Path
) -> None:
    async with workspace(runbook, tmp_path / "clean", None) as clean:
        await run_seed_case(clean)
        expected, expected_record = posted(clean.slack), record(await incident(clean))
    assert set(expected.values()) == {1}, "a clean run posts no text twice in one channel"

    async with workspace(runbook, tmp_path / "faulty", Chaos(RATE, seed)) as faulty:
        await run_seed_case(faulty)
        got, got_record = posted(faulty.slack), record(await incident(faulty))
        injected = Counter(kind for _, kind in faulty.slack.injected)
        calls = len(faulty.slack.calls)

    assert sum(injected.values()) >= calls * RATE / 2, (injected, calls)
    if seed == SEED:  # this pattern has every kind of fault in it
        assert set(injected) == {"ratelimited", "server_error", "slow", "dropped"}
    assert got_record == expected_record
    assert got - expected == Counter(), "posted twice, or posted and not in a clean run"
    assert expected - got == Counter(), "lost: in a clean run but never posted"
