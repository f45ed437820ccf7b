"""What a submitted modal says, read back into the core's forms.

    form = read_declare(payload["view"])   # -> DeclareForm
    block = error_block("Unknown AI system 'x'.", DECLARE_ERRORS)   # -> "system"

Slack sends every input's state, an optional one left empty as null; an input missing from
the state reads as empty, so the core's own checks refuse what it needs.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from bot.decisions import CloseForm, DeclareForm
from bot.runbook import Runbook
from handlers.slack.modals import MAX_CHECKBOXES, VALUE
from handlers.slack.payload import Malformed, at, mapping_at


def values(view: Mapping[str, Any]) -> Mapping[str, Any]:
    return mapping_at(view, "state", "values")


def _value(view: Mapping[str, Any], block: str) -> Mapping[str, Any]:
    """An input's state; {} for one Slack left out (the core refuses what it needs)."""
    found = values(view).get(block)
    return mapping_at(found, VALUE) if found is not None else {}


def typed(view: Mapping[str, Any], block: str) -> str:
    """A text input's value; an optional one left empty is ''."""
    value = _value(view, block).get("value")
    return value if isinstance(value, str) else ""


def chosen(view: Mapping[str, Any], block: str) -> str:
    option_ = _value(view, block).get("selected_option")
    value = option_.get("value") if isinstance(option_, Mapping) else None
    return value if isinstance(value, str) else ""


def ticked(view: Mapping[str, Any], block: str) -> list[str]:
    options = _value(view, block).get("selected_options") or []
    if not isinstance(options, list):
        raise Malformed(f"The payload's {block} is not a list of options.")
    return [str(at(o, "value")) for o in options]


def moment(view: Mapping[str, Any], block: str) -> datetime | None:
    stamp = _value(view, block).get("selected_date_time")
    if stamp is None:
        return None
    if not isinstance(stamp, int):
        raise Malformed(f"The payload's {block} is not a time.")
    try:
        return datetime.fromtimestamp(stamp, UTC)
    except (OverflowError, OSError, ValueError):  # beyond the years a datetime holds
        raise Malformed(f"The payload's {block} is not a time.") from None


def meta(view: Mapping[str, Any]) -> dict[str, str]:
    raw = view.get("private_metadata") or "{}"
    try:
        found = json.loads(raw) if isinstance(raw, str) else None
    except ValueError:
        found = None
    if not isinstance(found, dict):
        raise Malformed("The view's private_metadata is not this bot's.")
    return {str(k): str(v) for k, v in found.items()}


def read_declare(view: Mapping[str, Any]) -> DeclareForm:
    return DeclareForm(
        title=typed(view, "title"),
        system=chosen(view, "system"),
        failure_type=chosen(view, "failure_type"),
        noticed=typed(view, "noticed"),
        aware_at=moment(view, "aware_at"),
        learned_via=chosen(view, "learned_via"),
        vendor_notice_at=moment(view, "vendor_notice_at"),
        vendor_aware_at=moment(view, "vendor_aware_at"),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def read_close(view: Mapping[str, Any], runbook: Runbook) -> CloseForm:
    count = (len(runbook.reenable_criteria) + MAX_CHECKBOXES - 1) // MAX_CHECKBOXES
    boxes = ["reenable", *(f"reenable_{n}" for n in range(2, count + 1))]
    picked = {int(v) for b in boxes for v in ticked(view, b) if v.isdigit()}
    criteria = [c for i, c in enumerate(runbook.reenable_criteria) if i in picked]
    regression = {
        "input": typed(view, "regression_input"),
        "bad_output": typed(view, "regression_output"),
        "must_contain": _lines(typed(view, "must_contain")),
        "must_not_contain": _lines(typed(view, "must_not_contain")),
    }
    return CloseForm(
        root_cause=typed(view, "root_cause"),
        failure_type=chosen(view, "failure_type"),
        criteria=criteria,
        lessons=typed(view, "lessons"),
        remediation=typed(view, "remediation"),
        override_reason=typed(view, "override_reason"),
        regression={k: v for k, v in regression.items() if v},
    )


# Words in a refusal that say which input it is about, in the order they are tried.
DECLARE_ERRORS = {
    "title": ("title",),
    "system": ("system",),
    "failure_type": ("failure type",),
    "aware_at": ("aware", "t0"),
    "learned_via": ("learned",),
    "noticed": ("noticed",),
}
CLOSE_ERRORS = {
    "override_reason": ("override", "items still open"),
    "reenable": ("re-enable", "cannot close yet"),
    "failure_type": ("failure type",),
    "root_cause": ("root cause",),
}


def error_block(message: str, words: Mapping[str, tuple[str, ...]]) -> str:
    """The input a refusal is about (its words name it), else the first one."""
    said = message.lower()
    named = [block for block, ws in words.items() if any(w in said for w in ws)]
    return named[0] if named else next(iter(words))
