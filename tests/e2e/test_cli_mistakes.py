"""Every set-up mistake a new operator makes is answered in one line naming the setting,
with a non-zero exit and no traceback — run as a real process, as they would run it."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

CLI = [sys.executable, "-c", "import sys; from ai_incident.cli import main; sys.exit(main())"]
PLATFORM_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAMS_APP_ID")


def run(tmp_path: Path, *args: str, **env: str) -> tuple[int, str, str]:
    base = {k: v for k, v in os.environ.items() if k not in PLATFORM_VARS}
    defaults = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'incidents.db'}",
        "RUNBOOK_PATH": str(ROOT / "runbook.yaml"),
        "RECORDS_DIR": str(tmp_path / "records"),
    }
    done = subprocess.run(
        [*CLI, *args],
        env=base | defaults | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout, done.stderr


def one_line(code: int, out: str, err: str) -> str:
    assert code != 0
    assert "Traceback" not in out + err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def test_a_database_url_for_an_unsupported_database_names_the_setting(tmp_path: Path) -> None:
    said = one_line(*run(tmp_path, "list", DATABASE_URL="mysql://bot:s3cret@db/incidents"))
    assert said.startswith("DATABASE_URL is mysql://")
    assert "s3cret" not in said


def test_a_database_url_that_is_not_a_url_names_the_setting(tmp_path: Path) -> None:
    said = one_line(*run(tmp_path, "export", "AI-2026-0001", DATABASE_URL="incidents.db"))
    assert said.startswith("DATABASE_URL is a URL without a scheme")


def test_an_unreachable_database_is_one_line_with_the_password_masked(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    url = f"postgresql://bot:s3cret@127.0.0.1:{port}/incidents"
    said = one_line(*run(tmp_path, "list", DATABASE_URL=url))
    assert "not answering" in said and "bot:***@" in said and "s3cret" not in said


def test_a_sqlite_file_in_a_missing_folder_is_refused_and_no_folder_made(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'typo' / 'incidents.db'}"
    said = one_line(*run(tmp_path, "migrate", DATABASE_URL=url))
    assert "DATABASE_URL" in said and "does not exist" in said
    assert not (tmp_path / "typo").exists()


def test_the_default_sqlite_folder_is_made_when_missing(tmp_path: Path) -> None:
    code, out, _ = run(tmp_path, "migrate", DATABASE_URL="sqlite:///var/ai-incident.db")
    assert code == 0 and "up to date" in out
    assert (tmp_path / "var" / "ai-incident.db").is_file()


def test_a_missing_runbook_stops_serve_in_one_line(tmp_path: Path) -> None:
    said = one_line(*run(tmp_path, "serve", RUNBOOK_PATH=str(tmp_path / "nope.yaml")))
    assert said == f"RUNBOOK_PATH: there is no runbook at {tmp_path / 'nope.yaml'}."


def test_an_invalid_runbook_stops_serve_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "runbook.yaml").write_text("firm: 3\n")
    said = one_line(*run(tmp_path, "serve", RUNBOOK_PATH="runbook.yaml"))
    assert said.startswith("RUNBOOK_PATH: runbook.yaml:1:") and "check-runbook" in said
    code, _, listed = run(tmp_path, "check-runbook", "runbook.yaml")
    assert code == 1 and len(listed.strip().splitlines()) > 2  # every problem, as it says


def test_a_port_in_use_stops_serve_in_one_line_after_no_serving_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(tmp_path, "serve", PORT=str(port))
    assert code == 1 and "Traceback" not in out + err
    assert "serving" not in err
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"PORT={port}: cannot listen on 127.0.0.1:{port}")
    assert "already listening" in last


def test_an_unknown_incident_key_exits_non_zero_in_one_line(tmp_path: Path) -> None:
    said = one_line(*run(tmp_path, "export", "NO-SUCH-KEY"))
    assert said == "There is no incident NO-SUCH-KEY."


@pytest.mark.parametrize(
    "env",
    [
        {"DATABASE_URL": "mysql://bot:s3cret@db/incidents"},
        {"DATABASE_URL": "::::"},
        {"RUNBOOK_PATH": "nope.yaml"},
        {"RUNBOOK_PATH": "bad.yaml"},
        {"DATABASE_URL": "sqlite:///typo/incidents.db"},
    ],
)
def test_doctor_answers_every_mistake_with_check_lines(tmp_path: Path, env: dict[str, str]) -> None:
    (tmp_path / "bad.yaml").write_text("version: 1\n")
    code, out, err = run(tmp_path, "doctor", **env)
    assert code == 1 and "Traceback" not in out + err
    lines = out.strip().splitlines()
    assert any(line.startswith("✗ ") for line in lines), out
    assert all(line[:2] in ("✓ ", "! ", "✗ ") for line in lines[:-1] if line), out
    assert "s3cret" not in out + err


def test_an_empty_database_beside_earlier_records_is_refused_until_migrate_new(
    tmp_path: Path,
) -> None:
    reports = tmp_path / "records" / "reports"
    reports.mkdir(parents=True)
    (reports / "AI-2026-0001.md").write_text("# AI-2026-0001\n")
    said = one_line(*run(tmp_path, "list"))
    assert "the database is empty" in said and "AI-2026-0001" in said
    assert "ai-incident migrate --new" in said
    assert one_line(*run(tmp_path, "serve")) == said

    code, out, _ = run(tmp_path, "migrate", "--new")
    assert code == 0 and "up to date" in out
    assert run(tmp_path, "list")[0] == 0


def test_a_database_migrated_by_a_newer_version_is_refused_in_one_line(tmp_path: Path) -> None:
    assert run(tmp_path, "migrate")[0] == 0
    with sqlite3.connect(tmp_path / "incidents.db") as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    said = one_line(*run(tmp_path, "serve"))
    assert said.startswith("DATABASE_URL: the database is at migration 9999")
