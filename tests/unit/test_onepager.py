"""The printable one-page runbook: everything someone needs in the first hour, by name."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.clock_guide import clock_rows
from bot.papers.onepager import render_runbook_html, render_runbook_markdown
from bot.runbook import Runbook
from bot.runbook_parse import load_runbook

SHIPPED_PATH = Path(__file__).parents[2] / "runbook.yaml"


@pytest.fixture
def runbook() -> Runbook:
    return load_runbook(SHIPPED_PATH)


def row(markdown: str, decision: str) -> str:
    return next(line for line in markdown.splitlines() if line.startswith(f"| {decision}"))


def test_markdown_names_the_firm_and_the_response_order(runbook: Runbook) -> None:
    page = render_runbook_markdown(runbook)

    assert page.startswith("# AI incident runbook — Harbour & Vale Advisory LLP\n")
    steps = ["Contain", "Classify", "Preserve evidence", "Remediate", "Learn"]
    positions = [page.index(f"**{step}**") for step in steps]
    assert positions == sorted(positions)


def test_markdown_names_who_can_switch_each_system_off_and_how(runbook: Runbook) -> None:
    page = render_runbook_markdown(runbook)

    assert (
        "**Who can switch it off:** Lee Chen (IT Lead), Sam Okafor (Operations Director) "
        "or Priya Shah (Managing Partner)"
    ) in page
    assert "**Who can switch it off:** Lee Chen (IT Lead) or Sam Okafor (Operations Director)" in (
        page
    )
    for system in runbook.systems:
        assert f"### {system.name}" in page
        assert system.kill_switch.how in page


def test_markdown_lists_logs_vendor_and_containment_steps(runbook: Runbook) -> None:
    page = render_runbook_markdown(runbook)

    for system in runbook.systems:
        assert f"**Logs:** {system.logs}" in page
        assert system.vendor in page and system.contract.notes in page
        for step in system.containment:
            assert f"- [ ] {step}" in page
    assert "must tell us of its incidents within 48 hours" in page


def test_markdown_says_what_counts_as_reportable(runbook: Runbook) -> None:
    page = render_runbook_markdown(runbook)

    assert "## What counts as reportable" in page
    assert runbook.reportable in page


def test_markdown_names_a_person_for_every_decision(runbook: Runbook) -> None:
    page = render_runbook_markdown(runbook)

    lead = "Sam Okafor (Operations Director), then Priya Shah (Managing Partner)"
    dpo = "Alex Morgan (Data Protection Lead), then Priya Shah (Managing Partner)"
    assert row(page, "Declare and lead the incident").endswith(f"| {lead} |")
    assert row(page, "Is it a personal-data breach?").endswith(f"| {dpo} |")
    assert row(page, "Notify the ICO").endswith(f"| {dpo} |")
    assert row(page, "Decide not to notify").endswith(f"| {dpo} |")
    assert row(page, "Override the re-enable gate").endswith("| Priya Shah (Managing Partner) |")
    assert row(page, "Close the incident").endswith(f"| {lead} |")


def test_the_ico_decision_follows_the_runbook_permissions(runbook: Runbook) -> None:
    only_partner = replace(runbook, permissions={"mark_notified": ("managing_partner",)})

    ico = row(render_runbook_markdown(only_partner), "Notify the ICO")

    assert ico.endswith("| Priya Shah (Managing Partner) |")


def test_markdown_gives_the_ack_timeout_and_the_clocks(runbook: Runbook) -> None:
    page = render_runbook_markdown(runbook)

    assert "not acknowledged within 15 minutes" in page
    assert "72 calendar hours from awareness" in page
    assert "PI insurer: within 48 hours — Priya Shah (Managing Partner)" in page
    assert "Tell Acme Ltd (contract clause 14.2): within 24 hours" in page
    assert "is yes or unsure — Sam Okafor (Operations Director)" in page


def test_durations_read_as_words_on_the_page(runbook: Runbook) -> None:
    slow = replace(
        runbook, escalation=replace(runbook.escalation, ack_timeout=timedelta(minutes=90))
    )

    assert "within 1 hour 30 minutes" in render_runbook_markdown(slow)


def test_markdown_lists_every_reenable_criterion_as_a_checkbox(runbook: Runbook) -> None:
    page = render_runbook_markdown(runbook)

    section = page[page.index("## Safe enough to re-enable") :]
    for criterion in runbook.reenable_criteria:
        assert f"- [ ] {criterion}\n" in section


def test_a_pipe_in_a_name_does_not_break_the_decision_table(runbook: Runbook) -> None:
    people = tuple(
        replace(p, title="Director | Ops") if p.id == "sam" else p for p in runbook.people
    )

    page = render_runbook_markdown(replace(runbook, people=people))

    assert "Sam Okafor (Director \\| Ops)" in row(page, "Declare and lead the incident")


def test_html_is_one_self_contained_a4_page(runbook: Runbook) -> None:
    page = render_runbook_html(runbook)

    assert page.startswith("<!DOCTYPE html>")
    assert "@page { size: A4; margin: 15mm }" in page
    assert "<link" not in page and "<script" not in page and "src=" not in page
    assert "<h1>AI incident runbook — Harbour &amp; Vale Advisory LLP</h1>" in page
    assert "<strong>Contain</strong>" in page


def test_html_carries_the_same_content_as_the_markdown(runbook: Runbook) -> None:
    page = render_runbook_html(runbook)

    assert "Lee Chen (IT Lead), Sam Okafor (Operations Director) or Priya Shah" in page
    assert "<th>Decision</th>" in page
    for criterion in runbook.reenable_criteria:
        assert criterion in page


def test_html_escapes_runbook_text(runbook: Runbook) -> None:
    hostile = replace(runbook.systems[0], name="<script>alert('x')</script>", logs="a & <b>")

    page = render_runbook_html(replace(runbook, systems=(hostile, *runbook.systems[1:])))

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "a &amp; &lt;b&gt;" in page


def test_the_one_pager_lists_the_firms_clocks_with_source_and_trigger(runbook: Runbook) -> None:
    text = render_runbook_markdown(runbook)
    assert "Report the breach to the ICO (UK GDPR Art 33)" in text
    assert "a risk to people (Q3 or Q4 yes/unsure), as controller" in text
    assert "Report to the ICAEW (ICAEW DBL 6.1)" in text and "ACCA" not in text
    assert "ExampleAI Ltd never notifies the ICO for us" in text


def test_the_readme_lists_every_clock_with_its_source_and_trigger() -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert all(f"| {a} | {b} |" in readme for a, b in clock_rows())
