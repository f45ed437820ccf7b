"""The incident report: every answer, obligation and evidence hash, in the firm's zone and UTC."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from bot.incident import Incident
from bot.papers.picture import timeline_png
from bot.papers.report import report_html, report_markdown
from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.service import Deps, load
from storage.memory import MemoryStore
from tests.conftest import SEED_T0
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed
from tests.unit.closed_seed import CORRECTED, DELAY, ICO_REFERENCE, WAIVED

CHROMIUM = Path("/usr/bin/chromium")
A4_WIDTH_PX = 794  # 210 mm at 96 px per inch


@pytest.fixture
def store() -> IncidentStore:
    return MemoryStore()


@pytest.fixture(scope="module")
def both(closed: Incident, runbook: Runbook) -> tuple[str, str]:
    at = closed.closed_at
    assert at is not None
    return report_markdown(closed, runbook, at), report_html(closed, runbook, at)


def test_the_report_holds_every_answer_with_who_and_when(
    closed: Incident, both: tuple[str, str]
) -> None:
    for text in both:
        for answer in closed.history:
            row = f"{answer.question}. "
            assert row in text and answer.value in text and answer.by.name in text


def test_the_report_holds_every_obligation_with_its_reference_or_reason(
    closed: Incident, both: tuple[str, str]
) -> None:
    markdown, html = both
    for record in closed.obligations.values():
        said = record.reference or record.reason
        assert said.replace("'", "&#x27;") in html
        assert said in markdown
    assert ICO_REFERENCE in markdown and WAIVED in markdown


def test_the_report_holds_every_evidence_hash(closed: Incident, both: tuple[str, str]) -> None:
    for text in both:
        assert all(e.sha256 in text for e in closed.evidence)


def test_a_late_notice_shows_how_late_and_the_reason_for_delay(both: tuple[str, str]) -> None:
    markdown, _ = both
    ico = next(line for line in markdown.splitlines() if "Report the breach to the ICO" in line)
    assert "| 3h 30m |" in ico and DELAY in ico
    assert "Sun 29 Mar 2026 16:00 BST (2026-03-29 15:00 UTC)" in ico


def test_t0_shows_the_declared_value_and_each_correction_with_who_and_why(
    both: tuple[str, str],
) -> None:
    markdown, _ = both
    assert "Declared with T0 Thu 26 Mar 2026 15:30 GMT (2026-03-26 15:30 UTC) by Sam Okafor" in (
        markdown
    )
    correction = next(line for line in markdown.splitlines() if CORRECTED in line)
    assert "Sam Okafor" in correction and "(2026-03-26 15:00 UTC)" in correction


def test_the_timeline_lists_every_event_in_firm_time_and_utc(
    closed: Incident, both: tuple[str, str]
) -> None:
    timeline = both[0].split("## Timeline")[1].split("## Phases")[0]
    rows = [line for line in timeline.splitlines() if re.match(r"^\| \d+ \| ", line)]
    assert [int(r.split("|")[1]) for r in rows] == [e.seq for e in closed.events]
    assert "| Sun 29 Mar 2026 19:30 BST | 2026-03-29 18:30 UTC |" in timeline


def test_the_report_lists_the_facts_recorded_and_those_not(
    closed_with_facts: Incident, closed: Incident, runbook: Runbook
) -> None:
    assert closed_with_facts.closed_at is not None and closed.closed_at is not None
    text = report_markdown(closed_with_facts, runbook, closed_with_facts.closed_at)
    facts = text.split("## Facts for the notices")[1].split("\n## ")[0]
    assert "- **Client who received it:** Acme Ltd" in facts
    assert "- **Approximate number of people:** 10-50" in facts
    bare = report_markdown(closed, runbook, closed.closed_at)
    assert "- **Client who received it:** not recorded" in bare


def test_phases_come_with_durations(both: tuple[str, str]) -> None:
    markdown, _ = both
    assert re.search(r"\| remediation \| .* \| 4d 2h 50m \|", markdown)


def test_containment_steps_people_and_sign_off_are_named(
    runbook: Runbook, both: tuple[str, str]
) -> None:
    markdown, _ = both
    assert "1. Turn off AI drafts for all users | done | Sam Okafor" in markdown
    assert "| Sam Okafor (Operations Director) | acknowledged as incident lead |" in markdown
    assert all(f"| {c} | confirmed |" in markdown for c in runbook.reenable_criteria)
    assert "**Closed by:** Priya Shah" in markdown
    assert "**Root cause:** The retrieval step ignored" in markdown
    assert "Test the client filter after every vendor release" in markdown


def test_the_html_is_one_self_contained_a4_file_with_the_picture_inline(
    closed: Incident, runbook: Runbook
) -> None:
    at = closed.closed_at
    assert at is not None
    html = report_html(closed, runbook, at, timeline_png(closed, runbook, at))
    assert "@page { size: A4; margin: 15mm }" in html
    assert 'src="data:image/png;base64,iVBOR' in html
    assert not re.search(r"<(script|link)\b|src=\"http", html)


def test_text_from_the_record_is_escaped_in_the_html(closed: Incident, runbook: Runbook) -> None:
    hostile = replace(closed, title='<img src=x onerror="alert(1)"> & co')
    html = report_html(hostile, runbook, SEED_T0)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; co" in html


async def test_an_open_incident_reports_overdue_clocks_and_nothing_closed(
    deps: Deps, clock: FakeClock, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    incident = await load(deps, incident.key, whole=True)
    now = SEED_T0 + timedelta(hours=80)
    markdown = report_markdown(incident, runbook, now)
    ico = next(line for line in markdown.splitlines() if "Report the breach to the ICO" in line)
    assert "| overdue |" in ico and "| 8h |" in ico
    assert "Not recorded: the incident is not closed yet." in markdown
    assert "so far |" in markdown


def test_the_html_renders_in_headless_chromium_and_fits_a4_width(
    closed: Incident, runbook: Runbook, tmp_path: Path
) -> None:
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but there is no Chromium at {CHROMIUM}")
        print(f"SKIPPED the Chromium screenshot: no browser at {CHROMIUM}")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    from PIL import Image

    at = closed.closed_at
    assert at is not None
    html = report_html(closed, runbook, at, timeline_png(closed, runbook, at))
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    shot = tmp_path / "report.png"
    _chromium(f"--screenshot={shot}", page)
    image = Image.open(shot).convert("L")
    inked = sum(image.histogram()[:200])
    assert inked > image.width * image.height // 50, "the page rendered blank"
    measured = tmp_path / "measure.html"
    script = "<script>document.body.dataset.width = document.documentElement.scrollWidth</script>"
    measured.write_text(html.replace("</body>", script + "</body>"), encoding="utf-8")
    width = re.search(r'data-width="(\d+)"', _chromium("--dump-dom", measured))
    assert width is not None and int(width.group(1)) <= A4_WIDTH_PX


def _chromium(flag: str, page: Path) -> str:
    args = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    args += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
    args += [f"--window-size={A4_WIDTH_PX},1123", flag, page.as_uri()]
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=90)
    except subprocess.TimeoutExpired:
        pytest.fail("headless Chromium did not finish within 90 s")
    return done.stdout


def test_each_notification_an_answer_ruled_out_is_listed_with_who_when_and_why(
    both: tuple[str, str],
) -> None:
    markdown, html = both
    rows = [line for line in markdown.splitlines() if "| ruled out |" in line]
    people = next(r for r in rows if r.startswith("| Tell the affected people"))
    assert "by Alex Morgan" in people and "2026-03-26 15:40 UTC" in people
    assert "Q4 answered no: Revenue and salaries of ten staff" in people
    icaew = next(r for r in rows if r.startswith("| Report to the ICAEW"))
    assert "by Jordan Ellis" in icaew and "Q12 answered no: A system fault" in icaew
    assert "Q12 answered no: A system fault, promptly contained" in html
