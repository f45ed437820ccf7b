"""One neutral markup: the bot's strong text is a token (bot.tokens.strong), and each edge
gives it its platform's bold; what people typed holds no markup, and every edge shows its
asterisks, underscores and backticks as typed."""

from __future__ import annotations

from bot.papers.document import Paragraph, Section, render_html, render_markdown
from bot.runbook import Runbook
from bot.tokens import strong
from bot.views import View
from handlers.slack import blocks
from handlers.teams import cards
from handlers.web.room_page import say

TYPED = "Leak in *urgent* _draft_ ~x~ `rm` 2*3 **all** ico_art33 a\\*b"
LINE = f"Q3 answered {strong('unsure')}: {TYPED}"


def test_slack_shows_strong_as_bold_and_typed_markup_as_typed(runbook: Runbook) -> None:
    (message,) = blocks.render(View("Q3", (LINE,)), blocks.Style(runbook))
    text = message.blocks[1]["text"]["text"]
    as_typed = {c: f"<!date^0^{{_}}|{c}>" for c in "*_~`"}  # Slack shows the fallback, as is
    assert text.startswith("Q3 answered *unsure*: Leak in ")
    assert f"{as_typed['*']}urgent{as_typed['*']}" in text
    assert f"{as_typed['_']}draft{as_typed['_']}" in text
    assert f"{as_typed['~']}x{as_typed['~']} {as_typed['`']}rm{as_typed['`']}" in text
    assert f"2{as_typed['*']}3" in text and "ico_art33" in text  # inside a word, _ is safe
    assert "*urgent*" not in text and "_draft_" not in text and "**all**" not in text
    assert message.blocks[0]["text"]["text"] == "*Q3*"  # the title, in bold


def test_a_word_of_markup_characters_stays_within_slacks_limits(runbook: Runbook) -> None:
    parts = blocks.render(View("Stars", ("*" * 2000,)), blocks.Style(runbook))
    sections = [b["text"]["text"] for p in parts for b in p.blocks if b["type"] == "section"]
    assert all(len(s) <= blocks.MAX_SECTION for s in sections)
    assert sum(s.count("|*>") for s in sections) == 2000  # every one shown, none cut


def test_teams_shows_strong_as_bold_and_escapes_typed_markdown(runbook: Runbook) -> None:
    (card,) = cards.render(View("Q3", (LINE,)), cards.Style(runbook))
    text = card["body"][1]["text"]
    assert text.startswith("Q3 answered **unsure**: Leak in \\*urgent\\* \\_draft\\_ ")
    assert "2\\*3 \\*\\*all\\*\\* ico_art33 a\\\\\\*b" in text
    assert cards.fallback(View(f"{strong('AI-2026-0001')} *typed*"), cards.Style(runbook)) == (
        "AI-2026-0001 *typed*"  # a notification is plain text: no Markdown, no backslashes
    )


def test_the_web_shows_strong_as_strong_and_typed_text_escaped(runbook: Runbook) -> None:
    html = str(say(f"{LINE} <b>x</b>", runbook))
    assert html.startswith("Q3 answered <strong>unsure</strong>: Leak in *urgent* _draft_ ")
    assert "2*3 **all** ico_art33" in html and "&lt;b&gt;x&lt;/b&gt;" in html
    assert html.count("<strong>") == 1


def test_the_papers_print_strong_and_escape_typed_markup() -> None:
    doc = (Section("Said", (Paragraph(LINE),)),)
    markdown = render_markdown("T", doc)
    assert "Q3 answered **unsure**: Leak in \\*urgent\\* \\_draft\\_" in markdown
    assert "\\*\\*all\\*\\*" in markdown
    html = render_html("T", doc)
    assert "Q3 answered <strong>unsure</strong>: Leak in *urgent* _draft_" in html
    assert html.count("<strong>") == 1
