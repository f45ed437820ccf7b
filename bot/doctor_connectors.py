"""`doctor` on the connectors: the kill-switch actions' secrets and the alerts' triage room.

connector_findings(settings, runbook)   # [Finding("✗", "kill switch", "FLAGS_TOKEN …")]
"""

from __future__ import annotations

from bot.doctor import OK, PROBLEM, WARNING, Finding
from bot.runbook import Runbook
from bot.runbook_actions import ENV_REFERENCE
from bot.settings import Settings


def _kill_switch(settings: Settings, runbook: Runbook) -> list[Finding]:
    actions = [a for s in runbook.systems for a in s.actions if a is not None]
    if not actions:
        return []
    live = [a for a in actions if not a.dry_run]
    needed = {
        m.group(1) for a in live for _, value in a.headers for m in ENV_REFERENCE.finditer(value)
    }
    missing = sorted(name for name in needed if not settings.env.get(name))
    if live and not settings.kill_switch_secret:
        missing.insert(0, "KILL_SWITCH_SECRET")
    if missing:
        said = f"{', '.join(missing)} not set: Run will fail and send nothing"
        return [Finding(PROBLEM, "kill switch", said)]
    return [Finding(OK, "kill switch", f"{len(actions)} action(s), {len(live)} live")]


def _alerts(settings: Settings, runbook: Runbook) -> list[Finding]:
    if not (settings.alerts_token or settings.alerts_secret):
        return []
    if not runbook.rooms.triage:
        said = "ALERTS_TOKEN/ALERTS_SECRET set but no rooms.triage: alerts are kept, not shown"
        return [Finding(WARNING, "alerts", said)]
    if runbook.rooms.triage.startswith("#") and settings.platforms != ("web",):
        said = f"rooms.triage is {runbook.rooms.triage}, a web chat room: name a channel id"
        return [Finding(PROBLEM, "alerts", said)]
    return [Finding(OK, "alerts", f"POST /alerts, cards in {runbook.rooms.triage}")]


def connector_findings(settings: Settings, runbook: Runbook) -> list[Finding]:
    return _kill_switch(settings, runbook) + _alerts(settings, runbook)
