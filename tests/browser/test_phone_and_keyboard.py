"""The local web chat on a phone and with the keyboard alone: an incident is declared and
acknowledged without a mouse, every control shows where the focus is, and a phone-sized
screen scrolls only downwards with the conversation at full width."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from bot.runbook import Runbook
from tests.browser.browser import ARTIFACTS, chromium, serving
from tests.fakes.clock import FakeClock

PHONE = {"width": 390, "height": 844}
MAX_TABS = 80  # more presses than the page has controls: past that, a control is unreachable


async def tab_to(page: Page, selector: str) -> None:
    """Press Tab until the focus is on `selector`; fail if the keyboard cannot get there."""
    for _ in range(MAX_TABS):
        await page.keyboard.press("Tab")
        if await page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reaches {selector}")


async def focus_is_visible(page: Page) -> bool:
    """The focused control draws an outline (or ring) a sighted keyboard user can see."""
    return bool(
        await page.evaluate(
            """() => { const s = getComputedStyle(document.activeElement);
                 return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0)
                        || s.boxShadow !== 'none'; }"""
        )
    )


async def fits_the_screen(page: Page) -> bool:
    return bool(
        await page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


async def test_declare_and_acknowledge_on_a_phone_with_the_keyboard_alone(
    runbook: Runbook, clock: FakeClock, tmp_path: Path
) -> None:
    async with (
        serving(runbook, clock, tmp_path / "incidents.db") as server,
        chromium(viewport=PHONE, is_mobile=True, has_touch=True) as page,
    ):
        await page.goto(server)
        assert await fits_the_screen(page)
        main = await page.locator("main").bounding_box()
        assert main is not None and main["width"] >= PHONE["width"] - 40  # not a side column

        await tab_to(page, "input[name=title]")
        assert await focus_is_visible(page)
        await page.keyboard.type("Client report holds another client's figures")
        await tab_to(page, "textarea[name=noticed]")
        await page.keyboard.type("Acme's report shows Brightside's revenue")
        await tab_to(page, "button.primary")  # Declare
        assert await focus_is_visible(page)
        async with page.expect_navigation():
            await page.keyboard.press("Enter")
        assert "AI-2026-0001" in await page.inner_text("main")

        await tab_to(page, "form:has(input[value='ack:incident_lead']) button")
        assert await focus_is_visible(page)
        async with page.expect_navigation():
            await page.keyboard.press("Enter")
        assert "Acknowledged by @Sam Okafor at" in await page.inner_text("main")
        assert await fits_the_screen(page)
        await page.screenshot(path=ARTIFACTS / "05-phone.png", full_page=True)
