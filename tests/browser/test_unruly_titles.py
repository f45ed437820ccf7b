"""Titles that break pages: a right-to-left override must not reverse the incident key or
anything after the title, and a long unbroken title must wrap, on a phone and a desktop, in
the web chat and on the board. A paste past the title's limit is cut, and the page says so."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import Page

from bot.decisions import MAX_TITLE
from bot.runbook import Runbook
from tests.browser.browser import ARTIFACTS, chromium, serving
from tests.fakes.clock import FakeClock

RLO = "\u202e"
OVERRIDDEN = f"{RLO}Report leak"  # no closing PDF: typed, it reverses all that follows
UNBROKEN = "x" * 300
SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
# The keys, and the phase drawn after each title (on the same line, so within its reach).
IN_ORDER = ("AI-2026-0001", "AI-2026-0002", "containment")

# For every visible occurrence of each word: is its first character drawn left of its last?
WORDS_IN_ORDER = """words => {
  const wrong = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const key of words) {
      let at = node.data.indexOf(key);
      for (; at >= 0; at = node.data.indexOf(key, at + 1)) {
        const rect = i => { const r = document.createRange();
          r.setStart(node, i); r.setEnd(node, i + 1); return r.getBoundingClientRect(); };
        const first = rect(at), last = rect(at + key.length - 1);
        if (first.width === 0) { continue; }  // not drawn (a <title>, a hidden field)
        if (!(first.left < last.left)) { wrong.push(node.parentElement.outerHTML.slice(0, 120)); }
      }
    }
  }
  return wrong;
}"""


async def fits(page: Page) -> bool:
    return bool(
        await page.evaluate(
            "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    )


async def declare(page: Page, base: str, title: str) -> None:
    await page.goto(base + "?room=lobby")
    await page.click("input[name=title]")
    await page.keyboard.insert_text(title)
    async with page.expect_navigation():
        await page.click("button.primary")


async def test_unruly_titles_keep_the_key_readable_and_the_page_on_screen(
    runbook: Runbook, clock: FakeClock, tmp_path: Path
) -> None:
    async with (
        serving(runbook, clock, tmp_path / "incidents.db") as server,
        chromium(viewport=SCREENS["desktop"]) as page,
    ):
        await declare(page, server, OVERRIDDEN)
        await page.goto(server + "?room=lobby")
        await page.click("input[name=title]")
        await page.keyboard.insert_text(UNBROKEN)
        assert len(await page.input_value("input[name=title]")) == MAX_TITLE
        counter = await page.inner_text("input[name=title] + .counter")
        assert f"{MAX_TITLE} of {MAX_TITLE} characters" in counter and "limit" in counter
        async with page.expect_navigation():
            await page.click("button.primary")
        assert "x" * MAX_TITLE in await page.inner_text("main")

        pages = ["?room=web-ai-2026-0001", "?room=web-ai-2026-0002", "board", "board/AI-2026-0001"]
        for name, screen in SCREENS.items():
            await page.set_viewport_size(screen)
            for path in pages:
                await page.goto(server + path)
                assert await fits(page), f"{path} is wider than the {name} screen"
                assert await page.evaluate(WORDS_IN_ORDER, list(IN_ORDER)) == [], path
            await page.goto(server + "?room=web-ai-2026-0002")
            await page.screenshot(path=ARTIFACTS / f"06-unbroken-title-{name}.png", full_page=True)
