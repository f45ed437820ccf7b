"""The composition root: the one place that builds real collaborators and wires them.

app = build(load_settings(os.environ))   # an aiohttp Application, not yet serving
"""

from __future__ import annotations

import asyncio
import errno
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ai_incident.database import migrate, open_store
from bot.logs import configure as configure_log
from bot.settings import Settings, SettingsError
from storage.engine import make_engine
from storage.schema import schema_is_current, schema_problem

# The platforms' SDKs, the web server and Alembic are imported where they are used: a
# command that only reads the store starts without them, and a server imports Slack or
# Teams only when it is configured for it (the Teams SDK alone is ~70 MB).
if TYPE_CHECKING:
    from aiohttp import web

    from bot.ports import Chat
    from bot.runbook import Runbook
    from bot.service import Deps
    from handlers.kept import Kept
    from handlers.kill_switch import HttpKillSwitch
    from handlers.reminders import Ticker
    from handlers.slack.chat import SlackChat
    from storage.alerts import SqlAlerts
    from storage.sql import SqlStore

log = logging.getLogger("ai_incident")
SHUTDOWN_S = 10.0  # how long Slack work already acked may run on at shutdown


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


def build(settings: Settings, runbook: Runbook | None = None) -> web.Application:
    """Load the runbook (refusing an invalid one), migrate, and wire every part."""
    from aiohttp import web

    from bot.runbook_parse import load_runbook
    from handlers.alerts import add_alerts
    from handlers.reminders import Ticker
    from handlers.server import add_health
    from handlers.web.board import add_board
    from handlers.web.gate import Gate, guard_hosts

    runbook = runbook or load_runbook(settings.runbook_path)
    store = open_store(settings, apart=True)  # a migration's Alembic stays out of the server
    app = web.Application()
    gate = Gate.of(settings.host, settings.allowed_hosts, settings.trusted_proxies)
    if settings.platforms != ("web",):  # the web chat guards its own (loopback) names
        app.middlewares.append(guard_hosts(gate))
    if settings.platforms == ("web",):
        deps = _web(app, settings, runbook, store)
    else:
        deps = _platforms(app, settings, runbook, store)
    # With Slack or Teams set, the board always needs BOARD_TOKEN (without one it is off).
    local_only = _loopback(settings.host) and settings.platforms == ("web",)
    add_board(app, deps, settings.board_token, open_to_loopback=local_only, gate=gate)
    add_alerts(app, deps, settings.alerts_token, settings.alerts_secret)
    ticker = Ticker(deps, settings.tick_seconds)
    engine = make_engine(settings.database_url)
    add_health(app, store, lambda: ticker.sweeps, lambda: asyncio.to_thread(schema_problem, engine))
    app.on_startup.append(lambda _app: _start(ticker))
    app.on_cleanup.append(lambda _app: _stop(ticker))
    return app


def _web(app: web.Application, settings: Settings, runbook: Runbook, store: SqlStore) -> Deps:
    """The local web chat, on a clock a person may move forward."""
    from bot.service import Deps
    from handlers.web.chat import OffsetClock, WebChat
    from handlers.web.routes import add_web_chat
    from storage.files import RecordsDir

    _loopback_only(settings)
    clock = OffsetClock(SystemClock())
    clock.advance(timedelta(seconds=settings.clock_offset_s))
    chat = WebChat(runbook)
    records = RecordsDir(settings.records_dir)
    deps = Deps(runbook, store, chat, clock, records, _sender(settings), _alerts(settings))
    add_web_chat(app, deps, chat, clock)
    return deps


def _platforms(app: web.Application, settings: Settings, runbook: Runbook, store: SqlStore) -> Deps:
    """Slack, Teams or both, on the real clock; each room's messages go to its platform.
    Both keep what they are sent in one inbox, swept by one sweeper."""
    _emulator_on_loopback(settings)
    from bot.service import Deps
    from handlers.kept import Kept, add_inbox_sweeps
    from handlers.platforms import ByPlatform
    from handlers.work import Work
    from storage.files import RecordsDir
    from storage.inbox import SqlInbox

    chats = ByPlatform()
    records = RecordsDir(settings.records_dir)
    deps = Deps(runbook, store, chats, SystemClock(), records, _sender(settings), _alerts(settings))
    engine = make_engine(settings.database_url)
    kept = Kept(SqlInbox(engine), Work(), deps.clock)
    if "slack" in settings.platforms:
        chats.add("slack", _slack(app, settings, deps, kept))
    if "teams" in settings.platforms:
        from handlers.teams.wiring import add_teams

        chats.add("teams", add_teams(app, deps, settings, engine, kept))
    add_inbox_sweeps(app, kept, settings.tick_seconds)
    app.on_shutdown.append(lambda _app: kept.work.finish(SHUTDOWN_S))
    return deps


def _slack(app: web.Application, settings: Settings, deps: Deps, kept: Kept) -> SlackChat:
    """Slack on the real clock: the Events API route when a signing secret is set, Socket
    Mode when an app token is (both may be)."""
    from handlers.slack.app import build_slack_app
    from handlers.slack.chat import SlackChat
    from handlers.slack.routes import add_slack_routes, add_socket_mode

    runbook, store = deps.runbook, deps.store
    chat = SlackChat.connect(settings.slack_bot_token, settings.slack_api_url, runbook, store)
    bolt = build_slack_app(deps, settings, chat, kept=kept)
    if settings.slack_signing_secret:
        add_slack_routes(app, bolt, settings.slack_signing_secret)
    if settings.slack_app_token:
        add_socket_mode(app, bolt, settings.slack_app_token)
    return chat


def kill_switch_deps(settings: Settings, chat: Chat) -> Deps:
    """For `ai-incident kill-switch`: the store, the real clock and the sender."""
    from bot.runbook_parse import load_runbook
    from bot.service import Deps

    runbook = load_runbook(settings.runbook_path)
    return Deps(runbook, open_store(settings), chat, SystemClock(), None, _sender(settings))


def open_alerts(settings: Settings) -> SqlAlerts:
    """For `ai-incident alerts`."""
    from storage.alerts import SqlAlerts

    engine = make_engine(settings.database_url)
    if not schema_is_current(engine):
        migrate(settings)
    return SqlAlerts(engine)


def _alerts(settings: Settings) -> SqlAlerts | None:
    """Alerts in only with a token or secret to check them by (else POST /alerts is 404)."""
    if not (settings.alerts_token or settings.alerts_secret):
        return None
    from storage.alerts import SqlAlerts

    return SqlAlerts(make_engine(settings.database_url))


def _sender(settings: Settings) -> HttpKillSwitch:
    from handlers.kill_switch import HttpKillSwitch

    return HttpKillSwitch(settings.kill_switch_secret, settings.env)


def _loopback(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1")


def _loopback_only(settings: Settings) -> None:
    """The local web chat lets anyone speak as anyone: it never listens beyond this machine."""
    if not _loopback(settings.host):
        raise SettingsError(
            f"HOST={settings.host}: the local web chat has no login, so it only listens on "
            "127.0.0.1. Configure Slack or Teams to serve on other addresses."
        )


def _emulator_on_loopback(settings: Settings) -> None:
    """Emulator mode checks no Teams token: it never listens beyond this machine."""
    if settings.teams_emulator and not _loopback(settings.host):
        raise SettingsError(
            f"HOST={settings.host}: TEAMS_EMULATOR=1 turns Teams authentication off, so it "
            "only listens on 127.0.0.1. Set TEAMS_APP_ID (and unset TEAMS_EMULATOR) to serve "
            "Teams on other addresses."
        )


async def _start(ticker: Ticker) -> None:
    ticker.start()
    await ticker.plan_next()


async def _stop(ticker: Ticker) -> None:
    await ticker.stop()


def teams_package(out: Path, app_id: str, dedicated_channels: bool = False) -> Path:
    """The installable Teams app zip (handlers.teams.package), for `ai-incident teams-package`."""
    from handlers.teams.package import write_package

    return write_package(out, app_id, dedicated_channels=dedicated_channels)


def serve(settings: Settings) -> None:
    configure_log(settings.log_format)
    from aiohttp import web

    app = build(settings)
    what = (
        "the local web chat" if settings.platforms == ("web",) else " and ".join(settings.platforms)
    )
    where = f"{settings.host}:{settings.port}"
    try:  # said once listening, not before: a port in use must not look like a start
        web.run_app(
            app,
            host=settings.host,
            port=settings.port,
            print=lambda _said: log.info("ai-incident serving %s on http://%s/", what, where),
        )
    except OSError as error:
        if error.errno not in (errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES):
            raise
        said = f"PORT={settings.port}: cannot listen on {where} ({_why(error)})."
        raise SettingsError(said) from None


def _why(error: OSError) -> str:
    if error.errno == errno.EADDRINUSE:
        return "another program is already listening there; stop it or choose another PORT"
    if error.errno == errno.EACCES:
        return "not allowed to use this port; choose one above 1023"
    return "this machine has no such address; check HOST"
