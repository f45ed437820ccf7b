"""app.json is a valid Slack app manifest asking for exactly what the Slack code uses."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from handlers.slack import app as slack_app
from handlers.slack import routes
from tests.contract.adaptive_cards import shared_schemas

REPO = Path(__file__).resolve().parents[2]
SCHEMAS = shared_schemas()  # the official schemas, MIT (licences beside)
SLACK_CODE = sorted((REPO / "handlers" / "slack").glob("*.py"))
URL = "https://YOUR-HOST" + routes.PATH

# Bot scopes each Web API method needs (Slack's method reference). A channel method needs
# groups:write for a private channel and channels:manage for a public one; the runbook
# chooses which, so both are asked for.
METHOD_SCOPES: dict[str, set[str]] = {
    "auth.test": set(),
    "views.open": set(),
    "chat.postMessage": {"chat:write"},
    "chat.update": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "conversations.create": {"groups:write", "channels:manage"},
    "conversations.invite": {"groups:write", "channels:manage"},
    "conversations.setTopic": {"groups:write", "channels:manage"},
    "conversations.archive": {"groups:write", "channels:manage"},
    "conversations.history": {"groups:history", "channels:history"},
    "conversations.replies": {"groups:history", "channels:history"},
    "pins.add": {"pins:write"},
    "users.lookupByEmail": {"users:read.email"},
    "users.info": {"users:read"},
    "files.info": {"files:read"},
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
}
EVENT_SCOPES = {
    "file_shared": {"files:read"},
    "pin_added": {"pins:read"},
    "pin_removed": {"pins:read"},
    "reaction_added": {"reactions:read"},
    "reaction_removed": {"reactions:read"},
}


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    found: dict[str, Any] = json.loads((REPO / "app.json").read_text(encoding="utf-8"))
    return found


def methods_called() -> set[str]:
    """`client.chat_postMessage(` → chat.postMessage, across the Slack edge's modules."""
    calls = re.compile(r"client\.([a-z]+)_([A-Za-z]+)\(")
    found = {f"{a}.{b}" for path in SLACK_CODE for a, b in calls.findall(path.read_text())}
    return found | {"auth.test"}  # Bolt's single-workspace authorization calls it


def events_listened() -> set[str]:
    source = (REPO / "handlers" / "slack" / "app.py").read_text()
    return set(re.findall(r'app\.event\("([\w.]+)"\)', source))


@pytest.mark.parametrize("version", ["1.0.0", "2.0.0"])
def test_the_manifest_validates_against_slacks_schema(
    manifest: dict[str, Any], version: str
) -> None:
    path = SCHEMAS / f"slack-manifest.schema.{version}.json"
    jsonschema.validate(manifest, json.loads(path.read_text(encoding="utf-8")))


def test_every_method_the_code_calls_is_known_here() -> None:
    assert methods_called() - METHOD_SCOPES.keys() == set()


def test_the_scopes_are_exactly_those_the_code_needs(manifest: dict[str, Any]) -> None:
    needed = {"commands"}  # the slash command
    needed |= {scope for m in methods_called() for scope in METHOD_SCOPES[m]}
    needed |= {scope for e in events_listened() for scope in EVENT_SCOPES[e]}
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == needed


def test_the_events_are_exactly_those_the_code_listens_to(manifest: dict[str, Any]) -> None:
    subscribed = manifest["settings"]["event_subscriptions"]["bot_events"]
    assert set(subscribed) == events_listened() == set(slack_app.EVENTS)


def test_the_one_slash_command_and_every_url_point_at_the_events_route(
    manifest: dict[str, Any],
) -> None:
    commands = manifest["features"]["slash_commands"]
    assert [(c["command"], c["url"]) for c in commands] == [(slack_app.COMMAND, URL)]
    assert manifest["settings"]["event_subscriptions"]["request_url"] == URL
    assert manifest["settings"]["interactivity"] == {"is_enabled": True, "request_url": URL}
