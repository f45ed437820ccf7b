"""A containment step's optional kill-switch action, and the triage room, as the runbook
says them.

    containment:
      - "Quarantine drafts produced since the fault began"        # plain text, as before
      - text: "Turn off AI drafts"
        action:
          method: POST
          url: https://flags.example.com/api/flags/ai-drafts
          headers: {Authorization: "Bearer ${FLAGS_TOKEN}"}     # secrets stay in the environment
          body: {enabled: false, incident: "{incident}"}
          timeout_s: 10
          dry_run: false

A body's text values may name `{incident}`, `{system}` and `{step}`; they are filled in when
the request is built. Header values may reference `${ENV_NAME}`, resolved only at send time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

if TYPE_CHECKING:
    from bot.runbook_values import Value

METHODS = ("POST", "PUT", "PATCH", "DELETE", "GET")
LOOPBACK = ("127.0.0.1", "localhost", "::1")
ENV_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
SECRET_HEADER = re.compile(r"authorization|token|secret|key|password|cookie", re.IGNORECASE)
DEFAULT_TIMEOUT_S = 10.0
MAX_TIMEOUT_S = 60.0
_STEP_KEYS = ("text",)
_ACTION_REQUIRED = ("method", "url")
_ACTION_OPTIONAL = ("headers", "body", "timeout_s", "dry_run")


@dataclass(frozen=True)
class Action:
    """An HTTP call that carries out a containment step (pauses the feature, flips a flag)."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()  # values as written: ${ENV} unresolved
    body: object = None  # a JSON value; text values may hold {incident}, {system}, {step}
    timeout_s: float = DEFAULT_TIMEOUT_S
    dry_run: bool = False


def containment_step(value: Value) -> tuple[str, Action | None]:
    """A step: plain text, or a mapping {text, action}."""
    if not isinstance(value.node, MappingNode):
        return value.text(), None
    f = value.fields(_STEP_KEYS, ("action",))
    text = f["text"].text()
    if "action" not in f:
        return text, None
    return text, _action(f["action"])


def _action(value: Value) -> Action | None:
    f = value.fields(_ACTION_REQUIRED, _ACTION_OPTIONAL)
    if not f.found:
        return None
    method = f["method"].text().upper()
    if method and method not in METHODS:
        f["method"].error(f"unknown method '{method}' (known: {', '.join(METHODS)})")
    return Action(
        method=method,
        url=_url(f["url"]),
        headers=_headers(f["headers"]),
        body=_body(f["body"]),
        timeout_s=_timeout(f["timeout_s"]),
        dry_run=f["dry_run"].boolean(False),
    )


def _url(value: Value) -> str:
    url = value.text()
    if not url:
        return url
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return url
    value.error(f"'{url}' must be an https:// address (plain http only to 127.0.0.1)")
    return url


def _headers(value: Value) -> tuple[tuple[str, str], ...]:
    found: list[tuple[str, str]] = []
    for key, item in value.entries():
        text = item.text()
        if SECRET_HEADER.search(key.key) and text and not ENV_REFERENCE.search(text):
            item.error("looks like a secret: keep it in the environment and write ${ENV_NAME}")
        found.append((key.key, text))
    return tuple(found)


def _body(value: Value) -> object:
    if value.node is None:
        return None
    return _plain(value.node)


def _plain(node: Node) -> object:
    """The node as plain data (YAML's own reading of each scalar)."""
    return yaml.safe_load(yaml.serialize(node))


def _timeout(value: Value) -> float:
    if value.node is None:
        return DEFAULT_TIMEOUT_S
    raw = str(value.node.value) if isinstance(value.node, ScalarNode) else ""
    try:
        seconds = float(raw)
    except ValueError:
        value.error(f"expected a number of seconds, got '{raw}'")
        return DEFAULT_TIMEOUT_S
    if not 0 < seconds <= MAX_TIMEOUT_S:
        value.error(f"must be more than 0 and at most {MAX_TIMEOUT_S:g} seconds")
        return DEFAULT_TIMEOUT_S
    return seconds


def triage_room(value: Value) -> str:
    """rooms.triage: a Slack channel id, a Teams channel id, or the web chat's #triage."""
    return value.text(empty_ok=True)
