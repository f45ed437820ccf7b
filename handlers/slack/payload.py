"""Reading Slack's payloads: a field that is missing or of the wrong kind is Malformed.

    user = text_at(body, "user", "id")     # -> "U0SAMOKAFOR", or Malformed("user.id …")

A Malformed request is one Slack would never send; the route answers it 400, never 500.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


class Malformed(ValueError):
    """A payload Slack would not send (a missing field, a foreign action id)."""


def at(data: object, *path: str) -> object:
    # `dict`, not the Mapping ABC: parsed JSON is dicts, and this runs before every ack.
    value = data
    for name in path:
        if not isinstance(value, dict) or name not in value:
            raise Malformed(f"The payload has no {'.'.join(path)}.")
        value = value[name]
    return value


def text_at(data: object, *path: str) -> str:
    value = at(data, *path)
    if not isinstance(value, str):
        raise Malformed(f"The payload's {'.'.join(path)} is not text.")
    return value


def optional_text(data: object, *path: str) -> str:
    try:
        return text_at(data, *path)
    except Malformed:
        return ""


def mapping_at(data: object, *path: str) -> Mapping[str, Any]:
    value = at(data, *path)
    if not isinstance(value, dict):
        raise Malformed(f"The payload's {'.'.join(path)} is not an object.")
    return value


def first(data: object, *path: str) -> Mapping[str, Any]:
    """The first object of a list, e.g. the one action of a block_actions payload."""
    value = at(data, *path)
    if not isinstance(value, list) or not value or not isinstance(value[0], dict):
        raise Malformed(f"The payload's {'.'.join(path)} is not a list of objects.")
    return value[0]


def typed_text(said: str) -> str:
    """A slash command's text as typed: Slack sends &, < and > as HTML entities."""
    return said.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# Fields Bolt reads to match listeners and build its context before any listener runs. It
# trusts what Slack signed and indexes them unguarded, so a shape Slack never sends would be
# a 500 there; checked here first, it is a 400.
PLACES = ("channel", "team", "user", "enterprise", "item", "container", "assistant_thread")
NESTED = ("event", "message", "previous_message", "view", "function_data")


def check_shape(body: object) -> None:
    """Malformed if Bolt would trip over this payload's shape before any listener runs."""
    if not isinstance(body, dict):
        raise Malformed("The payload is not an object.")
    _check_places(body, depth=2)
    authorizations = body.get("authorizations")
    if authorizations is not None and not (
        isinstance(authorizations, list) and all(isinstance(a, dict) for a in authorizations)
    ):
        raise Malformed("The payload's authorizations is not a list of objects.")
    if "actions" in body:
        text_at(first(body, "actions"), "action_id")
    if body.get("type") in ("view_submission", "view_closed") or "view" in body:
        text_at(body, "view", "callback_id")
        at(body, "view", "type")
    if "event" in body:
        text_at(body, "event", "type")
    _check_ids(body)


# Ids the bot passes on to Slack's Web API, some in a GET's URL: a huge or odd one would come
# back as an error page, not a Slack error. Slack's own are short, upper-case and alphanumeric.
SLACK_ID = re.compile(r"[A-Z0-9]{1,40}")
IDS = (
    ("user_id",),
    ("channel_id",),
    ("user", "id"),
    ("channel", "id"),
    ("container", "channel_id"),
    ("event", "user_id"),
    ("event", "channel_id"),
    ("event", "file_id"),
)


def _check_ids(body: dict[str, Any]) -> None:
    for path in IDS:
        found = optional_text(body, *path)
        if found and not SLACK_ID.fullmatch(found):
            raise Malformed(f"The payload's {'.'.join(path)} is not a Slack id.")


def _check_places(data: dict[str, Any], depth: int) -> None:
    for name in PLACES:
        if data.get(name) is not None and not isinstance(data[name], str | dict):
            raise Malformed(f"The payload's {name} is neither an id nor an object.")
    for name in NESTED:
        inner = data.get(name)
        if inner is not None and not isinstance(inner, dict):
            raise Malformed(f"The payload's {name} is not an object.")
        if inner is not None and depth > 1:
            _check_places(inner, depth - 1)
