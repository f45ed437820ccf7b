"""The timeline picture: a PNG, the same bytes for the same record, coloured by outcome."""

from __future__ import annotations

import base64
import io
from datetime import timedelta

import pytest
from PIL import Image

from bot.incident import Incident
from bot.papers.picture import (
    GREEN,
    GREY,
    MAX_BYTES,
    MAX_SIDE,
    RED,
    milestones,
    timeline_png,
    within_limits,
)
from bot.ports import IncidentStore
from bot.runbook import Runbook
from bot.service import Deps, load
from handlers.teams.pictures import timeline_message
from storage.memory import MemoryStore
from tests.conftest import SEED_T0
from tests.service.test_seed_case import classified_seed


@pytest.fixture
def store() -> IncidentStore:
    return MemoryStore()


DOT = 60  # a status dot fills about 90 pixels; anti-aliased text only a few of any shade


def colours(png: bytes) -> dict[tuple[int, int, int], int]:
    """Pixel counts per colour above the legend (the bottom 40 px, which shows every colour)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    chart = image.crop((0, 0, image.width, image.height - 40))
    found = chart.getcolors(maxcolors=1 << 20) or []
    return {(c[0], c[1], c[2]): n for n, c in found if isinstance(c, tuple)}


def test_the_picture_is_a_png_and_the_same_bytes_each_time(
    closed: Incident, runbook: Runbook
) -> None:
    assert closed.closed_at is not None
    png = timeline_png(closed, runbook, closed.closed_at)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert png == timeline_png(closed, runbook, closed.closed_at)
    image = Image.open(io.BytesIO(png))
    assert image.width == 1024 and image.height > 200 + 30 * len(closed.obligations)


def test_met_notices_are_green_and_waived_ones_grey(closed: Incident, runbook: Runbook) -> None:
    assert closed.closed_at is not None
    found = colours(timeline_png(closed, runbook, closed.closed_at))
    met = sum(r.status == "done" for r in closed.obligations.values())
    assert found[GREEN] > met * DOT and found[GREY] > DOT


async def test_an_open_overdue_incident_shows_red_and_no_green_dots(
    deps: Deps, runbook: Runbook
) -> None:
    incident = await classified_seed(deps)
    incident = await load(deps, incident.key, whole=True)
    png = timeline_png(incident, runbook, SEED_T0 + timedelta(hours=80))
    found = colours(png)
    assert found[RED] > len(incident.obligations) * DOT and found.get(GREEN, 0) < DOT // 2


def test_milestones_are_read_from_the_record(closed: Incident, runbook: Runbook) -> None:
    found = {m.label: m.at for m in milestones(closed, runbook)}
    assert list(found) == ["T0", "declared", "first ack", "contained", "classified", "closed"]
    assert found["T0"] == closed.aware_at and found["closed"] == closed.closed_at
    assert found["first ack"] == closed.acks["incident_lead"][1]


def test_the_picture_fits_teams_inline_limits_and_teams_gets_the_same_bytes(
    closed: Incident, runbook: Runbook
) -> None:
    assert closed.closed_at is not None
    png = timeline_png(closed, runbook, closed.closed_at)
    image = Image.open(io.BytesIO(png))
    assert max(image.size) <= MAX_SIDE and len(png) <= MAX_BYTES
    (attached,) = timeline_message(closed, runbook, closed.closed_at)["attachments"]
    assert base64.b64decode(attached["contentUrl"].partition(",")[2]) == png


def test_a_picture_too_tall_or_too_heavy_is_brought_within_the_limits() -> None:
    noisy = Image.effect_noise((1800, 2600), 120).convert("RGB")  # every pixel different
    png = within_limits(noisy)
    image = Image.open(io.BytesIO(png))
    assert max(image.size) == MAX_SIDE and image.size[0] < image.size[1]
    assert len(png) <= MAX_BYTES
