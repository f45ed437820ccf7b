"""A message as Teams hands it to the message action: read as the Agents SDK reads it, its
HTML body as text (never rendered: scripts and styles dropped, mentions and emoji as
themselves), its time as said, its files as hashable downloads or links."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

import pytest
from microsoft_agents.activity.teams import MessagingExtensionAction

from handlers.teams.activity import Malformed, read_turn
from handlers.teams.message import html_text, read_message
from tests.e2e.teams_driver import fixture


def action(**payload: Any) -> dict[str, Any]:
    found = copy.deepcopy(fixture("message_action"))
    found["value"]["messagePayload"] |= payload
    return found


def without_nulls(value: Any) -> Any:
    """The payload without the nulls Teams sends (the SDK's model types those fields as
    strings; the edge reads them as absent)."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    return [without_nulls(v) for v in value] if isinstance(value, list) else value


def test_the_fixture_is_a_message_action_as_the_agents_sdk_reads_one() -> None:
    body = fixture("message_action")
    sdk = MessagingExtensionAction.model_validate(without_nulls(body["value"]))
    turn = read_turn(body)
    assert (turn.kind, turn.name, turn.invoked) == (
        "message_action",
        "composeExtension/submitAction",
        True,
    )
    message = read_message(turn.value)
    assert sdk.message_payload is not None and sdk.message_payload.id == message.id
    assert message.at == datetime(2026, 3, 26, 15, 46, 52, 345000, tzinfo=UTC)
    assert (message.author_id, message.author_name) == ("aad-alex", "Alex Morgan")
    assert message.text == "Vendor confirmed the cache bug & the fix"


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>one</p><p>two</p>", "one\ntwo"),
        ("a<br>b<br/>c", "a\nb\nc"),
        ("<div>x &lt;b&gt; &amp;&nbsp;y</div>", "x <b> & y"),
        ('<p><at id="0">Sam Okafor</at> called the client</p>', "Sam Okafor called the client"),
        ('ok <emoji id="smile" alt="🙂" title="Smile"></emoji>', "ok 🙂"),
        ('<img itemtype="http://schema.skype.com/Emoji" alt="👍" src="x">', "👍"),
        ("<script>alert(1)</script><style>p{}</style>safe", "safe"),
        ("<p>  spaced\n  out  </p>", "spaced out"),
        ("<pre>line 1\n  line 2</pre>", "line 1\n  line 2"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("1 < 2 > 0", "1 < 2 > 0"),
        ("<div><div>nested</div></div><div>next</div>", "nested\nnext"),
        ("a<br><br>b", "a\n\nb"),
    ],
)
def test_html_is_read_as_text(html: str, text: str) -> None:
    assert html_text(html)[0] == text


def test_a_plain_text_body_is_kept_as_it_is() -> None:
    body = {"contentType": "text", "content": "<b>not markup</b>"}
    assert read_message(action(body=body)["value"]).text == "<b>not markup</b>"


def test_links_are_kept_without_their_query_and_only_over_http() -> None:
    attachments = [
        {"contentType": "reference", "contentUrl": "https://hv.sharepoint.com/a.pdf?tempauth=x"},
        {"contentType": "reference", "contentUrl": "javascript:alert(1)", "name": "bad"},
        {"contentType": "reference", "contentUrl": "http://[broken/x", "name": "broken"},
        {"contentType": "application/vnd.microsoft.card.adaptive", "content": {}},
    ]
    files = read_message(action(attachments=attachments)["value"]).files
    assert [(f.name, f.url) for f in files] == [("a file", "https://hv.sharepoint.com/a.pdf")]


def test_an_apps_message_has_no_person_behind_it() -> None:
    sender = {"user": None, "application": {"id": "app", "displayName": "AI Incident"}}
    assert not read_message(action(**{"from": sender})["value"]).by_person


@pytest.mark.parametrize(
    "payload", [{"id": ""}, {"id": 7}, {"createdDateTime": "yesterday"}, {"createdDateTime": None}]
)
def test_a_message_teams_would_not_send_is_malformed(payload: dict[str, Any]) -> None:
    with pytest.raises(Malformed):
        read_message(action(**payload)["value"])
