"""Every paper made from a record, given hostile text in each field people type: a line
break cannot forge a heading or a list item, and no HTML tag, link or image gets through."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from bot import service
from bot.decisions import CloseForm, DeclareForm
from bot.incident import Incident
from bot.papers import drafts
from bot.papers.evidence_pack import artefacts
from bot.papers.register import entry, register_markdown
from bot.papers.report import report_html, report_markdown
from bot.service import Deps
from tests.conftest import SEED_T0, person
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import ANSWERS

HOSTILE = (
    "x\n# Forged heading\n- forged item\n[click](https://evil.example) "
    "<script>alert(1)</script> ![i](https://evil.example/p.png)"
)


async def hostile_record(deps: Deps, clock: FakeClock) -> Incident:
    sam, alex, priya = (person(deps.runbook, p) for p in ("sam", "alex", "priya"))
    form = DeclareForm(HOSTILE, "drafting-assistant", "context_leakage", HOSTILE, SEED_T0)
    key = (await service.declare(deps, sam, form)).key
    for step in range(4):
        await service.contain(deps, key, sam, step, "done")
    for question, value in ANSWERS:
        await service.answer(deps, key, alex, question, value, HOSTILE)
    await service.note(deps, key, sam, HOSTILE)
    await service.add_evidence(deps, key, sam, HOSTILE, "E4")
    await service.mark_obligation(deps, key, alex, "ico_art33", "done", HOSTILE)
    clock.advance(timedelta(hours=1))
    form_ = CloseForm(HOSTILE, lessons=HOSTILE, remediation=HOSTILE, override_reason=HOSTILE)
    return await service.close(deps, key, priya, form_)


def assert_markdown_safe(text: str) -> None:
    for line in text.splitlines():
        assert not re.match(r"\s*(#+|-) (Forged|forged)", line), line
    assert "<script" not in text
    assert not re.search(r"(?<!\\)\]\(https://evil", text), "a live link or image"


async def test_the_title_keeps_to_one_line_in_the_record(deps: Deps, clock: FakeClock) -> None:
    incident = await hostile_record(deps, clock)
    assert "\n" not in incident.title and incident.title.startswith("x # Forged heading")


async def test_the_markdown_papers_escape_hostile_text(deps: Deps, clock: FakeClock) -> None:
    incident = await hostile_record(deps, clock)
    now = clock.now()
    runbook = deps.runbook
    papers = {
        "report": report_markdown(incident, runbook, now),
        "register": register_markdown([entry(incident, runbook, now)], runbook),
    }
    for name, paper in papers.items():
        assert "Forged heading" in paper, name  # the text is kept, only made harmless
        assert_markdown_safe(paper)


@pytest.mark.parametrize("kind", drafts.KINDS)
async def test_each_draft_keeps_hostile_text_off_its_own_lines(
    deps: Deps, clock: FakeClock, kind: str
) -> None:
    incident = await hostile_record(deps, clock)
    text = drafts.draft(kind, incident, deps.runbook, clock.now())
    for line in text.splitlines():
        assert not re.match(r"#+ Forged|- forged", line), line


async def test_the_html_papers_escape_hostile_text(deps: Deps, clock: FakeClock) -> None:
    incident = await hostile_record(deps, clock)
    now = clock.now()
    html = report_html(incident, deps.runbook, now)
    assert "<script" not in html and "&lt;script&gt;" in html
    pack = {a.path: a.body for a in artefacts(incident, [], deps.runbook, now)}
    assert b"<script" not in pack["report.html"]
    assert_markdown_safe(pack["report.md"].decode("utf-8"))
