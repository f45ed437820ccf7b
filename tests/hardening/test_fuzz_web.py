"""Property tests over the local web chat's form posts: any field missing, doubled, of the
wrong kind (a file where text belongs), huge or odd, from any speaker. Whatever arrives: no
5xx, no stack trace on the answer or the page it leads to, typed text shown escaped, and
every timeline unchanged or a whole valid append."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import given
from hypothesis import strategies as st

from bot.runbook import Runbook
from bot.service import Deps
from handlers.web.chat import OffsetClock, WebChat
from handlers.web.routes import add_web_chat
from storage.sql import SqlStore
from tests.e2e.slack_rig import store_at
from tests.fakes.clock import FakeClock
from tests.hardening.conftest import FUZZ
from tests.hardening.fuzzing import leaks, words
from tests.hardening.records import assert_only_whole_appends, snapshot

PATHS = ("/as", "/declare", "/action", "/command", "/close", "/clock")
FIELDS = (
    "as", "room", "key", "action", "text", "title", "system", "failure_type", "noticed",
    "aware_at", "root_cause", "criteria", "lessons", "remediation", "override_reason",
    "hours", "form",
)  # fmt: skip
GOOD = {
    "as": st.sampled_from(("sam", "priya", "alex", "lee", "jordan", "nobody", "")),
    "room": st.sampled_from(("lobby", "web-ai-2026-0001", "web-ai-2026-9999", "../..")),
    "key": st.sampled_from(("AI-2026-0001", "ai-2026-0001", "AI-2026-9999", "")),
    "action": st.sampled_from(
        (
            "ack:incident_lead",
            "contain:0:done",
            "contain:3:not_possible",
            "classify:Q1:yes",
            "obligation:ico_art33:done",
            "evidence:E1",
            "delay:ico_art33",
            "close",
            "contain:99999999999999999999:done",
            "ack:",
        )
    ),
    "system": st.sampled_from(("drafting-assistant", "email-assistant", "nope")),
    "failure_type": st.sampled_from(("context_leakage", "fabrication", "nope", "")),
    "aware_at": st.sampled_from(("2026-03-26T15:30", "0001-01-01T00:00", "9999-12-31T23:59", "x")),
    "hours": st.sampled_from(("1", "24", "next", "0", "-1", "99999999999999999999", "٣")),
    "text": st.sampled_from(("status", "note hello", "evidence a link", "help", "list")),
}
SCRIPT = "<script>alert(1)</script>"


@dataclass
class Local:
    http: TestClient
    store: SqlStore


@pytest.fixture
async def local(runbook: Runbook, tmp_path: Path) -> AsyncIterator[Local]:
    from tests.conftest import SEED_T0

    store = store_at(tmp_path)
    chat, clock = WebChat(runbook), OffsetClock(FakeClock(SEED_T0))
    app = web.Application()
    add_web_chat(app, Deps(runbook, store, chat, clock), chat, clock)
    async with TestClient(TestServer(app)) as http:
        yield Local(http, store)


def value(name: str) -> st.SearchStrategy[Any]:
    odd = words() | st.binary(max_size=64).map(lambda b: ("file", b))
    return (GOOD[name] | odd) if name in GOOD else odd


@st.composite
def form_posts(draw: st.DrawFn) -> tuple[str, list[tuple[str, Any]]]:
    path = draw(st.sampled_from(PATHS), label="path")
    names = draw(st.lists(st.sampled_from(FIELDS), max_size=8), label="fields")
    return path, [(name, draw(value(name), label=name)) for name in names]


def body_of(fields: list[tuple[str, Any]]) -> aiohttp.FormData:
    form = aiohttp.FormData()
    for name, given_ in fields:
        if isinstance(given_, tuple):
            form.add_field(name, given_[1], filename="../../etc/passwd")
        else:
            form.add_field(name, given_)
    return form


async def checked_page(answer: aiohttp.ClientResponse) -> str:
    text = await answer.text()
    assert answer.status < 500, text[:2000]
    assert not leaks(text), text[:2000]
    assert SCRIPT not in text
    return text


@FUZZ
@given(post=form_posts(), origin=st.sampled_from((None, "same", "http://evil.example")))
async def test_any_form_post_is_answered_without_a_fault(
    local: Local, post: tuple[str, list[tuple[str, Any]]], origin: str | None
) -> None:
    path, fields = post
    before = await snapshot(local.store)
    if not before:  # once per test: an incident and its room for the posts to aim at
        await declare(local, "Assistant emailed the wrong client")
        before = await snapshot(local.store)
    headers = {}
    if origin:
        host = f"http://{local.http.host}:{local.http.port}"
        headers["Origin"] = host if origin == "same" else origin
    answer = await local.http.post(
        path, data=body_of(fields), headers=headers, allow_redirects=False
    )
    await checked_page(answer)
    if answer.status == 303:
        await checked_page(await local.http.get(answer.headers["Location"]))
    if origin not in (None, "same"):
        assert answer.status == 403
    await assert_only_whole_appends(local.store, before)


async def declare(local: Local, title: str) -> str:
    fields = {
        "as": "sam",
        "title": title,
        "system": "drafting-assistant",
        "failure_type": "context_leakage",
    }
    answer = await local.http.post("/declare", data=fields, allow_redirects=False)
    assert answer.status == 303
    return await checked_page(await local.http.get(answer.headers["Location"]))


async def test_typed_markup_is_recorded_and_shown_escaped(local: Local) -> None:
    page = await declare(local, SCRIPT)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert len(await snapshot(local.store)) == 1
