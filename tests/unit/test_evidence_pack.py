"""The evidence pack: checkable with standard tools, and the same bytes every time."""

from __future__ import annotations

import hashlib
import io
import itertools
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from bot.incident import Incident
from bot.papers.evidence_pack import evidence_pack, evidence_path
from bot.runbook import Runbook
from tests.unit.closed_seed import run_closed_seed


@pytest.fixture(scope="module")
def pack(closed: Incident, runbook: Runbook) -> bytes:
    assert closed.closed_at is not None
    return evidence_pack(closed, [], runbook, closed.closed_at)


def unpack(data: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        archive.extractall(into)
    return into


def sha256sum_check(folder: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("sha256sum") is None:
        pytest.skip("sha256sum is not installed")
    return subprocess.run(
        ["sha256sum", "-c", "SHA256SUMS"], cwd=folder, capture_output=True, text=True, timeout=30
    )


def test_the_pack_is_byte_identical_across_runs_and_replays(pack: bytes, runbook: Runbook) -> None:
    again, _ = run_closed_seed(runbook)  # a fresh store, the same record
    assert again.closed_at is not None
    assert evidence_pack(again, [], runbook, again.closed_at) == pack


def test_sha256sum_accepts_the_unpacked_pack(pack: bytes, tmp_path: Path) -> None:
    checked = sha256sum_check(unpack(pack, tmp_path))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "report.html: OK" in checked.stdout


def test_altering_one_byte_of_an_artefact_makes_sha256sum_fail(
    pack: bytes, closed: Incident, tmp_path: Path
) -> None:
    folder = unpack(pack, tmp_path)
    target = folder / evidence_path(closed.evidence[0])
    body = bytearray(target.read_bytes())
    body[0] ^= 0x01
    target.write_bytes(bytes(body))
    checked = sha256sum_check(folder)
    assert checked.returncode != 0
    assert f"{evidence_path(closed.evidence[0])}: FAILED" in checked.stdout


def test_the_pack_holds_every_artefact_in_sorted_order_at_a_fixed_time(
    pack: bytes, closed: Incident
) -> None:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        infos = archive.infolist()
    names = [i.filename for i in infos]
    assert names == sorted(names)
    expected = {"report.md", "report.html", "timeline.png", "incident.json", "timeline.json"}
    expected |= {"manifest.json", "SHA256SUMS", "VERIFY.txt"}
    expected |= {evidence_path(e) for e in closed.evidence}
    assert set(names) == expected
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_the_manifest_lists_each_file_with_hash_size_collector_time_and_source(
    pack: bytes, closed: Incident
) -> None:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        bodies = {name: archive.read(name) for name in archive.namelist()}
    for entry in manifest["files"]:
        body = bodies[entry["file"]]
        assert entry["sha256"] == hashlib.sha256(body).hexdigest()
        assert entry["size"] == len(body)
        assert {"collected_by", "at", "source"} <= entry.keys()
    by_file = {entry["file"]: entry for entry in manifest["files"]}
    e4, e10 = (by_file[evidence_path(e)] for e in closed.evidence)
    assert (e4["collected_by"], e4["source"]) == ("Sam Okafor", "chat")
    assert e4["recorded_sha256"] == closed.evidence[0].sha256 and not e4["matches_recorded"]
    assert e10["matches_recorded"]  # recorded as text only: the text is what was hashed
    assert "kept, byte for byte, under the bot's RECORDS_DIR" in manifest["evidence_contents"]


def test_the_timeline_file_carries_the_hash_chain(pack: bytes, closed: Incident) -> None:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        timeline = json.loads(archive.read("timeline.json"))
        manifest = json.loads(archive.read("manifest.json"))
    events = timeline["events"]
    assert [e["hash"] for e in events] == [e.hash for e in closed.events]
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(events))
    assert timeline["first_broken_link"] is None
    assert manifest["hash_chain"]["last_hash"] == events[-1]["hash"]


def test_verify_txt_says_how_to_check_with_standard_tools(pack: bytes, closed: Incident) -> None:
    with zipfile.ZipFile(io.BytesIO(pack)) as archive:
        text = archive.read("VERIFY.txt").decode("utf-8")
    assert "unzip" in text and "sha256sum -c SHA256SUMS" in text
    assert f"ai-incident verify {closed.key}" in text
