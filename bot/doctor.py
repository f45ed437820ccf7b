"""`ai-incident doctor`: what an installer checks before the first incident, without
contacting Slack or Teams — the settings and runbook taken together (the database is
checked by the caller, which may reach it).

    for finding in findings(settings, runbook):
        print(finding.line())          # "✓ Slack: …", "! Teams: …", "✗ Teams: …"

A problem (✗) is what stops the bot working as configured; a warning (!) is what will
surprise someone on the day (people the bot must look up, a board nobody can open).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.runbook import GUID, Runbook
from bot.settings import Settings

LOOPBACK = ("127.0.0.1", "localhost", "::1")
OK, WARNING, PROBLEM = "✓", "!", "✗"


@dataclass(frozen=True)
class Finding:
    level: str
    topic: str
    said: str

    def line(self) -> str:
        return f"{self.level} {self.topic}: {self.said}"


def findings(settings: Settings, runbook: Runbook) -> list[Finding]:
    found = [Finding(OK, "runbook", _runbook(runbook))]
    platforms = settings.platforms
    if platforms == ("web",):
        found.append(Finding(OK, "platform", "the local web chat (no Slack or Teams set)"))
        if settings.host not in LOOPBACK:
            said = "the local web chat listens on loopback only; HOST must be 127.0.0.1"
            found.append(Finding(PROBLEM, "HOST", said))
    if "slack" in platforms:
        found += _slack(settings, runbook)
    if "teams" in platforms:
        found += _teams(settings, runbook)
    if platforms != ("web",) and not settings.board_token:
        said = "BOARD_TOKEN is not set: with Slack or Teams the board is off until it is"
        found.append(Finding(PROBLEM, "board", said))
    elif settings.host not in LOOPBACK and not settings.board_token:
        said = f"HOST is {settings.host} and BOARD_TOKEN is not set: nobody can open /board"
        found.append(Finding(WARNING, "board", said))
    return found


def _runbook(runbook: Runbook) -> str:
    roles = ", ".join(f"{r} {' → '.join(chain)}" for r, chain in runbook.roles.items())
    return (
        f"{runbook.firm.name}: {len(runbook.people)} people, {len(runbook.systems)} AI "
        f"systems; {roles}"
    )


def _slack(settings: Settings, runbook: Runbook) -> list[Finding]:
    modes = [
        *(["Events API at POST /slack/events"] if settings.slack_signing_secret else []),
        *(["Socket Mode"] if settings.slack_app_token else []),
    ]
    found = [Finding(OK, "Slack", " and ".join(modes))]
    if settings.slack_signing_secret and settings.host in LOOPBACK:
        said = "HOST is loopback: Slack reaches the Events API only through a proxy or tunnel"
        found.append(Finding(WARNING, "Slack", said))
    unnamed = [p.id for p in runbook.people if not p.slack]
    if unnamed:
        said = f"found by email at first use (no slack id): {', '.join(unnamed)}"
        found.append(Finding(WARNING, "Slack people", said))
    return found


def _teams(settings: Settings, runbook: Runbook) -> list[Finding]:
    rooms = runbook.rooms
    found: list[Finding] = []
    if settings.teams_emulator:
        found += _teams_emulator(settings)
    elif not GUID.fullmatch(settings.teams_app_id):
        said = "TEAMS_APP_ID is not the bot's GUID: requests will not authenticate"
        found.append(Finding(PROBLEM, "Teams", said))
    else:
        found.append(Finding(OK, "Teams", "POST /api/messages, tokens checked for this app id"))
    if not rooms.teams_channel_id and not rooms.teams_dedicated_channels:
        said = "the runbook names no incidents channel (rooms.teams.channel_id)"
        found.append(Finding(PROBLEM, "Teams rooms", said))
    if rooms.teams_dedicated_channels:
        if settings.teams_tenant_id:
            said = "a channel per incident (the app needs Channel.Create.Group in the team)"
            found.append(Finding(OK, "Teams rooms", said))
        else:
            said = "dedicated_channels needs TEAMS_TENANT_ID; incidents will open as threads"
            found.append(Finding(PROBLEM, "Teams rooms", said))
        if not rooms.teams_channel_id:
            said = "no rooms.teams.channel_id to fall back to if a channel cannot be made"
            found.append(Finding(WARNING, "Teams rooms", said))
    elif rooms.teams_channel_id:
        found.append(
            Finding(OK, "Teams rooms", f"a thread per incident in {rooms.teams_channel_id}")
        )
    return found + _teams_tenant(settings)


def _teams_emulator(settings: Settings) -> list[Finding]:
    said = "emulator mode (TEAMS_EMULATOR=1): Teams authentication is OFF, loopback only"
    found = [Finding(WARNING, "Teams", said)]
    if settings.host not in LOOPBACK:
        said = f"emulator mode serves loopback only; HOST is {settings.host}, so serve refuses"
        found.append(Finding(PROBLEM, "HOST", said))
    return found


def _teams_tenant(settings: Settings) -> list[Finding]:
    """SingleTenant needs the firm's tenant; MultiTenant should name the tenants it answers."""
    if settings.teams_emulator:
        return []
    if settings.teams_app_type == "MultiTenant":
        allowed = ", ".join(settings.teams_allowed_tenants)
        if not allowed:
            said = "MultiTenant and TEAMS_ALLOWED_TENANTS is not set: any tenant can use the bot"
            return [Finding(WARNING, "Teams tenant", said)]
        return [Finding(OK, "Teams tenant", f"MultiTenant, answering tenants {allowed}")]
    if not settings.teams_tenant_id:
        said = "SingleTenant needs TEAMS_TENANT_ID (the Azure Bot's Configuration page)"
        return [Finding(PROBLEM, "Teams tenant", said)]
    said = f"SingleTenant, answering tenant {settings.teams_tenant_id} alone"
    return [Finding(OK, "Teams tenant", said)]
