"""Reading what Teams sends: an activity (the Agents SDK's model) as a Turn the edge acts on.

    turn = read_turn(json_body)    # Malformed for what Teams would never send → 400
    turn.kind                      # "command" (text, the bot's @mention stripped), "submit"
                                   # (a card's button: `value`), "message_action" (the
                                   # message extension's command on a message: `value` as
                                   # Teams sent it, `name` the invoke's), "invoke" (one we
                                   # do not handle), or "other"

A button arrives two ways: Action.Execute (what the cards send now) as an invoke named
`adaptiveCard/action` whose `value.action.data` holds the button's data and the inputs;
Action.Submit (cards posted before, and hosts without Universal Actions) as a message
whose `value` holds them. Both become the same "submit" turn.

A channel message arrives as "<at>AI Incident</at> declare Leak"; the mention entity says
which <at> is the bot, and only that one is removed. Teams marks up typed text as HTML
(`&lt;`, `<p>`), which is turned back into what was typed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from microsoft_agents.activity import Activity
from pydantic import ValidationError

MAX_BODY = 256 * 1024  # no activity Teams sends is near this
CARD_ACTION = "adaptiveCard/action"  # the invoke an Action.Execute sends
FETCH_TASK = "composeExtension/fetchTask"  # a message action chosen: its dialog, please
SUBMIT_ACTION = "composeExtension/submitAction"  # the dialog submitted
MESSAGE_ACTIONS = (FETCH_TASK, SUBMIT_ACTION)
TAGS = re.compile(r"<[^>]+>")


class Malformed(ValueError):
    """An activity Teams would not send (no conversation, no sender, a broken value)."""


@dataclass(frozen=True)
class Turn:
    kind: str
    conversation_id: str
    service_url: str
    tenant_id: str = ""
    channel_id: str = ""  # a Teams channel's id (its threads' conversation ids start with it)
    activity_id: str = ""
    reply_to: str = ""  # for a submit: the card's message
    user: dict[str, Any] = field(default_factory=dict)
    text: str = ""
    value: dict[str, Any] = field(default_factory=dict)
    reference: dict[str, Any] = field(default_factory=dict)
    invoked: bool = False  # an invoke: Teams waits for a 200 with a body
    source: str = ""  # the activity's channelId: "msteams" from Teams, "emulator", "webchat", …
    attachments: tuple[dict[str, Any], ...] = ()  # a command's files (handlers.teams.files)
    name: str = ""  # an invoke's name (composeExtension/submitAction, …)


def typed(text: str) -> str:
    """Teams' HTML markup of a message back to what was typed."""
    with_breaks = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", text)
    return html.unescape(TAGS.sub("", with_breaks)).replace("\xa0", " ").strip()


def _tenant(activity: Activity) -> str:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    from_data = tenant.get("id") if isinstance(tenant, dict) else None
    conversation = activity.conversation
    return str(from_data or (conversation.tenant_id if conversation else "") or "")


def _channel(activity: Activity) -> str:
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    channel = data.get("channel")
    return str(channel.get("id") or "") if isinstance(channel, dict) else ""


def _execute(activity: Activity) -> dict[str, Any]:
    """An Action.Execute's data (the button's, with the card's inputs merged in by Teams)."""
    value = activity.value if isinstance(activity.value, dict) else {}
    action = value.get("action")
    data = action.get("data") if isinstance(action, dict) else None
    if not isinstance(action, dict) or action.get("type") != "Action.Execute":
        raise Malformed("A card action that is not an Action.Execute.")
    if not isinstance(data, dict):
        raise Malformed("A card action's data is not an object.")
    return {str(k): v for k, v in data.items()}


def _kind(activity: Activity) -> str:
    if activity.type == "invoke":
        if activity.name in MESSAGE_ACTIONS:
            return "message_action"
        return "submit" if activity.name == CARD_ACTION else "invoke"
    if activity.type != "message":
        return "other"
    if activity.value is not None:
        if not isinstance(activity.value, dict):
            raise Malformed("A card submission's value is not an object.")
        return "submit"
    return "command"


def _value(activity: Activity) -> dict[str, Any]:
    if activity.type == "invoke" and activity.name in MESSAGE_ACTIONS:
        if not isinstance(activity.value, dict):
            raise Malformed("A message action's value is not an object.")
        return {str(k): v for k, v in activity.value.items()}
    if activity.type == "invoke":
        return _execute(activity)
    value = activity.value
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else {}


def parse(body: Any) -> Activity:
    if not isinstance(body, dict):
        raise Malformed("The body is not an activity.")
    try:
        activity = Activity.model_validate(body)
    except ValidationError as error:
        raise Malformed(f"The activity is malformed ({error.error_count()} problems).") from None
    except TypeError:  # the SDK's own checks (an empty channelId) raise outside pydantic's
        raise Malformed("The activity is malformed.") from None
    if not activity.type or activity.conversation is None or not activity.conversation.id:
        raise Malformed("The activity has no type or no conversation.")
    if not activity.service_url:
        raise Malformed("The activity has no serviceUrl.")
    return activity


def read_turn(body: Any) -> Turn:
    activity = parse(body)
    kind = _kind(activity)
    sender = activity.from_property
    if kind in ("command", "submit", "message_action") and (sender is None or not sender.id):
        raise Malformed("A message with no sender.")
    text = activity.remove_recipient_mention() if kind == "command" else ""
    reference = activity.get_conversation_reference().model_dump(
        by_alias=True, exclude_none=True, mode="json"
    )
    return Turn(
        kind=kind,
        conversation_id=str(activity.conversation.id),
        service_url=str(activity.service_url),
        tenant_id=_tenant(activity),
        channel_id=_channel(activity),
        activity_id=str(activity.id or ""),
        reply_to=str(activity.reply_to_id or ""),
        user=sender.model_dump(by_alias=True, exclude_none=True, mode="json") if sender else {},
        text=typed(text),
        value=_value(activity) if kind in ("submit", "message_action") else {},
        reference=reference,
        invoked=activity.type == "invoke",
        source=str(activity.channel_id.channel if activity.channel_id else ""),
        attachments=_attachments(activity) if kind == "command" else (),
        name=str(activity.name or "") if activity.type == "invoke" else "",
    )


def _attachments(activity: Activity) -> tuple[dict[str, Any], ...]:
    return tuple(
        a.model_dump(by_alias=True, exclude_none=True, mode="json")
        for a in activity.attachments or ()
    )
