"""Alerts from the firm's own monitoring, read from what Alertmanager or a script posts.

    alert = from_generic({"system": "drafting-assistant", "summary": "Eval pass rate fell"})
    [alert] = from_alertmanager(json.loads(body))     # one alert per Alertmanager group
    authorised(headers, body, token, secret, now)      # bearer token or HMAC signature

Every problem is a BadAlert with a one-line reason, answered 400 by the edge.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from bot.incident import Room
    from bot.timeline import Actor

MAX_BODY = 256 * 1024  # bytes; past this, 413
SIGNATURE_WINDOW = timedelta(minutes=5)
MAX_TEXT = 500
SEVERITIES = ("critical", "high", "warning", "info")
GENERIC_KEYS = ("system", "summary", "severity", "link", "occurred_at")


class BadAlert(ValueError):
    """A payload this endpoint cannot read; the message is one line for the sender."""


@dataclass(frozen=True)
class Alert:
    source: str  # "alertmanager" or "generic"
    system: str
    summary: str
    severity: str = ""
    link: str = ""
    occurred_at: datetime | None = None
    status: str = "firing"  # or "resolved"
    group: str = ""  # Alertmanager's groupKey: repeats of one group update one card
    count: int = 1  # alerts in the group


def authorised(
    headers: Mapping[str, str], body: bytes, token: str, secret: str, now: datetime
) -> bool:
    """`Authorization: Bearer <ALERTS_TOKEN>`, or X-Alert-Timestamp and X-Alert-Signature
    (v1=<hex HMAC-SHA256 of "v1:{timestamp}:{body}" with ALERTS_SECRET>, 5 minutes' grace)."""
    given = headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    stamp, signature = headers.get("X-Alert-Timestamp", ""), headers.get("X-Alert-Signature", "")
    if not (secret and stamp.isdigit() and signature):
        return False
    if abs(now - datetime.fromtimestamp(int(stamp), UTC)) > SIGNATURE_WINDOW:
        return False
    base = f"v1:{stamp}:".encode() + body
    expected = "v1=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(signature.encode(), expected.encode())


def _text(data: Mapping[str, Any], name: str, *, required: bool = False) -> str:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise BadAlert(f"'{name}' is missing.")
        return ""
    if not isinstance(value, str):
        raise BadAlert(f"'{name}' must be text.")
    return value.strip()[:MAX_TEXT]


def _time(raw: str, name: str) -> datetime | None:
    if not raw or raw.startswith("0001-"):  # Alertmanager's "not set"
        return None
    try:
        at = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise BadAlert(f"'{name}' must be an ISO 8601 time, not '{raw[:40]}'.") from None
    if at.tzinfo is None:
        raise BadAlert(f"'{name}' needs a UTC offset (e.g. 2026-03-26T15:30:00Z).")
    return at.astimezone(UTC)


def _mapping(value: object, what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise BadAlert(f"{what} must be a JSON object.")
    return value


def from_generic(data: object) -> Alert:
    body = _mapping(data, "The body")
    unknown = sorted(set(body) - set(GENERIC_KEYS))
    if unknown:
        raise BadAlert(f"Unknown field '{unknown[0]}' (known: {', '.join(GENERIC_KEYS)}).")
    severity = _text(body, "severity").lower()
    if severity and severity not in SEVERITIES:
        raise BadAlert(f"'severity' must be one of {', '.join(SEVERITIES)}.")
    return Alert(
        source="generic",
        system=_text(body, "system", required=True),
        summary=_text(body, "summary", required=True),
        severity=severity,
        link=_link(_text(body, "link")),
        occurred_at=_time(_text(body, "occurred_at"), "occurred_at"),
    )


def _link(url: str) -> str:
    if url and not url.startswith(("https://", "http://")):
        raise BadAlert("'link' must be an http(s) address.")
    return url


def from_alertmanager(data: object) -> Alert:
    """Alertmanager's webhook (version 4): the group as one alert."""
    body = _mapping(data, "The body")
    alerts = body.get("alerts")
    if not isinstance(alerts, list) or not alerts:
        raise BadAlert("'alerts' must be a non-empty list (an Alertmanager webhook payload).")
    firsts = [_mapping(a, "Each alert") for a in alerts]
    common = _mapping(body.get("commonLabels") or {}, "'commonLabels'")
    notes = _mapping(body.get("commonAnnotations") or {}, "'commonAnnotations'")
    labels = _mapping(firsts[0].get("labels") or {}, "An alert's 'labels'")
    said = _mapping(firsts[0].get("annotations") or {}, "An alert's 'annotations'")
    status = _text(body, "status", required=True)
    if status not in ("firing", "resolved"):
        raise BadAlert("'status' must be firing or resolved.")
    starts = [_time(_text(a, "startsAt"), "startsAt") for a in firsts]
    return Alert(
        source="alertmanager",
        system=_text(common, "system") or _text(labels, "system"),
        summary=_summary(notes, said, common, labels),
        severity=(_text(common, "severity") or _text(labels, "severity")).lower(),
        link=_link(_text(firsts[0], "generatorURL") or _text(body, "externalURL")),
        occurred_at=min((s for s in starts if s is not None), default=None),
        status=status,
        group=_text(body, "groupKey", required=True),
        count=len(firsts),
    )


def _summary(*sources: Mapping[str, Any]) -> str:
    for source in sources:
        for name in ("summary", "description", "alertname"):
            if _text(source, name):
                return _text(source, name)
    return "an alert with no summary"


@dataclass(frozen=True)
class AlertRecord:
    """An alert as kept: its card, how often it came, and what people decided about it."""

    id: int
    alert: Alert
    received_at: datetime
    updated_at: datetime
    deliveries: int = 1
    state: str = "open"  # open, dismissed, declared
    settled_by: str = ""
    settled_at: datetime | None = None
    reason: str = ""
    incident_key: str = ""
    room_platform: str = ""
    room_id: str = ""
    message_id: str = ""

    @property
    def key(self) -> str:
        """What its card's buttons carry where an incident's key would be."""
        return f"ALERT-{self.id}"


def group_key(alert: Alert) -> str:
    """Alertmanager's own group key; for the generic form, the system and summary."""
    return alert.group or f"generic:{alert.system}\n{alert.summary}"


class AlertStore(Protocol):
    async def receive(self, alert: Alert, now: datetime, window: timedelta) -> AlertRecord:
        """Keep a new alert, or fold a repeat (same group key within `window`) into its row."""
        ...

    async def get(self, alert_id: int) -> AlertRecord | None: ...

    async def placed(self, alert_id: int, room: Room, message_id: str) -> None: ...

    async def settle(
        self, alert_id: int, state: str, actor: Actor, reason: str, key: str, now: datetime
    ) -> AlertRecord | None:
        """Mark an open alert dismissed or declared; None if it was settled already."""
        ...

    async def listed(self, states: Sequence[str]) -> list[AlertRecord]: ...
