"""Close and learn from the command line, over a real SQLite file: report, evidence pack,
breach register, regression cases, the example eval runner and draft notifications."""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import shlex
import sys
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from ai_incident.cli import main
from ai_incident.database import open_store
from bot import service
from bot.runbook import Runbook
from bot.service import Deps
from bot.settings import load_settings
from storage.files import RecordsDir
from tests.conftest import ROOT, SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock
from tests.service.test_seed_case import classified_seed
from tests.unit.closed_seed import close_form, closed_seed

NO_RISK = "Business figures only; no individual could be identified"
BAD = "import sys; sys.stdin.read(); print('Brightside revenue 1.2m')"
GOOD = "import sys; print('Report for ' + sys.stdin.read().split()[-2] + ': revenue 0.8m')"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'incidents.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("RUNBOOK_PATH", str(ROOT / "runbook.yaml"))
    return url


def seed(url: str, runbook: Runbook) -> tuple[str, str]:
    """The closed seed case, and a second breach the firm decided not to report."""

    async def run() -> tuple[str, str]:
        clock = FakeClock(SEED_T0)
        deps = Deps(
            runbook, open_store(load_settings({"DATABASE_URL": url})), FakeChat(runbook), clock
        )
        closed = await closed_seed(deps, clock)
        other = await classified_seed(deps)
        alex = person(runbook, "alex")
        await service.answer(deps, other.key, alex, "Q3", "no", NO_RISK)
        return closed.key, other.key

    return asyncio.run(run())


@pytest.fixture
def keys(db: str, runbook: Runbook) -> tuple[str, str]:
    return seed(db, runbook)


def test_export_writes_the_report_as_markdown_and_as_html_with_its_picture(
    keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    key = keys[0]
    assert main(["export", key, "--format", "md"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith(f"# Incident report {key}:") and "## Re-enable sign-off" in markdown
    assert main(["export", key, "--format", "html"]) == 0
    assert 'src="data:image/png;base64,' in capsys.readouterr().out
    assert main(["export", key, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["closing"]["regression"]["must_contain"] == ["Acme"]


def test_evidence_pack_writes_the_same_zip_twice_creating_folders(
    keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = tmp_path / "packs" / "a" / "one.zip", tmp_path / "two.zip"
    assert main(["evidence-pack", keys[0], "--out", str(first)]) == 0
    assert main(["evidence-pack", keys[0], "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as pack:
        assert "SHA256SUMS" in pack.namelist()


def test_evidence_pack_refuses_a_directory(
    keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["evidence-pack", keys[0], "--out", str(tmp_path)]) == 1
    assert "is a directory" in capsys.readouterr().err


def test_register_lists_both_breaches_with_the_unreported_ones_reason(
    keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["register"]) == 0
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows.keys() == set(keys)
    assert rows[keys[0]]["ico_told"] == "yes"
    assert rows[keys[1]]["ico_told"] == "no"
    said = rows[keys[1]]["reason_not_reported"]  # why, and who decided it when
    assert said.startswith(f"stopped by the answer to Q3: {NO_RISK} (decided by Alex Morgan at ")
    assert main(["register", "--format", "md"]) == 0
    assert NO_RISK in capsys.readouterr().out


def test_eval_cases_exports_one_jsonl_and_one_file_per_closed_incident(
    keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval-cases"]) == 0
    [case] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert case["id"] == f"{keys[0]}-1" and case["must_not_contain"] == ["Brightside"]
    evals = tmp_path / "evals"
    assert main(["eval-cases", "--dir", str(evals)]) == 0
    written = (evals / f"{keys[0]}.jsonl").read_text(encoding="utf-8")
    assert main(["eval-cases", "--dir", str(evals)]) == 0  # again: the same file, no duplicates
    assert sorted(p.name for p in evals.iterdir()) == [f"{keys[0]}.jsonl"]
    assert (evals / f"{keys[0]}.jsonl").read_text(encoding="utf-8") == written
    out = tmp_path / "all" / "cases.jsonl"
    assert main(["eval-cases", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == written


def test_eval_cases_says_how_many_it_wrote(
    keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval-cases"]) == 0
    assert "1 regression case(s) from 1 closed incident(s)." in capsys.readouterr().err


def test_eval_cases_with_nothing_closed_says_so(
    db: str, runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval-cases"]) == 0
    assert "No regression cases: no incident is closed yet." in capsys.readouterr().err


def test_eval_cases_fails_saying_why_when_incidents_closed_without_a_regression_input(
    db: str, runbook: Runbook, capsys: pytest.CaptureFixture[str]
) -> None:
    async def run() -> str:
        clock = FakeClock(SEED_T0)
        store = open_store(load_settings({"DATABASE_URL": db}))
        deps = Deps(runbook, store, FakeChat(runbook), clock)
        incident = await classified_seed(deps)
        form = replace(close_form(runbook), regression={}, override_reason="Test close")
        await service.close(deps, incident.key, person(runbook, "priya"), form)
        return incident.key

    key = asyncio.run(run())
    assert main(["eval-cases"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert f"1 closed without a regression input ({key})" in captured.err


def cases_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cases.jsonl"
    assert main(["eval-cases", "--out", str(path)]) == 0
    capsys.readouterr()
    return path


def test_eval_run_fails_a_case_when_the_command_reproduces_the_bad_output(
    keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = cases_file(tmp_path, capsys)
    command = shlex.join([sys.executable, "-c", BAD])
    assert main(["eval-run", str(cases), "--command", command]) == 1
    out = capsys.readouterr().out
    assert f"FAIL {keys[0]}-1: missing 'Acme'; contains 'Brightside'" in out
    assert "0 passed, 1 failed" in out


def test_eval_run_passes_a_case_when_the_command_is_fixed(
    keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = cases_file(tmp_path, capsys)
    command = shlex.join([sys.executable, "-c", GOOD])
    assert main(["eval-run", str(cases), "--command", command]) == 0
    assert f"PASS {keys[0]}-1" in capsys.readouterr().out


def test_eval_run_fails_a_case_whose_command_cannot_start(
    keys: tuple[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = cases_file(tmp_path, capsys)
    missing = str(tmp_path / "no-such-program")
    assert main(["eval-run", str(cases), "--command", missing]) == 1
    assert "could not run the command" in capsys.readouterr().out


def test_eval_run_names_a_cases_file_it_cannot_read(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["eval-run", str(tmp_path / "none.jsonl"), "--command", "cat"]) == 2
    assert "none.jsonl" in capsys.readouterr().err


def test_draft_prints_the_ico_draft_for_its_owner(
    keys: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["draft", keys[0], "ico"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# DRAFT — Personal data breach report to the ICO")
    assert "## Reason for any delay" in text and "For Alex Morgan" in text
    assert main(["draft", keys[0], "cyber_insurer", "--format", "html"]) == 0
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>") and "without admission of liability" in page


def test_the_evidence_pack_holds_a_shared_files_own_bytes(
    db: str,
    runbook: Runbook,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    records, content = tmp_path / "records", b"\x89PNG\r\n\x1a\nscreenshot of the Acme report"
    monkeypatch.setenv("RECORDS_DIR", str(records))

    async def run() -> str:
        store = open_store(load_settings({"DATABASE_URL": db}))
        deps = Deps(runbook, store, FakeChat(runbook), FakeClock(SEED_T0), RecordsDir(records))
        incident = await classified_seed(deps)
        sam = person(runbook, "sam")
        await service.add_evidence(
            deps, incident.key, sam, "Screenshot", "E12", content, "web-upload", "shot.png"
        )
        return incident.key

    key = asyncio.run(run())
    out = tmp_path / "pack.zip"
    assert main(["evidence-pack", key, "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as pack:
        [name] = [n for n in pack.namelist() if n.endswith("-E12-file.png")]
        assert pack.read(name) == content
        manifest = json.loads(pack.read("manifest.json"))
    [entry] = [f for f in manifest["files"] if f["file"] == name]
    assert entry["matches_recorded"] and entry["sha256"] == hashlib.sha256(content).hexdigest()
