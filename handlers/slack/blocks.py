"""Block Kit for core Views: pure renderers that stay within Slack's limits.

    style = Style(runbook, users={"sam": "U0SAMOKAFOR"})
    parts = render(view(notice, runbook, now), style, key="AI-2026-0001")
    parts[0].blocks   # ≤ 50 blocks; a View too long for one message continues in parts[1:]

Tokens in core text become Slack's own: `{@sam}` → `<@U0SAMOKAFOR>` (a person with no Slack
id shows as @Name), `{t:ISO}` → a date token each reader sees in their own zone, followed by
the firm's time; strong text (`tokens.strong`) → `*strong*`. Everything else is plain text,
escaped so it can never ping `<!channel>` nor turn bold, italic, struck or code: mrkdwn has
no escape for `*`, `_`, `~` or a backtick, so each is sent as the fallback of a date token
whose format Slack cannot read, which every client shows as the character, unformatted.
Nothing is cut short: over-long text is split across blocks or messages, and what cannot be
split (a button label, an action id) is refused with TooLong.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

from bot import tokens
from bot.durations import local_time
from bot.runbook import Runbook
from bot.tokens import strong, strong_as
from bot.views import Button, View

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_FIELD = 2000
MAX_FIELDS = 10
MAX_ELEMENTS = 25
MAX_BUTTON_TEXT = 75
MAX_ACTION_ID = 255
MAX_VALUE = 2000
MAX_FALLBACK = 4000  # Slack keeps 40,000; notifications show far less
RAW_PIECE = 500  # an unbroken word is split into pieces this long before escaping
# `*` `_` `~` and a backtick, where mrkdwn could read them as formatting: `_` inside a word
# (snake_case, ico_art33) never is.
TYPED_MARKUP = re.compile(r"[*~`]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
AS_TYPED = "<!date^0^{{_}}|{}>"  # a date Slack cannot format shows its fallback, as is

# The core's two tokens, plus `{#C123}` (a channel link) that only Slack answers use.
TOKEN = tokens.ANY
DATE_FORMAT = "{date_short_pretty} {time}"

Blocks = list[dict[str, Any]]


class TooLong(ValueError):
    """Content over a Slack limit that cannot be split; the message names the limit."""


@dataclass(frozen=True)
class Style:
    """What token rendering needs: the runbook (names, zone) and people's Slack ids."""

    runbook: Runbook
    users: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Message:
    text: str  # the fallback Slack shows in notifications
    blocks: Blocks


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def as_typed(text: str) -> str:
    """Plain text for mrkdwn: escaped, and no character in it read as formatting."""
    return TYPED_MARKUP.sub(lambda m: AS_TYPED.format(m.group(0)), escape(text))


def _token(token: str, style: Style) -> str:
    if token.startswith("#"):
        return f"<{token}>"
    if token.startswith("@"):
        user = style.users.get(token[1:])
        if user:
            return f"<@{user}>"
        person = style.runbook.find_person(token[1:])
        return "@" + escape(person.name if person else token[1:])
    return _moment(token[2:], style)


def _moment(iso: str, style: Style) -> str:
    try:
        at = datetime.fromisoformat(iso)
    except ValueError:
        return escape(iso)
    firm = local_time(at, style.runbook.firm.timezone)
    return f"<!date^{int(at.timestamp())}^{DATE_FORMAT}|{firm}> ({firm})"


def mrkdwn(text: str, style: Style) -> str:
    """Core text as Slack mrkdwn: tokens resolved, strong text *strong*, the rest as typed."""
    out, at = [], 0
    for m in TOKEN.finditer(text):
        out += [_plain(text[at : m.start()]), _token(m.group(1), style)]
        at = m.end()
    return "".join([*out, _plain(text[at:])])


def _plain(text: str) -> str:
    return strong_as(text, "*", "*", as_typed)


def mentioned(texts: Sequence[str]) -> set[str]:
    """The runbook person ids `{@…}` tokens name, for the chat to look up."""
    return {m.group(1)[1:] for t in texts for m in TOKEN.finditer(t) if m.group(1)[0] == "@"}


def view_texts(v: View) -> list[str]:
    return [v.title, *v.lines, *(value for _, value in v.fields)]


def _pieces(line: str, style: Style) -> Iterator[str]:
    """A rendered line in pieces of at most MAX_SECTION, split between words."""
    words = [
        w[i : i + RAW_PIECE] for w in line.split(" ") for i in range(0, max(len(w), 1), RAW_PIECE)
    ]
    piece = ""
    for word in (said for w in words for said in _rendered(w, style)):
        joined = f"{piece} {word}" if piece else word
        if len(joined) > MAX_SECTION:
            yield piece
            joined = word
        piece = joined
    yield piece


def _rendered(word: str, style: Style) -> Iterator[str]:
    """A word rendered, in as many parts as keep each within MAX_SECTION (a word of markup
    characters, each sent as typed, grows many times over)."""
    said = mrkdwn(word, style)
    if len(said) <= MAX_SECTION or len(word) < 2:
        yield said
        return
    half = len(word) // 2
    yield from _rendered(word[:half], style)
    yield from _rendered(word[half:], style)


def _pack(lines: Sequence[str], style: Style) -> list[str]:
    """Lines joined into as few texts of at most MAX_SECTION as will hold them."""
    texts: list[str] = []
    for piece in (p for line in lines for p in _pieces(line, style)):
        if texts and len(texts[-1]) + 1 + len(piece) <= MAX_SECTION:
            texts[-1] += "\n" + piece
        else:
            texts.append(piece or " ")
    return texts


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _fields(v: View, style: Style) -> tuple[Blocks, list[str]]:
    """Fields as sections of up to ten; one too long for a field becomes a line."""
    short, long = [], []
    for label, value in v.fields:
        text = f"*{escape(label)}*\n{mrkdwn(value, style)}"
        if len(text) <= MAX_FIELD:
            short.append({"type": "mrkdwn", "text": text})
        else:
            long.append(f"{strong(label)}: {value}")
    groups = [short[i : i + MAX_FIELDS] for i in range(0, len(short), MAX_FIELDS)]
    return [{"type": "section", "fields": g} for g in groups], long


def button(b: Button, key: str) -> dict[str, Any]:
    """`value` carries the incident key and, for a button that asks first, what it asks."""
    if len(b.label) > MAX_BUTTON_TEXT:
        raise TooLong(f"Button text '{b.label[:40]}…' is over {MAX_BUTTON_TEXT} characters.")
    if len(b.action_id) > MAX_ACTION_ID:
        raise TooLong(f"Action id '{b.action_id[:40]}…' is over {MAX_ACTION_ID} characters.")
    value = f"{key}|{b.needs}" if b.needs else key
    out = {
        "type": "button",
        "text": {"type": "plain_text", "text": b.label, "emoji": True},
        "action_id": b.action_id,
        "value": value,
    }
    return out | ({"style": b.style} if b.style else {})


def actions(buttons: Sequence[Button], key: str) -> Blocks:
    elements = [button(b, key) for b in buttons]
    ids = [e["action_id"] for e in elements]
    if len(set(ids)) != len(ids):
        raise TooLong("Two buttons in one message share an action id; Slack refuses that.")
    groups = [elements[i : i + MAX_ELEMENTS] for i in range(0, len(elements), MAX_ELEMENTS)]
    return [{"type": "actions", "elements": g} for g in groups]


def fallback(v: View, style: Style) -> str:
    text = "\n".join(mrkdwn(t, style) for t in (v.title, *v.lines))
    return text if len(text) <= MAX_FALLBACK else mrkdwn(v.title, style)


def render(v: View, style: Style, key: str = "") -> list[Message]:
    """One message, or more when the View's text needs over 50 blocks (buttons stay first)."""
    fields, long = _fields(v, style)
    texts = [section(t) for t in _pack([*v.lines, *long], style)] if (v.lines or long) else []
    head = [section(t) for t in _pack([strong(v.title)], style)]
    tail = fields + actions(v.buttons, key)
    room = MAX_BLOCKS - len(head) - len(tail)
    if room < 0:
        raise TooLong(f"'{v.title[:40]}' needs more than {MAX_BLOCKS} fixed blocks.")
    text = fallback(v, style)
    first = Message(text, checked(head + texts[:room] + tail))
    rest = texts[room:]
    more = [rest[i : i + MAX_BLOCKS] for i in range(0, len(rest), MAX_BLOCKS)]
    again = mrkdwn(v.title, style) + " (continued)"
    return [first, *(Message(again, checked(b)) for b in more)]


def checked(blocks: Blocks, limit: int = MAX_BLOCKS) -> Blocks:
    """Blocks as Slack will take them, or TooLong naming the broken limit."""
    if not 0 < len(blocks) <= limit:
        raise TooLong(f"A message holds 1 to {limit} blocks, not {len(blocks)}.")
    for block in blocks:
        parsed = Block.parse(block)
        if parsed is None:
            raise TooLong(f"Unknown block type {block.get('type')!r}.")
        try:
            parsed.validate_json()
        except SlackObjectFormationError as error:
            raise TooLong(str(error)) from None
        _check_fields(block)
    return blocks


def _check_fields(block: dict[str, Any]) -> None:
    for f in block.get("fields", ()):
        if len(f["text"]) > MAX_FIELD:
            raise TooLong(f"A section field is over {MAX_FIELD} characters.")
    for e in block.get("elements", ()):
        if len(str(e.get("value", ""))) > MAX_VALUE:
            raise TooLong(f"A button value is over {MAX_VALUE} characters.")
