"""Settings: the only code that reads the environment, once, from a mapping you pass in.

settings = load_settings(os.environ)
settings.platform   # -> "web" when no Slack or Teams credentials are set
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite:///var/ai-incident.db"
DATABASES = ("sqlite", "postgresql", "postgres")  # a scheme's part before any "+driver"
DEFAULT_FOLDER = Path("var")  # the one folder a SQLite file may be created in


class SettingsError(Exception):
    """A setting is missing or malformed; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    runbook_path: Path = Path("runbook.yaml")
    host: str = "127.0.0.1"
    port: int = 3000
    slack_bot_token: str = ""
    slack_signing_secret: str = ""
    slack_app_token: str = ""
    slack_api_url: str = "https://slack.com/api/"
    teams_app_id: str = ""
    teams_app_password: str = ""
    teams_tenant_id: str = ""
    board_token: str = ""
    records_dir: Path = Path("var/records")  # reports, register entries, regression cases
    tick_seconds: float = 5.0
    clock_offset_s: float = 0.0  # local web chat only: start with the clock moved forward
    kill_switch_secret: str = ""  # signs kill-switch requests (X-AI-Incident-Signature)
    alerts_token: str = ""  # POST /alerts: Authorization: Bearer …
    alerts_secret: str = ""  # POST /alerts: X-Alert-Signature
    env: Mapping[str, str] = field(default_factory=dict)  # resolves ${NAME} in action headers
    log_format: str = "text"  # or "json", one object a line for log shippers

    @property
    def platforms(self) -> tuple[str, ...]:
        found: tuple[str, ...] = ("slack",) if self.slack_bot_token else ()
        found += ("teams",) if self.teams_app_id else ()
        return found or ("web",)

    def __repr__(self) -> str:  # secrets never reach a log line through repr
        return f"Settings(database_url=<set>, platforms={self.platforms}, port={self.port})"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise SettingsError(f"{name} must be a whole number, not {raw!r}.")
    return int(raw)


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    try:
        return float(raw) if raw else default
    except ValueError:
        raise SettingsError(f"{name} must be a number of seconds, not {raw!r}.") from None


def _check_slack(env: Mapping[str, str]) -> None:
    if env.get("SLACK_BOT_TOKEN") and not (
        env.get("SLACK_SIGNING_SECRET") or env.get("SLACK_APP_TOKEN")
    ):
        raise SettingsError(
            "SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is missing "
            "(or set SLACK_APP_TOKEN for Socket Mode)."
        )


def load_settings(env: Mapping[str, str]) -> Settings:
    _check_slack(env)
    if env.get("TEAMS_APP_ID") and not env.get("TEAMS_APP_PASSWORD"):
        raise SettingsError("TEAMS_APP_ID is set but TEAMS_APP_PASSWORD is missing.")
    return Settings(
        database_url=_database_url(env),
        runbook_path=Path(env.get("RUNBOOK_PATH") or "runbook.yaml"),
        host=env.get("HOST") or "127.0.0.1",
        port=_int(env, "PORT", 3000),
        slack_bot_token=env.get("SLACK_BOT_TOKEN", ""),
        slack_signing_secret=env.get("SLACK_SIGNING_SECRET", ""),
        slack_app_token=env.get("SLACK_APP_TOKEN", ""),
        slack_api_url=env.get("SLACK_API_URL") or "https://slack.com/api/",
        teams_app_id=env.get("TEAMS_APP_ID", ""),
        teams_app_password=env.get("TEAMS_APP_PASSWORD", ""),
        teams_tenant_id=env.get("TEAMS_TENANT_ID", ""),
        board_token=env.get("BOARD_TOKEN", ""),
        records_dir=Path(env.get("RECORDS_DIR") or "var/records"),
        tick_seconds=_float(env, "TICK_SECONDS", 5.0),
        clock_offset_s=_offset(env),
        kill_switch_secret=env.get("KILL_SWITCH_SECRET", ""),
        alerts_token=env.get("ALERTS_TOKEN", ""),
        alerts_secret=env.get("ALERTS_SECRET", ""),
        env=dict(env),
        log_format=_log_format(env),
    )


def _log_format(env: Mapping[str, str]) -> str:
    raw = (env.get("LOG_FORMAT") or "text").strip().lower()
    if raw not in ("text", "json"):
        raise SettingsError(f"LOG_FORMAT must be text or json, not {raw!r}.")
    return raw


def _database_url(env: Mapping[str, str]) -> str:
    """A URL for a supported database; a SQLite file only where its folder exists (a typo
    must not start a second, empty incident history), except the default `var/`."""
    url = env.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+")[0] not in DATABASES:
        shown = f"{scheme}://…" if sep else "a URL without a scheme"
        raise SettingsError(
            f"DATABASE_URL is {shown}: use sqlite:///path/to/file.db or postgresql://…"
        )
    if scheme.startswith("sqlite") and rest.startswith("/") and rest not in ("/", "/:memory:"):
        _sqlite_folder(Path(rest[1:].split("?")[0]))
    return url


def _sqlite_folder(file: Path) -> None:
    folder = file.parent
    if folder != DEFAULT_FOLDER and not folder.is_dir() and not str(file).startswith("file:"):
        raise SettingsError(
            f"DATABASE_URL names a SQLite file in {folder}/, which does not exist: "
            "create the folder or correct the path."
        )


def _offset(env: Mapping[str, str]) -> float:
    offset = _float(env, "CLOCK_OFFSET_SECONDS", 0.0)
    if offset and (env.get("SLACK_BOT_TOKEN") or env.get("TEAMS_APP_ID")):
        raise SettingsError(
            "CLOCK_OFFSET_SECONDS only exists for the local web chat; "
            "a Slack or Teams bot runs on the real clock."
        )
    if offset < 0:
        raise SettingsError("CLOCK_OFFSET_SECONDS moves the clock forward only.")
    return offset
