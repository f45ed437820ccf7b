"""Modals: declare, close, and the small one a button opens when it needs a reason first.

    modal = declare_modal(runbook, now, "Report shows another client's data", {"channel": "C1"})
    # what comes back is read by handlers.slack.forms

Block ids are part of the contract: declare has title, system, noticed, aware_at,
failure_type; close has root_cause, failure_type, reenable (reenable_2… past ten
criteria), lessons, remediation, override_reason and the regression case's fields.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.views import View as SdkView

from bot.awareness import LEARNED_LABELS, T0_MEANS
from bot.decisions import MAX_TITLE
from bot.failures import FAILURE_TYPES
from bot.incident import Incident
from bot.runbook import Runbook
from handlers.slack.blocks import TooLong, as_typed, checked, escape, section

DECLARE, CLOSE, ASK = "declare", "close", "ask"
MAX_MODAL_BLOCKS = 100
MAX_OPTION_TEXT = 75
MAX_CHECKBOXES = 10
MAX_INPUT = 3000
VALUE = "value"  # every input's action id
# What a button that needs text asks for: (modal title, field label).
ASKS = {
    "reason": ("Give the reason", "Reason"),
    "reference": ("Record the reference", "Reference (case number, email subject, who was told)"),
    "evidence": ("Record evidence", "Description or link"),
    "states": ("Which member states?", "Member states where affected people live (e.g. FR, IE)"),
}
REGRESSION = (
    ("regression_input", "Regression case: the input that triggered it"),
    ("regression_output", "Regression case: the bad output"),
    ("must_contain", "A correct answer must contain (one phrase a line)"),
    ("must_not_contain", "A correct answer must not contain (one phrase a line)"),
)


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": True}


def text_input(
    *, multiline: bool = False, limit: int = MAX_INPUT, initial: str = ""
) -> dict[str, Any]:
    element = {"type": "plain_text_input", "action_id": VALUE, "multiline": multiline}
    return element | {"max_length": limit} | ({"initial_value": initial} if initial else {})


def option(text: str, value: str) -> dict[str, Any]:
    if len(text) > MAX_OPTION_TEXT:
        raise TooLong(f"The choice '{text[:40]}…' is over {MAX_OPTION_TEXT} characters.")
    return {"text": plain(text), "value": value}


def select(choices: Sequence[tuple[str, str]], initial: str = "") -> dict[str, Any]:
    options = [option(text, value) for value, text in choices]
    chosen = [o for o in options if o["value"] == initial]
    element = {"type": "static_select", "action_id": VALUE, "options": options}
    return element | ({"initial_option": chosen[0]} if chosen else {})


def field(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool = False, hint: str = ""
) -> dict[str, Any]:
    block = {"type": "input", "block_id": block_id, "label": plain(label), "element": element}
    return block | {"optional": optional} | ({"hint": plain(hint)} if hint else {})


def modal(
    callback_id: str, title: str, submit: str, blocks: list[dict[str, Any]], meta: Mapping[str, str]
) -> dict[str, Any]:
    """A modal Slack will open, or TooLong naming the limit it breaks."""
    view: dict[str, Any] = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title),
        "submit": plain(submit),
        "close": plain("Cancel"),
        "blocks": checked(blocks, MAX_MODAL_BLOCKS),
        "private_metadata": json.dumps(dict(meta), separators=(",", ":")),
    }
    try:
        SdkView(**view).validate_json()
    except SlackObjectFormationError as error:
        raise TooLong(str(error)) from None
    return view


def declare_modal(
    runbook: Runbook,
    now: datetime,
    title: str,
    meta: Mapping[str, str],
    system: str = "",
    noticed: str = "",
) -> dict[str, Any]:
    blocks = [*_what_happened(runbook, title, system, noticed), *_when_and_how(now)]
    return modal(DECLARE, "Declare an AI incident", "Declare", blocks, meta)


def _what_happened(runbook: Runbook, title: str, system: str, noticed: str) -> list[dict[str, Any]]:
    """The declare form's title, system and what was noticed; a title over the limit is
    left out, with a hint saying why."""
    fits = len(title.strip()) <= MAX_TITLE
    hint = (
        ""
        if fits
        else f"The title you typed is {len(title.strip())} characters; the limit is {MAX_TITLE}."
    )
    systems = [(s.id, s.name) for s in runbook.systems]
    return [
        field(
            "title",
            "Title",
            text_input(limit=MAX_TITLE, initial=title.strip() if fits else ""),
            hint=hint,
        ),
        field("system", "AI system", select(systems, system)),
        field(
            "noticed",
            "What was noticed",
            text_input(multiline=True, initial=noticed),
            optional=True,
        ),
    ]


def _when_and_how(now: datetime) -> list[dict[str, Any]]:
    """The declare form's T0, failure type and how the firm learned of it (from a vendor:
    when its notice arrived and when it says it became aware)."""
    return [
        field(
            "aware_at",
            "When we became aware (T0)",
            {
                "type": "datetimepicker",
                "action_id": VALUE,
                "initial_date_time": int(now.timestamp()),
            },
            hint="Your own time zone. " + T0_MEANS,
        ),
        field("failure_type", "Failure type", select(list(FAILURE_TYPES.items()))),
        field("learned_via", "How we learned of it", select(list(LEARNED_LABELS.items()))),
        field(
            "vendor_notice_at",
            "The vendor's notice arrived at",
            {"type": "datetimepicker", "action_id": VALUE},
            optional=True,
            hint="From a vendor's notice, the breach clocks run from its arrival.",
        ),
        field(
            "vendor_aware_at",
            "The vendor says it became aware at",
            {"type": "datetimepicker", "action_id": VALUE},
            optional=True,
        ),
    ]


def _criteria(runbook: Runbook) -> list[dict[str, Any]]:
    """Checkboxes, ten to a block; a criterion too long for a box is listed in full above."""
    names = [
        c if len(c) <= MAX_OPTION_TEXT else f"Criterion {i + 1} (in full above)"
        for i, c in enumerate(runbook.reenable_criteria)
    ]
    long = [
        f"{i + 1}. {escape(c)}"
        for i, c in enumerate(runbook.reenable_criteria)
        if len(c) > MAX_OPTION_TEXT
    ]
    blocks = [section("\n".join(long))] if long else []
    for n, start in enumerate(range(0, len(names), MAX_CHECKBOXES)):
        options = [
            option(name, str(start + i))
            for i, name in enumerate(names[start : start + MAX_CHECKBOXES])
        ]
        block_id = "reenable" if n == 0 else f"reenable_{n + 1}"
        label = "Safe to re-enable: confirmed" if n == 0 else "Safe to re-enable (continued)"
        blocks.append(
            field(
                block_id,
                label,
                {"type": "checkboxes", "action_id": VALUE, "options": options},
                optional=True,
            )
        )
    return blocks


def close_modal(runbook: Runbook, incident: Incident, meta: Mapping[str, str]) -> dict[str, Any]:
    blocks = [
        section(f"*{escape(incident.key)}*: {as_typed(incident.title)}"),
        field("root_cause", "Root cause (or what is known of it)", text_input(multiline=True)),
        field(
            "failure_type",
            "Confirmed failure type",
            select(list(FAILURE_TYPES.items()), incident.failure_type),
        ),
        *_criteria(runbook),
        field("lessons", "Lessons", text_input(multiline=True), optional=True),
        field("remediation", "Actions taken", text_input(multiline=True), optional=True),
        field(
            "override_reason",
            "Override: reason to close with items still open",
            text_input(multiline=True),
            optional=True,
            hint="Only those the runbook allows may override; the reason goes on the timeline.",
        ),
        *(field(b, label, text_input(multiline=True), optional=True) for b, label in REGRESSION),
    ]
    return modal(CLOSE, "Close the incident", "Close", blocks, meta)


def ask_modal(
    needs: str, label: str, meta: Mapping[str, str], *, optional: bool = False
) -> dict[str, Any]:
    title, prompt = ASKS.get(needs, ASKS["reason"])
    blocks = [
        section(f"*{escape(label)}*"),
        field("text", prompt, text_input(multiline=True), optional=optional),
    ]
    return modal(ASK, title, "Save", blocks, meta)


def confirm_modal(label: str, request: Sequence[str], meta: Mapping[str, str]) -> dict[str, Any]:
    """Before a kill switch runs: the exact request (secrets masked); Send runs it."""
    shown = escape("\n".join(request))[: MAX_INPUT - 8]
    blocks = [
        section(f"*{escape(label)}*\nThis request will be sent:"),
        section(f"```{shown}```"),
    ]
    return modal(ASK, "Run the kill switch", "Send", blocks, meta)
