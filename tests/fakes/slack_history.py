"""Message metadata and `conversations.history`, as Slack has them.

A message posted with `metadata` ({"event_type": …, "event_payload": {…}}) keeps it;
`conversations.history` lists a channel's messages newest first (thread replies left out
unless broadcast to the channel, as on Slack), `limit` at a time (default 100, at most
999) with a cursor for the rest, within `oldest`/`latest`, and shows the metadata only
with `include_all_metadata`. `conversations.replies` lists one thread (`ts`, its parent):
the parent first, then its replies oldest first, the same way.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.slack_methods import Params, SlackError, invalid
from tests.fakes.slack_state import Message

EVENT_TYPE = re.compile(r"^[a-z0-9_]{1,255}$")  # Slack: lowercase, digits and underscores
MAX_LIMIT = 999


def metadata_of(p: Params) -> dict[str, Any] | None:
    """The `metadata` argument checked as Slack checks it; None when not given."""
    if not p.has("metadata"):
        return None
    metadata = p.json("metadata", "invalid_metadata_format")
    if not isinstance(metadata, dict):
        raise invalid("invalid_metadata_format", "metadata must be an object")
    kind, payload = metadata.get("event_type"), metadata.get("event_payload")
    if not isinstance(kind, str) or not EVENT_TYPE.match(kind) or not isinstance(payload, dict):
        raise invalid("invalid_metadata_schema", "event_type and event_payload are required")
    return {"event_type": kind, "event_payload": payload}


def _bound(p: Params, name: str, default: float) -> float:
    try:
        return float(p.get(name)) if p.get(name) else default
    except ValueError:
        raise invalid("invalid_arguments", f"{name} is not a timestamp") from None


def _window(p: Params, messages: list[Message]) -> list[Message]:
    oldest, latest = _bound(p, "oldest", 0.0), _bound(p, "latest", float("inf"))
    inclusive = p.flag("inclusive")
    inside = [
        m
        for m in messages
        if (oldest <= float(m.ts) if inclusive else oldest < float(m.ts))
        and (float(m.ts) <= latest if inclusive else float(m.ts) < latest)
    ]
    top = [m for m in inside if m.thread_ts in (None, m.ts) or m.broadcast]
    return sorted(top, key=lambda m: float(m.ts), reverse=True)


def _thread(p: Params, messages: list[Message]) -> list[Message]:
    parent = p.get("ts")
    if not parent or not any(m.ts == parent for m in messages):
        raise SlackError("thread_not_found")
    inside = [m for m in messages if m.ts == parent or m.thread_ts == parent]
    return sorted(inside, key=lambda m: float(m.ts))


def replies_page(
    p: Params, messages: list[Message], as_json: Any
) -> tuple[list[dict[str, Any]], str]:
    """One page of a thread (parent first) and the cursor to the next ("" at the end)."""
    return history_page(p, messages, as_json, _thread)


def history_page(
    p: Params, messages: list[Message], as_json: Any, listing: Any = _window
) -> tuple[list[dict[str, Any]], str]:
    """One page of a channel's history and the cursor to the next ("" at the end)."""
    try:
        limit = int(p.get("limit") or 100)
        start = int(p.get("cursor").removeprefix("next:") or 0)
    except ValueError:
        raise SlackError("invalid_cursor") from None
    limit = max(1, min(limit, MAX_LIMIT))
    listed = listing(p, messages)
    page = listed[start : start + limit]
    shown = []
    for m in page:
        out = dict(as_json(m))
        if p.flag("include_all_metadata") and m.metadata is not None:
            out["metadata"] = m.metadata
        shown.append(out)
    more = start + limit < len(listed)
    return shown, f"next:{start + limit}" if more else ""
