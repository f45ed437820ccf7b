"""The command line as a firm's administrator uses it, over a real SQLite file."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from ai_incident.cli import main
from ai_incident.database import open_store
from bot import service
from bot.decisions import DeclareForm
from bot.runbook import Runbook
from bot.service import Deps
from bot.settings import load_settings
from tests.conftest import ROOT, SEED_T0, person
from tests.fakes.chat import FakeChat
from tests.fakes.clock import FakeClock


@pytest.fixture
def db_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    db = tmp_path / "incidents.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("RUNBOOK_PATH", str(ROOT / "runbook.yaml"))
    return db


def declared_incident(runbook: Runbook, clock: FakeClock) -> str:
    async def run() -> str:
        store = open_store(load_settings({"DATABASE_URL": _url()}))
        deps = Deps(runbook, store, FakeChat(runbook), clock)
        form = DeclareForm("Report leak", "drafting-assistant", "context_leakage", "", SEED_T0)
        incident = await service.declare(deps, person(runbook, "sam"), form)
        await service.note(deps, incident.key, person(runbook, "sam"), "Vendor called back")
        return incident.key

    return asyncio.run(run())


def _url() -> str:
    import os

    return os.environ["DATABASE_URL"]


def test_verify_passes_on_an_untouched_record(
    db_env: Path, runbook: Runbook, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook, clock)
    assert main(["verify", key]) == 0
    assert "hash chain intact" in capsys.readouterr().out


def test_editing_one_timeline_row_makes_verify_name_that_row(
    db_env: Path, runbook: Runbook, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook, clock)
    with sqlite3.connect(db_env) as db:
        seq = db.execute("SELECT seq FROM timeline_events WHERE type = 'note'").fetchone()[0]
        db.execute(
            "UPDATE timeline_events SET data = ? WHERE type = 'note'",
            (json.dumps({"text": "Vendor never called"}),),
        )
    assert main(["verify", key]) == 1
    assert f"broken at event {seq}" in capsys.readouterr().err


def head_now(capsys: pytest.CaptureFixture[str], key: str) -> str:
    """The head `verify` prints for an untouched record, as published in the room."""
    assert main(["verify", key]) == 0
    return capsys.readouterr().out.strip().rsplit(" ", 1)[-1]


def test_deleting_the_last_two_events_makes_verify_fail_saying_which_are_missing(
    db_env: Path, runbook: Runbook, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook, clock)
    with sqlite3.connect(db_env) as db:
        (last,) = db.execute("SELECT max(seq) FROM timeline_events").fetchone()
        db.execute("DELETE FROM timeline_events WHERE seq > ?", (last - 2,))
    assert main(["verify", key]) == 1
    said = capsys.readouterr().err
    assert f"records {last} events, the timeline holds {last - 2}" in said
    assert f"events {last - 1}–{last} are missing" in said


def test_a_rewritten_and_recomputed_chain_fails_against_a_published_head(
    db_env: Path, runbook: Runbook, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook, clock)
    published = head_now(capsys, key)
    rewrite_note_and_recompute(db_env, key, "Vendor never called")
    assert main(["verify", key]) == 0  # the chain and the row agree with each other
    capsys.readouterr()
    assert main(["verify", key, "--expect-head", published]) == 1
    assert f"published head {published[:16]} is no event of this timeline" in (
        capsys.readouterr().err
    )


def test_a_published_head_of_an_untouched_record_verifies_after_more_events(
    db_env: Path, runbook: Runbook, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook, clock)
    published = head_now(capsys, key)

    async def later_note() -> None:
        store = open_store(load_settings({"DATABASE_URL": _url()}))
        deps = Deps(runbook, store, FakeChat(runbook), clock)
        await service.note(deps, key, person(runbook, "sam"), "Vendor sent the logs")

    asyncio.run(later_note())
    assert main(["verify", key, "--expect-head", published[:16]]) == 0
    assert head_now(capsys, key) != published


def rewrite_note_and_recompute(db_path: Path, key: str, text: str) -> None:
    """What someone with the database could do: change an event, then rehash every event
    after it and set the incident row's head to match."""
    from bot.timeline import Actor, event_hash

    with sqlite3.connect(db_path) as db:
        db.execute(
            "UPDATE timeline_events SET data = ? WHERE type = 'note'", (json.dumps({"text": text}),)
        )
        rows = db.execute(
            "SELECT id, seq, at, actor_id, actor_name, actor_person_id, type, data"
            " FROM timeline_events WHERE incident_key = ? ORDER BY seq",
            (key,),
        ).fetchall()
        prev = "0" * 64
        for id_, seq, at, aid, aname, apid, type_, data in rows:
            moment = datetime.fromisoformat(at)
            digest = event_hash(
                key, seq, moment, Actor(aid, aname, apid), type_, json.loads(data), prev
            )
            db.execute(
                "UPDATE timeline_events SET prev_hash = ?, hash = ? WHERE id = ?",
                (prev, digest, id_),
            )
            prev = digest
        db.execute("UPDATE incidents SET head_hash = ? WHERE key = ?", (prev, key))


def test_export_json_carries_the_contract_fields(
    db_env: Path, runbook: Runbook, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook, clock)
    assert main(["export", key, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {
        "key",
        "title",
        "system",
        "failure_type",
        "phase",
        "aware_at",
        "declared_at",
        "closed_at",
        "answers",
        "obligations",
        "reminders",
        "evidence",
        "timeline",
    } <= data.keys()
    assert data["aware_at"] == "2026-03-26T15:30:00+00:00"
    assert {"seq", "at", "actor", "type", "data", "prev_hash", "hash"} <= data["timeline"][0].keys()


def test_export_of_an_unknown_key_says_so(db_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["export", "AI-2026-9999"])
    assert "no incident AI-2026-9999" in capsys.readouterr().err


def test_list_json_shows_declared_incidents(
    db_env: Path, runbook: Runbook, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    key = declared_incident(runbook, clock)
    assert main(["list", "--json"]) == 0
    assert [row["key"] for row in json.loads(capsys.readouterr().out)] == [key]


def test_check_runbook_accepts_the_shipped_runbook(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-runbook", str(ROOT / "runbook.yaml")]) == 0
    assert "OK" in capsys.readouterr().out


def test_check_runbook_lists_problems_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "runbook.yaml"
    text = (
        (ROOT / "runbook.yaml").read_text().replace("ack_timeout: 15m", "ack_timeout: 15 minutes")
    )
    broken.write_text(text)
    assert main(["check-runbook", str(broken)]) == 1
    assert "escalation.ack_timeout" in capsys.readouterr().err


def test_check_runbook_rejects_changing_a_statutory_duration_naming_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "runbook.yaml"
    text = (ROOT / "runbook.yaml").read_text()
    broken.write_text(text.replace("  pi_insurer:", "  ico_art33: {within: 96h}\n  pi_insurer:"))
    assert main(["check-runbook", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "clocks.ico_art33.within: is set by law (UK GDPR Art 33)" in err


def test_the_server_refuses_to_start_on_an_invalid_runbook(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "runbook.yaml"
    broken.write_text(
        (ROOT / "runbook.yaml")
        .read_text()
        .replace("timezone: Europe/London", "timezone: Europe/Londn")
    )
    monkeypatch.setenv("RUNBOOK_PATH", str(broken))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    assert main(["serve"]) == 1
    assert "firm.timezone" in capsys.readouterr().err


def test_the_local_web_chat_refuses_to_listen_beyond_loopback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RUNBOOK_PATH", str(ROOT / "runbook.yaml"))
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("HOST", "0.0.0.0")
    assert main(["serve"]) == 1
    assert "only listens on 127.0.0.1" in capsys.readouterr().err


@pytest.fixture
def unreachable(monkeypatch: pytest.MonkeyPatch) -> int:
    """DATABASE_URL (with a password) at a loopback port nobody listens on; the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    monkeypatch.setenv("DATABASE_URL", f"postgresql://ops:s3cret@127.0.0.1:{port}/incidents")
    monkeypatch.setenv("RUNBOOK_PATH", str(ROOT / "runbook.yaml"))
    return port


def test_a_database_that_is_not_answering_is_one_line_without_the_password(
    unreachable: int, capsys: pytest.CaptureFixture[str]
) -> None:
    port = unreachable
    assert main(["list"]) == 1

    said = capsys.readouterr().err
    assert said.startswith(f"The incident database at postgresql://ops:***@127.0.0.1:{port}/")
    assert "Check DATABASE_URL." in said and "s3cret" not in said and "Traceback" not in said
    assert len(said.strip().splitlines()) == 1


def test_doctor_says_ready_for_the_local_web_chat(
    db_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "✓ database: sqlite reachable, migrations applied" in out and out.endswith("ready\n")


def test_doctor_names_a_database_it_cannot_reach(
    unreachable: int, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["doctor"]) == 1

    out = capsys.readouterr().out
    assert "✗ database: The incident database at postgresql://ops:***@" in out
    assert "s3cret" not in out and "1 problem(s) to fix before going live" in out
