"""Adaptive Cards from core Views: mentions whose text and entity agree, Teams' size limit,
buttons that carry their action, and service URLs only Microsoft's."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.incident import Incident
from bot.ports import Undeliverable
from bot.runbook import Runbook
from bot.tokens import mention, moment, strong
from bot.views import Button, View, runbook_view
from handlers.teams.activity import typed
from handlers.teams.auth import StaticTokens
from handlers.teams.cards import (
    MAX_BYTES,
    Member,
    Mentions,
    Style,
    block,
    card,
    message,
    render,
    size,
)
from handlers.teams.connector import Connector
from handlers.teams.forms import close_card, declare_card
from handlers.teams.urls import ServiceUrls
from tests.contract.adaptive_cards import problems
from tests.fakes.teams_connector import MAX_MESSAGE, FakeConnector, message_size

SAM = Member("29:1sam", "Sam Okafor")


def test_a_mention_is_at_text_with_an_entity_that_agrees(runbook: Runbook) -> None:
    (card,) = render(
        View(f"Paging {mention('sam')} and {mention('priya')}"), Style(runbook, {"sam": SAM})
    )
    assert card["body"][0]["text"] == "Paging <at>Sam Okafor</at> and @Priya Shah"
    (entity,) = card["msteams"]["entities"]
    assert entity["text"] == "<at>Sam Okafor</at>" and entity["mentioned"]["id"] == SAM.id


def test_strong_text_is_teams_strong_and_a_runbook_reads_as_it_does_in_slack(
    runbook: Runbook,
) -> None:
    (card,) = render(View(f"Answer {strong('yes')}, not **already** nor 2 * 3"), Style(runbook))
    assert card["body"][0]["text"] == "Answer **yes**, not \\*\\*already\\*\\* nor 2 \\* 3"
    said = [b["text"] for c in render(runbook_view(runbook), Style(runbook)) for b in c["body"]]
    assert "**Who decides**" in said and not any(s.startswith("*W") for s in said)


def test_times_show_in_the_firms_zone(runbook: Runbook) -> None:
    (card,) = render(
        View(f"Due {moment(datetime(2026, 3, 29, 15, 30, tzinfo=UTC))}"), Style(runbook)
    )
    assert card["body"][0]["text"] == "Due Sun 29 Mar 2026 16:30 BST"


def test_a_long_view_continues_in_more_cards_each_under_the_limit(runbook: Runbook) -> None:
    lines = tuple(f"{i}: " + "evidence line " * 60 + mention("sam") for i in range(200))
    cards = render(
        View("Summary", lines, (), (Button("Ack", "ack:incident_lead"),)),
        Style(runbook, {"sam": SAM}),
        "AI-2026-0001",
    )
    assert len(cards) > 1 and all(size(c) <= MAX_BYTES for c in cards)
    assert all(message_size(message(c)) <= MAX_MESSAGE for c in cards)  # as Teams counts
    assert all(c["version"] == "1.5" for c in cards)
    said = [b["text"] for c in cards for b in c["body"] if b["type"] == "TextBlock"]
    assert sum(1 for s in said if s.startswith(tuple(f"{i}: " for i in range(200)))) == 200
    assert all("entities" in c["msteams"] for c in cards)
    assert "ack:incident_lead" in json.dumps(cards[0]) and "ack:" not in json.dumps(cards[1:])


def test_a_button_that_needs_words_opens_an_inline_form(runbook: Runbook) -> None:
    waive = Button("Decided not to notify", "obligation:ico_art33:waived", "", "reason")
    (card,) = render(View("ICO", buttons=(waive,)), Style(runbook), "AI-2026-0001")
    (action,) = card["body"][1]["actions"]
    assert action["type"] == "Action.ShowCard"
    (text_input,) = action["card"]["body"]
    assert (text_input["id"], text_input["isRequired"]) == ("text", True)
    save = action["card"]["actions"][0]
    assert save["data"] == {"action": "obligation:ico_art33:waived", "key": "AI-2026-0001"}


def test_typed_text_comes_back_as_typed() -> None:
    assert typed("<p>Cache bug &amp; fix &lt;confirmed&gt;</p>") == "Cache bug & fix <confirmed>"


def test_only_microsoft_service_urls_are_allowed() -> None:
    urls = ServiceUrls(extra=("http://127.0.0.1:4321",))
    assert urls.allowed("https://smba.trafficmanager.net/emea/")
    assert urls.allowed("http://127.0.0.1:4321/")
    for forged in (
        "https://smba.trafficmanager.net.evil.example/",
        "http://smba.trafficmanager.net/emea/",
        "https://evil.example/smba.trafficmanager.net/",
        "https://user@smba.trafficmanager.net/",
        "http://127.0.0.1:9999/",
        "http://localhost:4321/",
        "not a url",
    ):
        assert not urls.allowed(forged), forged


def test_every_form_and_view_card_is_adaptive_cards_1_5(runbook: Runbook, closed: Incident) -> None:
    now = closed.closed_at or datetime.now(UTC)
    cards = [declare_card(runbook, now, "Leak"), close_card(runbook, closed)]
    waive = Button("Decided not to notify", "obligation:ico_art33:waived", "danger", "reason")
    view_ = View(
        f"ICO {mention('sam')}",
        ("line",),
        (("Lead", mention("sam")),),
        (waive, Button("Ack", "ack:x")),
    )
    cards += render(view_, Style(runbook, {"sam": SAM}), closed.key)
    assert [p for c in cards for p in problems(c)] == []


def test_a_card_teams_could_not_render_is_caught(runbook: Runbook) -> None:
    (card,) = render(View("Hello"), Style(runbook))
    card["body"][0]["wrapp"] = True  # a misspelling
    card["version"] = "1.6"  # newer than Teams renders
    assert len(problems(card)) == 2


def test_typed_tokens_are_shown_as_typed_and_mention_nobody(runbook: Runbook) -> None:
    typed = "ask {@sam} about {t:2026-03-29T15:30:00+00:00}"
    (card,) = render(View(typed), Style(runbook, {"sam": SAM}))
    assert card["body"][0]["text"] == typed and "entities" not in card["msteams"]


async def test_a_message_over_28_kb_as_teams_counts_it_is_refused_and_cards_stay_under(
    runbook: Runbook,
) -> None:
    line = (
        "é" * 15_000
    )  # 15,000 characters: about 30 KB as UTF-16, and as UTF-8 too (é is two bytes either way)
    too_big = message(card([block(line)], Mentions()))
    assert message_size(too_big) > 28 * 1024
    async with FakeConnector() as teams:
        connector = Connector(ServiceUrls(extra=(teams.url,)), StaticTokens("t"))
        try:
            with pytest.raises(Undeliverable, match="413"):
                await connector.send(teams.url, "a:1chat", too_big)
            for c in render(View("Long", (line,)), Style(runbook), "AI-2026-0001"):
                assert await connector.send(teams.url, "a:1chat", message(c))
        finally:
            await connector.close()
