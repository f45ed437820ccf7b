"""The inbox keys of Slack requests: what stays the same when Slack sends one again.

key = delivery_key("click", user, action_id, action_ts, trigger_id)
key = view_key(payload["view"])     # a submission: the same view and state is one request
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from handlers.kept import key_of

PLATFORM = "slack"


def delivery_key(kind: str, *parts: str) -> str:
    return key_of(PLATFORM, kind, *parts)


def view_key(view: Mapping[str, Any]) -> str:
    """A submission: the view, its version, and what was typed (a corrected form is new)."""
    state = json.dumps(view.get("state"), sort_keys=True)
    return delivery_key("view", str(view.get("id", "")), str(view.get("hash", "")), state)
