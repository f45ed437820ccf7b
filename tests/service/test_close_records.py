"""At close the bot writes the report, the breach-register entry and the regression case,
once, through the ticker; a failed write is tried again, never lost."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path

import pytest

from bot.service import Deps
from bot.tick import tick
from storage.files import RecordsDir
from tests.fakes.clock import FakeClock
from tests.unit.closed_seed import closed_seed


@pytest.fixture
def kept(deps: Deps, tmp_path: Path) -> Deps:
    return dataclasses.replace(deps, records=RecordsDir(tmp_path / "records"))


async def test_the_closed_incidents_files_are_written_by_the_next_tick(
    kept: Deps, clock: FakeClock, tmp_path: Path
) -> None:
    incident = await closed_seed(kept, clock)
    root, key = tmp_path / "records", incident.key
    shared = [e.stored for e in incident.evidence if e.stored]  # kept when it was shared
    assert [str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()] == shared
    await tick(kept)
    written = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert written == [
        f"evals/{key}.jsonl",
        *shared,
        f"register/{key}.csv",
        f"reports/{key}.html",
        f"reports/{key}.md",
    ]
    [case] = [json.loads(line) for line in (root / f"evals/{key}.jsonl").read_text().splitlines()]
    assert (case["id"], case["must_not_contain"]) == (f"{key}-1", ["Brightside"])
    assert key in (root / f"register/{key}.csv").read_text()
    assert "<html" in (root / f"reports/{key}.html").read_text()


async def test_the_files_are_written_once_and_the_timeline_says_so(
    kept: Deps, clock: FakeClock
) -> None:
    incident = await closed_seed(kept, clock)
    await tick(kept)
    clock.advance(timedelta(hours=1))
    await tick(kept)
    after = await kept.store.load(incident.key)
    assert after is not None
    written = [e for e in after.events if e.type == "reminded" and e.data["kind"] == "records"]
    assert len(written) == 1


async def test_a_write_that_fails_is_tried_again_later(
    kept: Deps, clock: FakeClock, tmp_path: Path
) -> None:
    incident = await closed_seed(kept, clock)
    (tmp_path / "records" / "reports").write_text("a file where the folder should be")
    await tick(kept)
    [row] = [r for r in await kept.store.reminders(incident.key) if r.kind == "records"]
    assert row.status == "scheduled" and "could not write records" in row.last_error
    (tmp_path / "records" / "reports").unlink()
    clock.advance(timedelta(hours=1))
    await tick(kept)
    assert (tmp_path / "records" / f"reports/{incident.key}.md").exists()


async def test_a_record_path_outside_the_folder_is_refused(tmp_path: Path) -> None:
    records = RecordsDir(tmp_path / "records")
    with pytest.raises(ValueError, match="outside"):
        await records.keep({"../escaped.txt": b"x"})
    assert not (tmp_path / "escaped.txt").exists()
