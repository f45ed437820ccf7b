"""Files shared in an incident channel become evidence: a file over the size limit is
refused before it is downloaded (and a download that runs past the limit is cut off); a
hostile name (path traversal, NUL, control or right-to-left override characters, Windows
device names, a name longer than any limit, mrkdwn that would ping) is recorded neutralised,
shown escaped, and never becomes a path in the evidence pack."""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile

import pytest

from bot.papers.evidence_pack import evidence_pack
from bot.papers.export import export_json
from handlers.downloads import MAX_BYTES, NotFetched
from handlers.slack.files import MAX_NAME, download
from tests.e2e.slack_rig import KEY, SAM, Rig, declared
from tests.fakes.slack_api import DOWNLOAD

HOSTILE_NAMES = (
    "../../etc/passwd",
    "..\\..\\Windows\\System32\\config\\SAM",
    "/etc/shadow",
    "report\x00.pdf",
    "invoice\u202egpj.exe",
    "bell\x07\x1b[31mred\r\n.txt",
    "CON",
    "NUL.txt",
    "COM1",
    "lpt9.log",
    "<!channel> <@U0SAMOKAFOR>.txt",
    "{@priya}.txt",
    "a" * 5000 + ".txt",
    "\u2028line\u2029sep\ufeff.txt",
)
PACK_ENTRY = re.compile(
    r"^(report\.md|report\.html|timeline\.png|incident\.json|timeline\.json|manifest\.json"
    r"|VERIFY\.txt|SHA256SUMS|evidence/\d{4}-(E\d{1,2}|other)\.txt)$"
)


async def shared(rig: Rig, file_id: str, name: str, content: bytes) -> None:
    rig.slack.add_file(file_id, name, content, SAM, rig.room)
    event = {"type": "file_shared", "file_id": file_id, "user_id": SAM, "channel_id": rig.room}
    answer = await rig.ws.event(event, f"Ev{file_id}")
    assert answer.status == 200


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def hidden(text: str) -> list[str]:
    return [c for c in text if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp")]


async def test_a_file_over_the_size_limit_is_refused_before_any_download(rig: Rig) -> None:
    await declared(rig)
    before = await rig.deps.store.load(KEY)
    await shared(rig, "F0HUGE", "dump.bin", bytes(MAX_BYTES + 1))  # zero pages: cheap
    assert rig.slack.count(DOWNLOAD) == 0
    assert "the file is over 100 MB" in rig.ws.told(SAM)
    after = await rig.deps.store.load(KEY)
    assert before is not None and after is not None and after.events == before.events


async def test_a_download_that_runs_past_the_limit_is_cut_off(rig: Rig) -> None:
    await declared(rig)
    rig.slack.add_file("F0BIG", "big.bin", b"x" * 300_000, SAM, rig.room)
    url = rig.slack.state.file_url(rig.slack.files["F0BIG"], download=True)
    with pytest.raises(NotFetched, match="over"):
        await download(url, rig.slack.bot_token, limit=100_000)
    assert len(await download(url, rig.slack.bot_token, limit=300_000)) == 300_000


async def test_hostile_file_names_are_recorded_neutralised_and_shown_escaped(rig: Rig) -> None:
    await declared(rig)
    for n, name in enumerate(HOSTILE_NAMES):
        await shared(rig, f"F0N{n}", name, f"file {n}".encode())
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    files = [e for e in incident.evidence if e.source == "slack-file"]
    # None silently lost: recorded, or the sharer told why not (the fake Slack cannot serve a
    # download link with a '/' or braces in the name; real Slack encodes its links).
    told = rig.ws.told(SAM).count("I could not record that file as evidence")
    assert len(files) + told // 2 == len(HOSTILE_NAMES), rig.ws.told(SAM)
    assert len(files) >= 10
    for item in files:
        assert hidden(item.filename) == [] and hidden(item.text) == []
        assert len(item.filename) <= MAX_NAME
    names = {e.filename for e in files}
    assert "invoice\\u202egpj.exe" in names and "report\\u0000.pdf" in names
    assert "..\\..\\Windows\\System32\\config\\SAM" in names  # as given: never a path
    assert any(n.startswith("a" * 100) and n.endswith("…") for n in names)
    await rig.ws.command(SAM, rig.room, "evidence")
    sent = json.dumps([c.params for c in rig.slack.calls], ensure_ascii=False)
    assert "<!channel>" not in sent and "&lt;!channel&gt;" in sent
    said = "".join(strings([c.params for c in rig.slack.calls]))
    assert not any(c in said for c in "\x00\u202e\u2028\ufeff\x07\x1b")  # only escaped


async def test_evidence_pack_entries_stay_inside_their_folders_whatever_the_names(
    rig: Rig,
) -> None:
    await declared(rig)
    for n, name in enumerate(HOSTILE_NAMES):
        await shared(rig, f"F0P{n}", name, f"file {n}".encode())
    incident = await rig.deps.store.load(KEY)
    assert incident is not None
    reminders = await rig.deps.store.reminders(KEY)
    now = rig.deps.clock.now()
    pack = zipfile.ZipFile(io.BytesIO(evidence_pack(incident, reminders, rig.deps.runbook, now)))
    entries = pack.namelist()
    assert len([e for e in entries if e.startswith("evidence/")]) == len(incident.evidence) >= 10
    for entry in entries:
        assert PACK_ENTRY.match(entry), entry
    manifest = json.loads(pack.read("manifest.json"))
    recorded = {f["filename"] for f in manifest["files"] if f.get("filename")}
    assert "COM1" in recorded and "..\\..\\Windows\\System32\\config\\SAM" in recorded
    exported = export_json(incident, reminders, rig.deps.runbook, now)
    assert all(hidden(e["filename"]) == [] for e in exported["evidence"])
