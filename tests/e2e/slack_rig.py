"""The Slack end-to-end rig: the real aiohttp server with the Slack routes, the fake Slack
Web API behind it, the people of the runbook in the fake workspace, and the steps of the
seed case driven as those people would, through buttons and modals the bot sent.

    async def test_something(rig: Rig) -> None:
        await declared(rig); await acknowledged(rig)

Test modules import the fixtures `slack` and `rig` from here.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from slack_sdk.web.async_client import AsyncWebClient

from bot.alerts import AlertStore
from bot.kill_switch import KillSwitchSender
from bot.permissions import REGULATOR
from bot.ports import Clock
from bot.runbook import Runbook
from bot.service import Deps
from bot.settings import Settings
from handlers.kept import Kept
from handlers.slack.app import build_slack_app
from handlers.slack.chat import SlackChat
from handlers.slack.routes import add_slack_routes
from handlers.slack.web_api import Pacer
from handlers.work import Work
from storage.engine import make_engine
from storage.files import RecordsDir
from storage.inbox import SqlInbox
from storage.migrate import upgrade
from storage.sql import SqlStore
from tests.conftest import SEED_T0
from tests.e2e.slack_driver import SECRET, Answer, Workspace
from tests.fakes.clock import FakeClock
from tests.fakes.slack_api import FakeSlack

TOKEN = "xoxb-test"
LEE, SAM, PRIYA, ALEX = "U0LEE", "U0SAMOKAFOR", "U0PRIYA", "U0ALEX"
JORDAN = "U0JORDAN"  # the compliance role: decides the regulator questions (Q10–Q13)
TITLE = "Report shows another client's figures"
CHANNEL = "aiinc-20260326-report-shows-another-client-s-figures"
KEY = "AI-2026-0001"
T0 = int(SEED_T0.timestamp())
# Answers for the seed case; one that stops a running clock ("controller") needs a reason.
ANSWERS = (
    ("Q1", "unsure"),
    ("Q2", "yes"),
    ("Q3", "unsure"),
    ("Q4", "no"),
    ("Q5", "controller"),
    ("Q7", "yes"),
    ("Q8", "yes"),
    ("Q9", "no"),
    ("Q12", "no"),
    ("Q14", "no"),
)


class Ticks:
    """A clock that moves only when told: the fake's trigger ids and the bot's pacing."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.waits: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds


@dataclass
class Rig:
    ws: Workspace
    slack: FakeSlack
    deps: Deps
    kept: Kept
    ticks: Ticks
    general: str = ""
    room: str = field(default="")

    @property
    def work(self) -> Work:
        return self.kept.work

    @property
    def records(self) -> Path:
        """RECORDS_DIR: where shared files and a closed incident's papers are kept."""
        records = self.deps.records
        assert isinstance(records, RecordsDir)
        return records.root


@asynccontextmanager
async def workspace_slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack with the seed case's people (Priya's account deactivated)."""
    async with FakeSlack(TOKEN, clock=Ticks()) as fake:
        fake.add_user(LEE, "lee@harbourvale.example", "Lee Chen")
        fake.add_user(SAM, "sam@harbourvale.example", "Sam Okafor")
        fake.add_user(PRIYA, "priya@harbourvale.example", "Priya Shah", deleted=True)
        fake.add_user(ALEX, "alex@harbourvale.example", "Alex Morgan")
        yield fake


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    async with workspace_slack() as fake:
        yield fake


def store_at(tmp_path: Path) -> SqlStore:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    upgrade(url)
    return SqlStore(make_engine(url))


def kept_at(tmp_path: Path, clock: Clock, work: Work | None = None) -> Kept:
    """The inbox in the same SQLite file as the store (store_at migrated it)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'incidents.db'}")
    return Kept(SqlInbox(engine), work or Work(), clock)


def signed_off_by_the_lead(runbook: Runbook) -> Runbook:
    """This workspace's runbook: Priya's Slack account is deactivated, so the firm has its
    incident lead give the re-enable sign-off instead of the managing partner."""
    criteria = tuple(
        c.replace("by the managing partner", "by the incident lead")
        for c in runbook.reenable_criteria
    )
    return replace(runbook, reenable_criteria=criteria)


@pytest.fixture
async def rig(slack: FakeSlack, runbook: Runbook, tmp_path: Path) -> AsyncIterator[Rig]:
    async with rig_over(
        slack,
        signed_off_by_the_lead(runbook),
        tmp_path,
        AsyncWebClient(token=TOKEN, base_url=slack.url),
    ) as made:
        yield made
    assert made.kept.work.failures == []


@asynccontextmanager
async def rig_over(
    slack: FakeSlack,
    runbook: Runbook,
    folder: Path,
    client: AsyncWebClient,
    kill_switch: KillSwitchSender | None = None,
    alerts: AlertStore | None = None,
) -> AsyncIterator[Rig]:
    """The bot's Slack app over `client` and a SQLite file in `folder`, signed requests in."""
    ticks = Ticks()
    store = store_at(folder)
    chat = SlackChat(client, runbook, Pacer(1.0, ticks, ticks.sleep), store)
    clock = FakeClock(SEED_T0 + timedelta(minutes=10))
    records = RecordsDir(folder / "records")
    deps = Deps(runbook, store, chat, clock, records, kill_switch=kill_switch, alerts=alerts)
    kept = kept_at(folder, clock)
    app = web.Application()
    add_slack_routes(app, build_slack_app(deps, settings_for(slack), chat, kept=kept), SECRET)
    async with TestClient(TestServer(app)) as http:
        general = slack.add_channel("general", is_private=False, members=[LEE, SAM, ALEX])
        yield Rig(Workspace(http, slack, kept.work), slack, deps, kept, ticks, general)


def settings_for(slack: FakeSlack) -> Settings:
    return Settings(slack_bot_token=TOKEN, slack_signing_secret=SECRET, slack_api_url=slack.url)


async def declared(rig: Rig, aware_at: int = T0) -> str:
    assert (await rig.ws.command(LEE, rig.general, f"declare {TITLE}")).status == 200
    form = rig.ws.opened(LEE)
    answers = {
        "system": "drafting-assistant",
        "failure_type": "context_leakage",
        "noticed": "Acme's Q1 report shows Brightside's revenue",
        "aware_at": aware_at,
    }
    answer = await rig.ws.submit(LEE, form, answers)
    assert (answer.status, answer.body) == (200, "")
    incident = await rig.deps.store.load(KEY)
    assert incident is not None and incident.room is not None
    rig.room = incident.room.id
    return rig.room


async def acknowledged(rig: Rig) -> None:
    await rig.ws.click(SAM, rig.ws.message_with(rig.room, "ack:incident_lead"), "ack:incident_lead")


async def contained(rig: Rig) -> None:
    for step in range(3):
        action = f"contain:{step}:done"
        await rig.ws.click(SAM, rig.ws.message_with(rig.room, action), action)
    action = "contain:3:not_possible"
    await rig.ws.click(SAM, rig.ws.message_with(rig.room, action), action)
    await rig.ws.submit(SAM, rig.ws.opened(SAM), {"text": "The vendor holds the key"})


async def classified(rig: Rig) -> None:
    if JORDAN not in rig.slack.state.users:  # he joins Slack to answer the ICAEW question
        rig.slack.add_user(JORDAN, "jordan@harbourvale.example", "Jordan Ellis")
    for question, value in ANSWERS:
        action = f"classify:{question}:{value}"
        before = len(rig.slack.views)
        who = JORDAN if question in REGULATOR else ALEX  # the DPO decides the rest
        await rig.ws.click(who, rig.ws.message_with(rig.room, action), action)
        if len(rig.slack.views) > before:  # the answer stops a clock: the bot asks why
            await rig.ws.submit(who, rig.ws.opened(who), {"text": f"{question}: ruled out"})


async def closed(rig: Rig) -> Answer:
    """The seed case through to close; the close form's first answer (refused: no
    re-enable criteria ticked) is returned."""
    await declared(rig)
    await acknowledged(rig)
    await contained(rig)
    await classified(rig)
    for clock in ("ico_art33", "cyber_insurer", "client_contract_acme", "pi_insurer"):
        action = f"obligation:{clock}:done"
        await rig.ws.click(ALEX, rig.ws.message_with(rig.room, action), action)
        await rig.ws.submit(ALEX, rig.ws.opened(ALEX), {"text": f"{clock} told, ref 77"})
    await rig.ws.command(SAM, rig.room, "close")
    form = rig.ws.opened(SAM)
    answers = {
        "root_cause": "Cache keyed without client id",
        "failure_type": "context_leakage",
        "lessons": "Key caches by client",
        "must_contain": "Acme",
    }
    refused = await rig.ws.submit(SAM, form, answers)
    everything = answers | {"reenable": rig.deps.runbook.reenable_criteria}
    assert (await rig.ws.submit(SAM, form, everything)).body == ""
    return refused
