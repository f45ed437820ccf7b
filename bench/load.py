"""Load: signed Slack requests at rising rates against the real server, beside a bare Bolt app.

The bot runs as `ai-incident serve` (a process of its own, Slack over HTTP, its Web API the
fake Slack in this process) over SQLite, then over PostgreSQL, with 10,000 incidents stored.
A bare Bolt app that only acks runs as a second process. At each rate both get the same
open-loop stream (requests sent on schedule whether or not earlier ones were answered):
`/ai-incident status` typed in an incident's channel and clicks on a containment step's
Done button, alternating. Reports, per rate: ack p50/p99 as the client sees it, errors
(non-200 or no answer within 10 s), and each process's RSS idle and at its peak under load.
Targets: p99 ≤ 1.5× the bare app; no errors below the rate where the bare app degrades;
idle RSS ≤ 150 MB.

    python -m bench load [--quick]      # quick: 1,000 incidents, shorter and lower rates
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import psycopg
from aiohttp import web

from bench import slack_ack
from bench.reminders import percentile
from bench.slack_ack import TOKEN, USER, bare_app, command, seed
from storage.engine import driver_url, make_engine
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.e2e.slack_driver import SECRET, signed
from tests.fakes.slack_api import FakeSlack
from tests.faults.servers import ServerProcess

FORM = "application/x-www-form-urlencoded"
POSTGRES = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
TIMEOUT_S = 10.0


@dataclass
class Step:
    """What one app did at one rate: ack times by kind of request ("status", "click")."""

    rate: float
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    peak_rss_mb: float = 0.0

    def all(self) -> list[float]:
        return [t for times in self.latencies.values() for t in times]

    def p99(self, kind: str = "") -> float:
        times = self.latencies.get(kind, []) if kind else self.all()
        return percentile(times, 0.99) if times else float("nan")

    def line(self, name: str) -> str:
        if not self.all():
            return f"{name}: no answers, {self.errors} errors"
        kinds = " ".join(f"{k} {self.p99(k) * 1000:.1f}" for k in sorted(self.latencies))
        return (
            f"{name}: p50 {percentile(self.all(), 0.5) * 1000:.1f} ms "
            f"p99 {self.p99() * 1000:.1f} ms ({kinds}), "
            f"{self.errors} errors, peak RSS {self.peak_rss_mb:.0f} MB"
        )


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(x for x in status if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def click(channel: str, key: str, slack: FakeSlack) -> str:
    return slack_ack.click(channel, key, slack, action_ts=f"{time.time():.6f}")


async def one(http: aiohttp.ClientSession, url: str, sent: tuple[str, str], step: Step) -> None:
    kind, body = sent
    headers = {"Content-Type": FORM, **signed(body)}
    began = time.perf_counter()
    try:
        async with http.post(url, data=body, headers=headers) as answer:
            await answer.read()
            ok = answer.status == 200
    except (aiohttp.ClientError, TimeoutError):
        ok = False
    if ok:
        step.latencies.setdefault(kind, []).append(time.perf_counter() - began)
    else:
        step.errors += 1


async def drive(
    url: str, pid: int, rate: float, seconds: float, body: Callable[[int], tuple[str, str]]
) -> Step:
    """Open loop: request n leaves at n/rate s whatever happened to the others."""
    step = Step(rate)
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_S)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as http:
        began, tasks = time.perf_counter(), []
        for n in range(int(rate * seconds)):
            wait = began + n / rate - time.perf_counter()
            if wait > 0:
                await asyncio.sleep(wait)
            tasks.append(asyncio.create_task(one(http, url, body(n), step)))
            step.peak_rss_mb = max(step.peak_rss_mb, rss_mb(pid))
        while not all(t.done() for t in tasks):
            step.peak_rss_mb = max(step.peak_rss_mb, rss_mb(pid))
            await asyncio.sleep(0.1)
    return step


def bare_command(api_url: str) -> list[str]:
    code = f"from bench.load import serve_bare; serve_bare({{port}}, {api_url!r})"
    return [sys.executable, "-c", code]


def serve_bare(port: int, api_url: str) -> None:
    """The bare Bolt app in a process of its own; Bolt asks auth.test once, nothing else."""
    slack = FakeSlack(TOKEN)
    slack.url = api_url
    app = bare_app(slack, [])
    app.router.add_get("/healthz", healthz)
    web.run_app(app, host="127.0.0.1", port=port, print=None)


async def healthz(_request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


@asynccontextmanager
async def postgres_schema() -> AsyncIterator[str]:
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    libpq = driver_url(POSTGRES).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(libpq, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    scoped = driver_url(POSTGRES).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with psycopg.connect(libpq, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


async def against(name: str, url: str, count: int, rates: list[float], seconds: float) -> None:
    async with FakeSlack(TOKEN) as slack:
        channel = slack.add_channel("aiinc-bench", members=[USER, slack.bot_user_id])
        upgrade(url)
        engine = make_engine(url)
        began = time.perf_counter()
        key = await seed(SqlStore(engine), count, channel)
        engine.dispose()
        print(f"{name}: seeded {count:,} incidents in {time.perf_counter() - began:.0f} s")
        with tempfile.TemporaryDirectory() as folder:
            env = {
                "DATABASE_URL": url,
                "SLACK_BOT_TOKEN": TOKEN,
                "SLACK_SIGNING_SECRET": SECRET,
                "SLACK_API_URL": slack.url,
                "TICK_SECONDS": "5",
            }
            bot = ServerProcess(env, Path(folder) / "bot.log")
            bare = ServerProcess({}, Path(folder) / "bare.log", bare_command(slack.url))
            try:
                await bot.ready()
                await bare.ready()
                await compare(name, (bot, bare), (channel, key, slack), rates, seconds)
            finally:
                bot.kill()
                bare.kill()


async def compare(
    name: str,
    apps: tuple[ServerProcess, ServerProcess],
    where: tuple[str, str, FakeSlack],
    rates: list[float],
    seconds: float,
) -> None:
    bot, bare = apps
    channel, key, slack = where

    def body(n: int) -> tuple[str, str]:
        if n % 2:
            return "status", command(channel, slack)
        return "click", click(channel, key, slack)

    for app in apps:  # warm up: first requests load code paths and fill caches
        await drive(app.url + "/slack/events", app.process.pid, 10, 1, body)
    idle = (rss_mb(bot.process.pid), rss_mb(bare.process.pid))
    print(f"{name}: idle RSS bot {idle[0]:.0f} MB, bare Bolt {idle[1]:.0f} MB (target ≤ 150)")
    for n, rate in enumerate(rates):
        order = (bot, bare) if n % 2 else (bare, bot)
        steps = {}
        for app in order:
            steps[app] = await drive(
                app.url + "/slack/events", app.process.pid, rate, seconds, body
            )
        ours, theirs = steps[bot], steps[bare]
        ratio = ours.p99() / theirs.p99()
        print(
            f"{name} {rate:g}/s: {ours.line('bot')}; {theirs.line('bare')}; "
            f"p99 ratio {ratio:.2f} (target ≤ 1.5)"
        )


async def run(quick: bool = False) -> None:
    for noisy in ("slack_bolt", "handlers.slack", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    count = 1_000 if quick else 10_000
    rates = [10.0, 40.0, 100.0, 200.0] if quick else [10.0, 25.0, 50.0, 100.0, 200.0, 400.0]
    seconds = 4.0 if quick else 10.0
    with tempfile.TemporaryDirectory() as folder:
        await against("sqlite", f"sqlite:///{folder}/load.db", count, rates, seconds)
    try:
        async with postgres_schema() as url:
            await against("postgresql", url, count, rates, seconds)
    except psycopg.OperationalError as error:
        print(f"postgresql: skipped, no server at {driver_url(POSTGRES)!r}: {error}")


if __name__ == "__main__":
    asyncio.run(run(quick="--quick" in sys.argv))
