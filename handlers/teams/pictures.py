"""The incident's timeline picture as a Teams message: an inline image attachment.

    activity = timeline_message(incident, runbook, incident.closed_at)
    await connector.send(service_url, conversation_id, activity)   # after the close summary

Teams shows a `data:` image inline (PNG, up to 1024×1024 and 1 MB), so nothing is hosted.
"""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any

from bot.incident import Incident
from bot.papers.picture import timeline_png
from bot.runbook import Runbook


def image_attachment(name: str, png: bytes) -> dict[str, Any]:
    """`{"contentType": "image/png", "contentUrl": "data:image/png;base64,…", "name": name}`"""
    data = base64.b64encode(png).decode("ascii")
    return {"contentType": "image/png", "contentUrl": f"data:image/png;base64,{data}", "name": name}


def timeline_message(incident: Incident, runbook: Runbook, at: datetime) -> dict[str, Any]:
    """A message activity carrying the timeline picture of `incident` as at `at`."""
    png = timeline_png(incident, runbook, at)
    return {
        "type": "message",
        "summary": f"Timeline of {incident.key}",
        "attachments": [image_attachment(f"{incident.key}-timeline.png", png)],
    }
