"""The incident as a picture: milestones on a time axis, and each deadline against when it
was met. People would rather look at the clocks than read them.

    png = timeline_png(incident, runbook, as_of)   # PNG bytes; the same inputs, the same bytes

Every platform gets the same picture, within the strictest host's limits (Teams shows an
inline picture only up to 1024×1024 and 1 MB): 1024 wide, and a timeline with so many
obligations that it would grow taller is scaled down to fit.

One bar per obligation runs from T0 to its deadline (to the close for the breach register);
its dot sits where the notice was given (green), decided against (grey), or — still open —
at `now` (red), with the overdue stretch drawn in red.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.clock_rules import CLOCKS
from bot.incident import Incident, containment_confirmed
from bot.kinds import EventType
from bot.obligations import Obligation, obligations
from bot.papers.moments import late_by, span
from bot.runbook import Runbook

# Pillow is imported when a picture is drawn, not by every process that might draw one (a
# server that never does keeps ~4 MB).
if TYPE_CHECKING:
    from PIL import Image, ImageDraw, ImageFont

WIDTH, LEFT, RIGHT = 1024, 250, 994
MAX_SIDE, MAX_BYTES = 1024, 1_000_000
ROW, LEVEL = 34, 18
INK, MUTED, FAINT, BAR = (20, 20, 20), (90, 90, 90), (225, 225, 225), (196, 214, 236)
GREEN, GREY, RED, BLUE = (46, 125, 50), (130, 130, 130), (198, 40, 40), (21, 67, 140)
STATUS_COLOUR = {"done": GREEN, "waived": GREY}
STEPS = tuple(timedelta(hours=h) for h in (1, 2, 3, 6, 12, 24, 48, 96, 168))
type Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@dataclass(frozen=True)
class Milestone:
    label: str
    at: datetime


def milestones(incident: Incident, runbook: Runbook) -> tuple[Milestone, ...]:
    """T0, declare, first ack, containment done, classification done and close, as recorded."""
    found = [
        ("T0", incident.aware_at),
        ("declared", incident.declared_at),
        ("first ack", min((at for _, at in incident.acks.values()), default=None)),
        ("contained", _contained(incident, runbook)),
        ("classified", _left_phase(incident, "classification")),
        ("closed", incident.closed_at),
    ]
    return tuple(Milestone(label, at) for label, at in found if at is not None)


def _contained(incident: Incident, runbook: Runbook) -> datetime | None:
    if not containment_confirmed(incident, runbook) or not incident.steps:
        return _left_phase(incident, "containment")
    return max(step.at for step in incident.steps.values())


def _left_phase(incident: Incident, phase: str) -> datetime | None:
    left = (
        e.at
        for e in incident.events
        if e.type == EventType.PHASE_CHANGED and e.data["from"] == phase
    )
    return next(left, None)


@dataclass(frozen=True)
class Axis:
    start: datetime
    end: datetime

    def x(self, at: datetime) -> float:
        share = (at - self.start) / (self.end - self.start)
        return LEFT + share * (RIGHT - LEFT)


def _axis(marks: Sequence[Milestone], obs: Sequence[Obligation], now: datetime) -> Axis:
    moments = [m.at for m in marks] + [now]
    moments += [at for ob in obs for at in (ob.due_at, ob.record.settled_at) if at]
    start, end = min(moments), max(moments)
    pad = max((end - start) / 30, timedelta(minutes=30))
    return Axis(start - pad, end + pad)


def timeline_png(incident: Incident, runbook: Runbook, now: datetime) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    end = incident.closed_at or now
    marks, obs = milestones(incident, runbook), obligations(runbook, incident, end)
    axis = _axis(marks, obs, end)
    fonts = (ImageFont.load_default(size=15), ImageFont.load_default(size=12))
    tz = runbook.firm.timezone
    levels = _levels(marks, axis, tz, fonts[1])
    top = 60 + (max(levels, default=0) + 1) * LEVEL
    height = top + 50 + len(obs) * ROW + 40
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    _heading(draw, incident, tz, fonts)
    _milestones(draw, marks, levels, axis, (top, height - 40), tz, fonts[1])
    _ticks(draw, axis, top, tz, fonts[1])
    t0 = incident.aware_at or axis.start
    for row, ob in enumerate(obs):
        _obligation(draw, ob, axis, (top + 45 + row * ROW, t0, end), fonts[1])
    _legend(draw, height - 24, fonts[1])
    return within_limits(image)


def within_limits(image: Image.Image) -> bytes:
    """PNG bytes no side over MAX_SIDE and no larger than MAX_BYTES (fewer colours if need be)."""
    from PIL import Image

    if max(image.size) > MAX_SIDE:
        scale = MAX_SIDE / max(image.size)
        size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    if out.tell() > MAX_BYTES:
        out = io.BytesIO()
        image.quantize(colors=64).save(out, format="PNG", optimize=True)
    return out.getvalue()


def _heading(
    draw: ImageDraw.ImageDraw, incident: Incident, tz: ZoneInfo, fonts: tuple[Font, Font]
) -> None:
    title = f"{incident.key}: {incident.title}"
    draw.text((20, 12), title[:110], fill=INK, font=fonts[0])
    draw.text((20, 34), f"Times in {tz.key}. Bars: T0 to each deadline.", fill=MUTED, font=fonts[1])


def _label(mark: Milestone, tz: ZoneInfo) -> str:
    return f"{mark.label} {mark.at.astimezone(tz):%a %H:%M}"


def _label_x(mark: Milestone, axis: Axis, tz: ZoneInfo, font: Font) -> tuple[float, float]:
    """Where a milestone's label starts and ends: right of its line, or left near the edge."""
    x, width = axis.x(mark.at), font.getlength(_label(mark, tz))
    return (x + 3, x + 3 + width) if x + 3 + width < WIDTH - 8 else (x - 3 - width, x - 3)


def _levels(marks: Sequence[Milestone], axis: Axis, tz: ZoneInfo, font: Font) -> list[int]:
    """Stack labels that would overlap: each goes on the lowest line with room for it."""
    ends: list[float] = []
    levels = []
    for mark in marks:
        start, end = _label_x(mark, axis, tz, font)
        level = next((i for i, e in enumerate(ends) if e + 8 < start), len(ends))
        ends[level : level + 1] = [end]
        levels.append(level)
    return levels


def _milestones(
    draw: ImageDraw.ImageDraw,
    marks: Sequence[Milestone],
    levels: Sequence[int],
    axis: Axis,
    rows: tuple[int, int],
    tz: ZoneInfo,
    font: Font,
) -> None:
    top, bottom = rows
    for mark, level in zip(marks, levels, strict=True):
        x = axis.x(mark.at)
        y = 60 + level * LEVEL
        draw.line([(x, y + 14), (x, bottom)], fill=FAINT, width=1)
        draw.line([(x, y + 14), (x, top)], fill=BLUE, width=2)
        draw.text((_label_x(mark, axis, tz, font)[0], y), _label(mark, tz), fill=BLUE, font=font)


def _ticks(draw: ImageDraw.ImageDraw, axis: Axis, top: int, tz: ZoneInfo, font: Font) -> None:
    draw.line([(LEFT, top), (RIGHT, top)], fill=INK, width=2)
    step = next((s for s in STEPS if (axis.end - axis.start) / s <= 8), STEPS[-1])
    at = _first_tick(axis.start, step, tz)
    while at <= axis.end:
        x = axis.x(at)
        draw.line([(x, top - 4), (x, top + 4)], fill=INK, width=1)
        pattern = "%a %d %b" if step >= timedelta(hours=24) else "%a %H:%M"
        draw.text((x - 28, top + 8), at.astimezone(tz).strftime(pattern), fill=INK, font=font)
        at += step


def _first_tick(start: datetime, step: timedelta, tz: ZoneInfo) -> datetime:
    local = start.astimezone(tz).replace(minute=0, second=0, microsecond=0)
    hours = min(int(step.total_seconds() // 3600), 24)
    local -= timedelta(hours=local.hour % hours)
    while local < start:
        local += step
    return local


def _obligation(
    draw: ImageDraw.ImageDraw,
    ob: Obligation,
    axis: Axis,
    at: tuple[int, datetime, datetime],
    font: Font,
) -> None:
    y, t0, now = at
    due = axis.x(ob.due_at or now)
    draw.rectangle([(axis.x(t0), y), (due, y + 12)], fill=BAR)
    draw.line([(due, y - 3), (due, y + 15)], fill=INK, width=2)
    dot = axis.x(ob.record.settled_at if not ob.open and ob.record.settled_at else now)
    if late_by(ob, now):
        draw.rectangle([(due, y + 4), (dot, y + 8)], fill=RED)
    colour = STATUS_COLOUR.get(ob.status, RED)
    draw.ellipse([(dot - 6, y), (dot + 6, y + 12)], fill=colour, outline=INK)
    draw.text(
        (20, y - 2),
        _fit(CLOCKS[ob.id].label if ob.id in CLOCKS else ob.terms.title, font),
        fill=INK,
        font=font,
    )
    draw.text((20, y + 12), _status(ob, now), fill=colour, font=font)


def _fit(text: str, font: Font, width: float = LEFT - 30) -> str:
    while font.getlength(text) > width and len(text) > 1:
        text = text[:-2] + "…"
    return text


def _status(ob: Obligation, now: datetime) -> str:
    late = late_by(ob, now)
    if late is None:
        return ob.status
    return f"overdue by {span(late)}" if ob.open else f"{ob.status}, {span(late)} late"


def _legend(draw: ImageDraw.ImageDraw, y: int, font: Font) -> None:
    x = LEFT
    for colour, words in ((GREEN, "met"), (GREY, "decided not to notify"), (RED, "open / overdue")):
        draw.ellipse([(x, y), (x + 12, y + 12)], fill=colour, outline=INK)
        draw.text((x + 18, y - 1), words, fill=INK, font=font)
        x += 40 + int(font.getlength(words))
    draw.text((20, y - 1), "| deadline", fill=INK, font=font)
