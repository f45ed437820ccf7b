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
    teams_app_type: str = "SingleTenant"  # or "MultiTenant" (TEAMS_APP_TYPE)
    teams_allowed_tenants: tuple[str, ...] = ()  # MultiTenant: the tenants it answers
    teams_emulator: bool = False  # TEAMS_EMULATOR=1 without TEAMS_APP_ID: no Teams auth
    board_token: str = ""
    allowed_hosts: str = ""  # names the board and web chat answer to, besides loopback's
    trusted_proxies: str = ""  # proxy addresses whose X-Forwarded-Proto is believed
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
        found += ("teams",) if self.teams_app_id or self.teams_emulator else ()
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


APP_TYPES = ("SingleTenant", "MultiTenant")
NO_TENANT = (
    "TEAMS_TENANT_ID is missing: a SingleTenant bot gets its tokens from the firm's own "
    "tenant. It is the Directory (tenant) ID on the Azure Bot's Configuration page (also on "
    "the app registration's Overview in Microsoft Entra ID). For a MultiTenant Azure Bot set "
    "TEAMS_APP_TYPE=MultiTenant instead."
)


@dataclass(frozen=True)
class TeamsAuth:
    app_type: str = "SingleTenant"
    allowed_tenants: tuple[str, ...] = ()
    emulator: bool = False


def _tenants(raw: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(t.strip() for t in raw.split(",") if t.strip()))


def teams_settings(env: Mapping[str, str]) -> TeamsAuth:
    """The Teams app's type and tenants, refused as Teams would fail on them."""
    app_id = env.get("TEAMS_APP_ID", "").strip()
    emulator = env.get("TEAMS_EMULATOR", "").strip().lower() in ("1", "true", "yes")
    if emulator and app_id:
        raise SettingsError(
            "TEAMS_EMULATOR=1 is for trying the bot without an app: unset "
            "TEAMS_APP_ID (or TEAMS_EMULATOR) ."
        )
    raw_type = env.get("TEAMS_APP_TYPE", "").strip() or "SingleTenant"
    app_type = next((t for t in APP_TYPES if t.lower() == raw_type.lower()), "")
    if not app_type:
        raise SettingsError(
            f"TEAMS_APP_TYPE must be SingleTenant or MultiTenant, not {raw_type!r}."
        )
    allowed = _tenants(env.get("TEAMS_ALLOWED_TENANTS", ""))
    if allowed and app_type != "MultiTenant":
        raise SettingsError(
            "TEAMS_ALLOWED_TENANTS is for TEAMS_APP_TYPE=MultiTenant; a "
            "SingleTenant bot answers TEAMS_TENANT_ID alone."
        )
    if app_id and not env.get("TEAMS_APP_PASSWORD"):
        raise SettingsError("TEAMS_APP_ID is set but TEAMS_APP_PASSWORD is missing.")
    if app_id and app_type == "SingleTenant" and not env.get("TEAMS_TENANT_ID", "").strip():
        raise SettingsError(NO_TENANT)
    return TeamsAuth(app_type, allowed, emulator)


def load_settings(env: Mapping[str, str]) -> Settings:
    _check_slack(env)
    teams = teams_settings(env)
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
        teams_tenant_id=env.get("TEAMS_TENANT_ID", "").strip(),
        teams_app_type=teams.app_type,
        teams_allowed_tenants=teams.allowed_tenants,
        teams_emulator=teams.emulator,
        board_token=env.get("BOARD_TOKEN", ""),
        allowed_hosts=env.get("ALLOWED_HOSTS", ""),
        trusted_proxies=env.get("TRUSTED_PROXIES", ""),
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
