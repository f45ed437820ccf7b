"""The installable Teams app: teams/manifest.json with the app id filled in, and its icons.

    write_package(Path("ai-incident-teams.zip"), "3f2b…-…")   # upload it in Teams' admin centre

The template's placeholder id (all zeros) keeps it valid against Microsoft's schema; the
app id goes in as the app's id, the bot's and its message extension's (the message action
"Add to incident timeline"). Where the runbook asks for a channel per
incident, the package also asks for the resource-specific permission Channel.Create.Group
(granted by the team owner who adds the app; nothing wider, and only then).
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

from bot.runbook import GUID

TEMPLATE = Path(__file__).resolve().parents[2] / "teams"
ICONS = ("color.png", "outline.png")


class NotAnAppId(ValueError):
    """The app id is not the GUID Microsoft Entra gave the bot's registration."""


CHANNELS = {"name": "Channel.Create.Group", "type": "Application"}


def manifest(
    app_id: str, template: Path = TEMPLATE, *, dedicated_channels: bool = False
) -> dict[str, Any]:
    if not GUID.fullmatch(app_id):
        raise NotAnAppId(f"TEAMS_APP_ID must be the bot's GUID, e.g. 3f2b1c4d-…, not {app_id!r}.")
    found: dict[str, Any] = json.loads((template / "manifest.json").read_text(encoding="utf-8"))
    found["id"] = app_id
    for bot in [*found.get("bots", []), *found.get("composeExtensions", [])]:
        bot["botId"] = app_id  # the message action runs on the bot
    if dedicated_channels:
        found["webApplicationInfo"] = {"id": app_id, "resource": f"api://botid-{app_id}"}
        found["authorization"] = {"permissions": {"resourceSpecific": [CHANNELS]}}
    return found


def write_package(
    out: Path, app_id: str, template: Path = TEMPLATE, *, dedicated_channels: bool = False
) -> Path:
    """The zip Teams installs: manifest.json and both icons at its root."""
    filled = manifest(app_id, template, dedicated_channels=dedicated_channels)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("manifest.json", json.dumps(filled, indent=2, ensure_ascii=False))
        for icon in ICONS:
            package.write(template / icon, icon)
    return out
