"""The web chat's pin button: what a person said in an incident's room goes onto its
timeline, with who said it and when."""

from __future__ import annotations

from html import unescape

from tests.e2e.test_web_chat import ROOM, Browser, browser, form_with

__all__ = ["browser"]  # fixtures


async def test_a_pinned_remark_is_on_the_timeline_with_who_said_it_and_when(
    browser: Browser,
) -> None:
    await browser.declare()
    await browser.command("note Client called at 10:05")
    page = await browser.press("Pin to the timeline")
    assert "Pinned to the incident's timeline." in unescape(page)
    incident = await browser.store.load("AI-2026-0001")
    assert incident is not None
    (pin,) = [e for e in incident.events if e.type == "pinned"]
    assert pin.data["author"] == "Sam Okafor" and pin.data["text"] == "note Client called at 10:05"
    said = next(m for m in browser.chat.rooms[ROOM].messages if m.by)
    assert pin.data["said_at"] == said.posted_at.isoformat()


async def test_a_message_not_in_the_room_cannot_be_pinned(browser: Browser) -> None:
    await browser.declare()
    await browser.command("note Checked")
    form, _ = form_with(browser.page, "Pin to the timeline")
    data = {**form.fields, "message": "nope-1"}
    response = await browser.client.post("/pin", data=data)
    assert response.status == 200
    assert "Only something a person said in this room can be pinned." in unescape(
        await response.text()
    )
