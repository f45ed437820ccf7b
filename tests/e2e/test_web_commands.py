"""Commands typed into the web chat answer as they do in Slack and Teams: one table in the
core, rendered as the page's own forms and messages."""

from __future__ import annotations

from html import unescape

from tests.e2e.test_web_chat import Browser, browser
from tests.e2e.test_web_chat import (
    test_the_close_form_closes_an_incident_that_needs_no_notice as closed_by_its_form,
)

__all__ = ["browser"]  # fixtures


async def test_evidence_alone_shows_the_checklist_whose_buttons_record_evidence(
    browser: Browser,
) -> None:
    await browser.declare()
    page = await browser.command("evidence")
    assert "AI-2026-0001 evidence checklist" in unescape(page)
    assert "E1 " in unescape(page) and "nothing yet" in unescape(page)
    await browser.press(
        next(label for label in _labels(page) if label.startswith("E1")),
        text="https://logs.example/1",
    )
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None and [e.item for e in incident.evidence] == ["E1"]


async def test_close_of_a_closed_incident_is_refused_as_in_slack_and_teams(
    browser: Browser,
) -> None:
    await closed_by_its_form(browser)
    page = await browser.command("close")
    assert "AI-2026-0001 is already closed." in unescape(page)


def _labels(page: str) -> list[str]:
    found = []
    for part in page.split("<button")[1:]:
        found.append(unescape(part.split(">", 1)[1].split("</button>", 1)[0]))
    return found
