"""The declare and close forms as Adaptive Cards, and what a submitted one says.

    card = declare_card(runbook, now, "Report shows another client's data")
    form = read_declare(activity_value, runbook)   # -> DeclareForm (Refused on a bad time)

A submitted form arrives as a message activity whose `value` holds each input by id plus
the submit button's data (`form`, and `key` for close). The card is then updated in place:
to what was declared or closed, or back to the form with the refusal at the top and the
values as typed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

from bot.awareness import LEARNED_LABELS, T0_MEANS
from bot.decisions import MAX_TITLE, CloseForm, DeclareForm, Refused
from bot.failures import FAILURE_TYPES
from bot.incident import Incident
from bot.runbook import Runbook
from handlers.teams.cards import MAX_INPUT, Card, Mentions, block, card, submit

DECLARE, CLOSE = "declare", "close"
REGRESSION = (
    ("regression_input", "Regression case: the input that triggered it"),
    ("regression_output", "Regression case: the bad output"),
    ("must_contain", "A correct answer must contain (one phrase a line)"),
    ("must_not_contain", "A correct answer must not contain (one phrase a line)"),
)


def text_input(
    id_: str,
    label: str,
    value: str = "",
    *,
    required: bool = False,
    multiline: bool = False,
    limit: int = MAX_INPUT,
) -> dict[str, Any]:
    element = {
        "type": "Input.Text",
        "id": id_,
        "label": label,
        "isMultiline": multiline,
        "maxLength": limit,
        "isRequired": required,
    }
    return (
        element
        | ({"value": value} if value else {})
        | ({"errorMessage": f"Please give the {label.lower()}."} if required else {})
    )


def choices(
    id_: str,
    label: str,
    options: Sequence[tuple[str, str]],
    value: str = "",
    *,
    multi: bool = False,
) -> dict[str, Any]:
    element = {
        "type": "Input.ChoiceSet",
        "id": id_,
        "label": label,
        "choices": [{"title": title, "value": v} for v, title in options],
        "isMultiSelect": multi,
        "style": "expanded" if multi else "compact",
        "isRequired": not multi,
    }
    return element | ({"value": value} if value else {})


def _form(title: str, inputs: list[dict[str, Any]], action: Card, error: str) -> Card:
    said = [block(error, color="Attention", weight="Bolder")] if error else []
    body = [block(title, weight="Bolder", size="Medium"), *said, *inputs]
    return card([*body, {"type": "ActionSet", "actions": [action]}], Mentions())


def _local(now: datetime, runbook: Runbook) -> datetime:
    return now.astimezone(runbook.firm.timezone)


def declare_card(
    runbook: Runbook,
    now: datetime,
    title: str = "",
    typed: Mapping[str, Any] | None = None,
    error: str = "",
    alert: str = "",
) -> Card:
    """The form `@AI Incident declare [title]` shows; T0 defaults to now, the firm's time.
    From a suspected-incident card, `alert` is its id, sent back with the form."""
    got = {k: str(v) for k, v in (typed or {}).items()}
    inputs = [
        text_input(
            "title", "Title", got.get("title", title.strip()), required=True, limit=MAX_TITLE
        ),
        choices(
            "system", "AI system", [(s.id, s.name) for s in runbook.systems], got.get("system", "")
        ),
        text_input("noticed", "What was noticed", got.get("noticed", ""), multiline=True),
        *_aware_inputs(runbook, now, got),
        choices(
            "failure_type", "Failure type", list(FAILURE_TYPES.items()), got.get("failure_type", "")
        ),
        choices(
            "learned_via",
            "How we learned of it",
            list(LEARNED_LABELS.items()),
            got.get("learned_via", ""),
        ),
        {"type": "Input.Date", "id": "notice_date", "label": "The vendor's notice arrived: date"},
        {"type": "Input.Time", "id": "notice_time", "label": "The vendor's notice arrived: time"},
    ]
    action = submit("Declare", {"form": DECLARE} | ({"alert": alert} if alert else {}), "primary")
    return _form("Declare an AI incident", inputs, action, error)


def _aware_inputs(runbook: Runbook, now: datetime, got: Mapping[str, str]) -> list[Card]:
    """T0 as a date and a time in the firm's zone (Teams has no date-time input)."""
    local = _local(now, runbook)
    return [
        {"type": "TextBlock", "text": T0_MEANS, "wrap": True, "isSubtle": True},
        {
            "type": "Input.Date",
            "id": "aware_date",
            "label": "Aware (T0): date",
            "value": got.get("aware_date", local.date().isoformat()),
        },
        {
            "type": "Input.Time",
            "id": "aware_time",
            "label": f"Aware (T0): time ({runbook.firm.timezone.key})",
            "value": got.get("aware_time", local.strftime("%H:%M")),
        },
    ]


def close_card(
    runbook: Runbook, incident: Incident, typed: Mapping[str, Any] | None = None, error: str = ""
) -> Card:
    got = {k: str(v) for k, v in (typed or {}).items()}
    criteria = [(str(i), c) for i, c in enumerate(runbook.reenable_criteria)]
    inputs = [
        text_input(
            "root_cause",
            "Root cause (or what is known of it)",
            got.get("root_cause", ""),
            required=True,
            multiline=True,
        ),
        choices(
            "failure_type",
            "Confirmed failure type",
            list(FAILURE_TYPES.items()),
            got.get("failure_type", incident.failure_type),
        ),
        choices(
            "reenable",
            "Safe to re-enable: confirmed",
            criteria,
            got.get("reenable", ""),
            multi=True,
        ),
        text_input("lessons", "Lessons", got.get("lessons", ""), multiline=True),
        text_input("remediation", "Actions taken", got.get("remediation", ""), multiline=True),
        text_input(
            "override_reason",
            "Override: reason to close with items still open",
            got.get("override_reason", ""),
            multiline=True,
        ),
        *(text_input(i, label, got.get(i, ""), multiline=True) for i, label in REGRESSION),
    ]
    action = submit("Close", {"form": CLOSE, "key": incident.key}, "primary")
    return _form(f"Close {incident.key}: {incident.title}", inputs, action, error)


def said(value: Mapping[str, Any], name: str) -> str:
    found = value.get(name)
    return found.strip() if isinstance(found, str) else ""


def aware_at(value: Mapping[str, Any], runbook: Runbook, name: str = "aware") -> datetime | None:
    """The date and time inputs, read in the firm's zone (Teams sends them without one)."""
    day, at = said(value, f"{name}_date"), said(value, f"{name}_time")
    if not day and not at:
        return None
    try:
        when = datetime.combine(date.fromisoformat(day), time.fromisoformat(at or "00:00"))
    except ValueError:
        raise Refused(f"'{day} {at}' is not a date and time for when we became aware.") from None
    return when.replace(tzinfo=runbook.firm.timezone)


def read_declare(value: Mapping[str, Any], runbook: Runbook) -> DeclareForm:
    return DeclareForm(
        title=said(value, "title"),
        system=said(value, "system"),
        failure_type=said(value, "failure_type"),
        noticed=said(value, "noticed"),
        aware_at=aware_at(value, runbook),
        learned_via=said(value, "learned_via"),
        vendor_notice_at=aware_at(value, runbook, "notice"),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_close(value: Mapping[str, Any], runbook: Runbook) -> CloseForm:
    picked = {int(v) for v in said(value, "reenable").split(",") if v.strip().isdigit()}
    regression = {
        "input": said(value, "regression_input"),
        "bad_output": said(value, "regression_output"),
        "must_contain": _lines(said(value, "must_contain")),
        "must_not_contain": _lines(said(value, "must_not_contain")),
    }
    return CloseForm(
        root_cause=said(value, "root_cause"),
        failure_type=said(value, "failure_type"),
        criteria=[c for i, c in enumerate(runbook.reenable_criteria) if i in picked],
        lessons=said(value, "lessons"),
        remediation=said(value, "remediation"),
        override_reason=said(value, "override_reason"),
        regression={k: v for k, v in regression.items() if v},
    )
