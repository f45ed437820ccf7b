"""Adaptive Cards (1.5) for core Views: pure renderers that stay under Teams' size limit.

    style = Style(runbook, members={"sam": Member("29:1sam", "Sam Okafor")})
    cards = render(view(notice, runbook, now), style, key="AI-2026-0001")
    cards[0]["msteams"]["entities"]   # one mention entity per person named in the card

Tokens in core text become Teams' own: `{@sam}` → `<at>Sam Okafor</at>` with a mention entity
whose text is exactly that (a person Teams does not know shows as plain @Name); `{t:ISO}` →
the firm's local time; strong text (`tokens.strong`) → `**strong**`. The rest is plain text:
the Markdown a TextBlock reads in it (`*`, an `_` at a word's edge, and a backslash before
them) is escaped with a backslash, so typed text shows as typed.
A button sends `{"action", "key"}` back through Action.Execute (Universal Actions: Teams
invokes the bot, which updates the card in place); one that needs words first opens an
inline form (Action.ShowCard) whose Save sends `text` with them. Action.Submit is still
read (handlers.teams.activity), for cards posted before.
A View too long for one card continues in more cards, each under MAX_BYTES.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.durations import local_time
from bot.runbook import Runbook
from bot.tokens import strong_as
from bot.views import TOKEN, Button, View

VERSION = "1.5"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"
# Teams refuses a bot's message over ~28 KB (413 MessageSizeTooBig), counting its JSON as
# UTF-16; a card leaves room under that for the message around it.
MAX_BYTES = 26_000
MAX_LINE = 4000
PER_SET = 5  # buttons per row: Teams hides what a row cannot show
MAX_INPUT = 3000
STYLES = {"primary": "positive", "danger": "destructive"}
ASKS = {
    "reason": "Reason",
    "reference": "Reference (case number, email subject, who was told)",
    "evidence": "Description or link",
    "states": "Member states where affected people live (e.g. FR, IE)",
}

# What a TextBlock would read as emphasis in typed text; `_` inside a word never is.
TYPED_MARKUP = re.compile(r"\\(?=[\\*_])|\*|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")

Card = dict[str, Any]


@dataclass(frozen=True)
class Member:
    """A Teams user: the id mentions and the connector use, and the display name."""

    id: str
    name: str


@dataclass(frozen=True)
class Style:
    runbook: Runbook
    members: Mapping[str, Member] = field(default_factory=dict)


class Mentions:
    """The mention entities a card needs, one per person, in order of first mention."""

    def __init__(self) -> None:
        self._found: dict[str, Member] = {}

    def at(self, member: Member) -> str:
        self._found.setdefault(member.id, member)
        return f"<at>{member.name}</at>"

    def entities(self) -> list[dict[str, Any]]:
        return [
            {
                "type": "mention",
                "text": f"<at>{m.name}</at>",
                "mentioned": {"id": m.id, "name": m.name},
            }
            for m in self._found.values()
        ]


def mentioned(texts: Sequence[str]) -> set[str]:
    """The runbook person ids `{@…}` tokens name, for the chat to look up."""
    return {m.group(1)[1:] for t in texts for m in TOKEN.finditer(t) if m.group(1)[0] == "@"}


def view_texts(v: View) -> list[str]:
    return [v.title, *v.lines, *(value for _, value in v.fields)]


def as_typed(text: str) -> str:
    """Plain text for a TextBlock: no character in it read as Markdown."""
    return TYPED_MARKUP.sub(lambda m: "\\" + m.group(0), text)


def resolve(text: str, style: Style, mentions: Mentions, markdown: bool = True) -> str:
    """Core text with its tokens as Teams shows them, strong text **strong**, the rest as
    typed (or, not `markdown`, all as plain text, for a notification)."""

    def said(part: str) -> str:
        return strong_as(part, "**", "**", as_typed) if markdown else strong_as(part, "", "")

    out, at = [], 0
    for m in TOKEN.finditer(text):
        out += [said(text[at : m.start()]), _token(m, style, mentions)]
        at = m.end()
    return "".join([*out, said(text[at:])])


def _token(m: re.Match[str], style: Style, mentions: Mentions) -> str:

    token = m.group(1)
    if token.startswith("@"):
        member = style.members.get(token[1:])
        if member is not None:
            return mentions.at(member)
        person = style.runbook.find_person(token[1:])
        return "@" + (person.name if person else token[1:])
    try:
        return local_time(datetime.fromisoformat(token[2:]), style.runbook.firm.timezone)
    except ValueError:
        return m.group(0)


def block(text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": text, "wrap": True, **extra}


def submit(title: str, data: Mapping[str, str], style: str = "") -> dict[str, Any]:
    """A button: an Action.Execute whose verb is what it does (`ack:…`, a form's name)."""
    verb = data.get("action") or data.get("form") or "submit"
    action = {"type": "Action.Execute", "title": title, "verb": verb, "data": dict(data)}
    return action | ({"style": STYLES[style]} if style in STYLES else {})


def ask(b: Button, key: str) -> dict[str, Any]:
    """An inline form: the words the button needs, then Save presses it with them."""
    optional = b.action_id.startswith("classify:")  # a reason only matters when it stops a clock
    text_input = {
        "type": "Input.Text",
        "id": "text",
        "label": ASKS.get(b.needs, ASKS["reason"]),
        "isMultiline": True,
        "maxLength": MAX_INPUT,
        "isRequired": not optional,
        "errorMessage": "Please fill this in.",
    }
    save = submit("Save", {"action": b.action_id, "key": key}, b.style)
    card = {"type": "AdaptiveCard", "body": [text_input], "actions": [save]}
    return {"type": "Action.ShowCard", "title": b.label, "card": card}


def confirm(b: Button, key: str) -> dict[str, Any]:
    """Before a kill switch runs: the exact request (secrets masked); Send runs it."""
    shown = [block("This request will be sent:"), block(b.detail, fontType="Monospace")]
    send = submit("Send", {"action": b.action_id, "key": key}, b.style)
    card = {"type": "AdaptiveCard", "body": shown, "actions": [send]}
    return {"type": "Action.ShowCard", "title": b.label, "card": card}


def button(b: Button, key: str) -> dict[str, Any]:
    if b.needs == "confirm":
        return confirm(b, key)
    if b.needs:
        return ask(b, key)
    return submit(b.label, {"action": b.action_id, "key": key}, b.style)


def action_sets(buttons: Sequence[Button], key: str) -> list[dict[str, Any]]:
    actions = [button(b, key) for b in buttons]
    rows = [actions[i : i + PER_SET] for i in range(0, len(actions), PER_SET)]
    return [{"type": "ActionSet", "actions": row} for row in rows]


def card(body: list[dict[str, Any]], mentions: Mentions) -> Card:
    """A card with the mention entities of exactly the mentions its text holds."""
    content = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": VERSION, "body": body}
    said = json.dumps(body, ensure_ascii=False)
    entities = [e for e in mentions.entities() if json.dumps(e["text"])[1:-1] in said]
    return content | {"msteams": {"width": "Full"} | ({"entities": entities} if entities else {})}


def size(c: Card) -> int:
    """As Teams counts: UTF-16 bytes."""
    return len(json.dumps(c, ensure_ascii=False).encode("utf-16-le"))


def _pieces(lines: Sequence[str]) -> Iterator[str]:
    for line in lines:
        for i in range(0, max(len(line), 1), MAX_LINE):
            yield line[i : i + MAX_LINE]


def render(v: View, style: Style, key: str = "") -> list[Card]:
    """Title, lines, fields, buttons: one card, or more when the lines need them (the
    fields and buttons stay on the first, which is the one updated in place)."""
    mentions = Mentions()
    title = resolve(v.title, style, mentions)
    tail = [
        block(f"**{as_typed(label)}:** {resolve(value, style, mentions)}", spacing="None")
        for label, value in v.fields
    ] + action_sets(v.buttons, key)
    lines = [block(resolve(p, style, mentions)) for p in _pieces(v.lines)]
    first: list[dict[str, Any]] = [block(title, weight="Bolder", size="Medium")]
    rest: list[dict[str, Any]] = []
    for line in lines:
        if not rest and size(card([*first, line, *tail], mentions)) <= MAX_BYTES:
            first.append(line)
        else:
            rest.append(line)
    cards = [card(first + tail, mentions)]
    body: list[dict[str, Any]] = []
    for line in rest:
        if body and size(card([*body, line], mentions)) > MAX_BYTES:
            cards.append(card(body, mentions))
            body = []
        body = body or [block(f"{title} (continued)", weight="Bolder")]
        body.append(line)
    return cards + ([card(body, mentions)] if body else [])


def fallback(v: View, style: Style) -> str:
    """The one-line summary Teams shows in notifications and the activity feed."""
    title = resolve(v.title, style, Mentions(), markdown=False)
    return title.replace("<at>", "").replace("</at>", "")


def attachment(c: Card) -> dict[str, Any]:
    return {"contentType": CARD_TYPE, "content": c}


def message(c: Card, summary: str = "") -> dict[str, Any]:
    """A message activity carrying one card."""
    return {"type": "message", "summary": summary, "attachments": [attachment(c)]}
