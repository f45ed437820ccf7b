"""Browsing the local web chat as a person does — open it, declare, switch rooms, close the
page — leaves no ERROR and no traceback in the server's log (a page going away is normal),
and a line for each change: which incident, what, and who."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from tests.browser.browser import chromium
from tests.faults.servers import ServerProcess

DECLARE = {
    "room": "lobby",
    "as": "sam",
    "system": "drafting-assistant",
    "failure_type": "context_leakage",
}


async def declare(page_url: str, title: str) -> None:
    async with aiohttp.ClientSession() as http:
        form = DECLARE | {"title": title}
        async with http.post(page_url + "/declare", data=form, allow_redirects=False) as sent:
            assert sent.status == 303


async def test_browsing_the_web_chat_and_closing_the_page_logs_no_error(tmp_path: Path) -> None:
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'incidents.db'}"}
    env["RECORDS_DIR"] = str(tmp_path / "records")
    server = await ServerProcess(env, tmp_path / "server.log").ready()
    try:
        async with chromium() as page:
            await page.goto(server.url)
            for title in ("Drafting tool leaks figures", "Email assistant answers wrongly"):
                await page.goto(server.url + "/?room=lobby")
                await page.fill("input[name=title]", title)
                async with page.expect_navigation():
                    await page.click("button.primary")
            for key in ("AI-2026-0001", "AI-2026-0002", "AI-2026-0001"):
                async with page.expect_navigation():
                    await page.click(f"nav a:text('{key}')")
                assert key in await page.inner_text("main h1, main")
        # every stream the browser opened is now closed; a change wakes each of them
        await declare(server.url, "Chatbot quotes a withdrawn price")
        assert (await server.get("/healthz"))[0] == 200
    finally:
        server.process.terminate()
        server.process.wait(timeout=60)
    log = server.log.read_text(errors="replace")
    assert "serving the local web chat" in log
    marker = " INFO bot.service "
    changes = [line.split(marker)[1] for line in log.splitlines() if marker in line]
    declared = [line for line in changes if " declared," in line]
    assert [line.split()[0] for line in declared] == [f"AI-2026-000{n}" for n in (1, 2, 3)]
    assert declared[2].endswith("(web:sam)"), declared
    assert any(line.startswith("AI-2026-0001 room opened") for line in changes), changes
