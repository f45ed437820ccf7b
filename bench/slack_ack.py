"""Slack ack latency: the bot beside a bare Bolt app that only acks, in the same run.

With 10,000 incidents in a SQLite database, signed requests go to both apps over HTTP, as
Slack sends them: `/ai-incident status` typed in an incident's channel, and a click on a
containment step's Done button. The time is taken on the server, from the request reaching
the aiohttp handler to its response (the ack); the bot's work after the ack (answering,
recording, posting to the fake Slack) is let finish between requests so that it does not
stand in either app's queue. Reports p50/p99 of each and the ratio; target p99 ≤ 1.5× bare.

    python -m bench.slack_ack [--quick]
"""

from __future__ import annotations

import asyncio
import gc
import json
import logging
import re
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_sdk.web.async_client import AsyncWebClient

from ai_incident.main import SystemClock
from bench.reminders import incident_with_clocks, new_store, percentile
from bot.incident import replay
from bot.runbook_parse import load_runbook
from bot.service import Deps
from bot.settings import Settings
from bot.timeline import BOT, chain
from handlers.slack.app import build_slack_app
from handlers.slack.chat import SlackChat
from handlers.slack.routes import PATH, add_slack_routes
from handlers.slack.web_api import Pacer
from handlers.work import Work
from storage.sql import SqlStore
from tests.e2e.slack_driver import SECRET, signed
from tests.fakes.slack_api import FakeSlack

ROOT = Path(__file__).resolve().parents[1]
TOKEN = "xoxb-bench"
USER = "U0SAMOKAFOR"
FORM = "application/x-www-form-urlencoded"
Times = list[float]
SETTLE_S = 0.005


async def no_wait(_seconds: float) -> None:
    return None


async def seed(store: SqlStore, count: int, channel: str) -> str:
    """`count` incidents; the last one's room is the Slack channel the requests come from."""
    aware = datetime.now(UTC) - timedelta(hours=1)
    for i in range(1, count):
        incident = incident_with_clocks(f"AI-2026-{i:05d}", aware)
        await store.save(incident, incident.events, [])
    key = f"AI-2026-{count:05d}"
    first = incident_with_clocks(key, aware).events[0]
    room = {"platform": "slack", "id": channel, "name": "aiinc-bench"}
    events = [first, chain(first, key, aware, BOT, "room_opened", room)]
    await store.save(replay(key, events), events, [])
    return key


def timed(times: Times) -> Callable[..., Awaitable[web.StreamResponse]]:
    @web.middleware
    async def middleware(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        began = time.perf_counter()
        response = await handler(request)
        times.append(time.perf_counter() - began)
        return response

    return middleware


def bare_app(slack: FakeSlack, times: Times) -> web.Application:
    """A Bolt app with the same settings that acks everything and does nothing else."""
    bolt = AsyncApp(
        client=AsyncWebClient(token=TOKEN, base_url=slack.url),
        signing_secret=SECRET,
        process_before_response=True,
    )

    async def ack_only(ack: AsyncAck) -> None:
        await ack()

    bolt.command("/ai-incident")(ack_only)
    bolt.action(re.compile(".*"))(ack_only)

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    app = web.Application(middlewares=[timed(times)])
    app.router.add_post(PATH, events)
    return app


def bot_app(slack: FakeSlack, store: SqlStore, work: Work, times: Times) -> web.Application:
    runbook = load_runbook(ROOT / "runbook.yaml")
    client = AsyncWebClient(token=TOKEN, base_url=slack.url)
    chat = SlackChat(client, runbook, Pacer(0.0, sleep=no_wait))
    deps = Deps(runbook, store, chat, SystemClock())
    settings = Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=slack.url)
    app = web.Application(middlewares=[timed(times)])
    add_slack_routes(app, build_slack_app(deps, settings, chat, work), SECRET)
    return app


def command(channel: str, slack: FakeSlack) -> str:
    return urlencode(
        {
            "command": "/ai-incident",
            "text": "status",
            "user_id": USER,
            "user_name": "sam",
            "channel_id": channel,
            "team_id": slack.team_id,
            "trigger_id": slack.new_trigger(USER),
        }
    )


def click(channel: str, key: str, slack: FakeSlack, action_ts: str = "") -> str:
    """A containment step's Done button pressed; with `action_ts`, a click of its own (the
    inbox keeps each distinct click)."""
    action = {"type": "button", "action_id": "contain:0:done", "value": key, "block_id": "b"}
    action |= {"action_ts": action_ts} if action_ts else {}
    payload = {
        "type": "block_actions",
        "team": {"id": slack.team_id},
        "user": {"id": USER, "name": "sam"},
        "channel": {"id": channel},
        "container": {"type": "message", "channel_id": channel, "message_ts": "1.0"},
        "trigger_id": slack.new_trigger(USER),
        "actions": [action],
    }
    return urlencode({"payload": json.dumps(payload)})


async def send(http: TestClient, body: str) -> None:
    headers = {"Content-Type": FORM, **signed(body)}
    async with http.post(PATH, data=body, headers=headers) as response:
        assert response.status == 200, await response.text()


def ms(times: Times, q: float) -> str:
    return f"{percentile(times, q) * 1000:.2f} ms"


def report(what: str, bot: Times, bare: Times) -> None:
    ratio = percentile(bot, 0.99) / percentile(bare, 0.99)
    print(
        f"ack {what}: bot p50 {ms(bot, 0.5)} p99 {ms(bot, 0.99)}; "
        f"bare Bolt p50 {ms(bare, 0.5)} p99 {ms(bare, 0.99)}; p99 ratio {ratio:.2f} (target ≤ 1.5)"
    )


class Pair:
    """The bot and the bare app, served side by side, with the ack times each has taken."""

    def __init__(self, ours: TestClient, bare: TestClient, work: Work, times: tuple[Times, Times]):
        self.ours, self.bare, self.work = ours, bare, work
        self.ours_times, self.bare_times = times

    async def settle(self) -> None:
        """Off the clock: the bot's work after the ack, the connections it closes, the
        garbage it leaves, so none of it lands inside the next measured ack."""
        await self.work.idle()
        await asyncio.sleep(SETTLE_S)
        gc.collect(1)  # the young generations: what one request leaves

    async def measure(self, body: Callable[[], str], rounds: int) -> tuple[Times, Times]:
        """Each round sends to both, taking turns at going first, each after a settle."""
        for n in range(rounds):
            for client in (self.ours, self.bare) if n % 2 else (self.bare, self.ours):
                await self.settle()
                await send(client, body())
        return self.ours_times[-rounds:], self.bare_times[-rounds:]


async def compare(slack: FakeSlack, store: SqlStore, key: str, channel: str, rounds: int) -> None:
    work, times = Work(), ([], [])
    ours_app, bare = bot_app(slack, store, work, times[0]), bare_app(slack, times[1])
    async with TestClient(TestServer(ours_app)) as ours, TestClient(TestServer(bare)) as b:
        pair = Pair(ours, b, work, times)
        await pair.measure(lambda: command(channel, slack), 20)  # warm up both
        gc.collect()
        gc.freeze()  # what is alive now (libraries, the seeded store) is never rescanned
        report("slash command", *await pair.measure(lambda: command(channel, slack), rounds))
        report("button click", *await pair.measure(lambda: click(channel, key, slack), rounds))


async def run(quick: bool = False) -> None:
    for noisy in ("slack_bolt", "handlers.slack"):  # the fake knows only some runbook people
        logging.getLogger(noisy).setLevel(logging.ERROR)
    count, rounds = (1_000, 500) if quick else (10_000, 2_000)
    async with FakeSlack(TOKEN) as slack:
        channel = slack.add_channel("aiinc-bench", members=[USER, slack.bot_user_id])
        with tempfile.TemporaryDirectory() as folder:
            store = new_store(folder, "slack")
            began = time.perf_counter()
            key = await seed(store, count, channel)
            print(f"seeded {count:,} incidents in {time.perf_counter() - began:.0f} s")
            await compare(slack, store, key, channel, rounds)


if __name__ == "__main__":
    asyncio.run(run(quick="--quick" in sys.argv))
