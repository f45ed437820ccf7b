"""The runbook's clocks: each built-in clock's policy (its owner, and its time where the
law does not set it), the 72-hour reminders, and the firm's own extra clocks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from yaml.nodes import ScalarNode

from bot.classification import ANSWER_VALUES, QUESTION_IDS
from bot.durations import format_duration
from bot.obligations import CLOCK_IDS, CLOCKS, STATUTORY
from bot.runbook import ClockPolicy, Clocks, ExtraClock
from bot.runbook_values import Fields, Value

_EXTRA_CLOCK_KEYS = ("id", "title", "when", "within", "owner")
_ICO_DEADLINE = timedelta(hours=72)


def clocks(f: Fields, known: Sequence[str]) -> Clocks:
    policies = {
        clock: _policy(f[clock].fields((), ("within", "owner")), known, clock)
        for clock in f.found
        if clock in CLOCK_IDS
    }
    reminders = _reminders(f["reminders_72h"]) if "reminders_72h" in f else None
    return Clocks(
        policies=policies,
        reminders_72h=reminders or Clocks().reminders_72h,
        extra=_extra_clocks(f, known),
    )


def _policy(f: Fields, known: Sequence[str], clock: str) -> ClockPolicy:
    owner = f["owner"].ids(known) if "owner" in f else ()
    if clock in STATUTORY and "within" in f:
        law = CLOCKS[clock].source
        f["within"].error(f"is set by law ({law}); a runbook may name its owner, not its time")
    return ClockPolicy(within=f["within"].duration(), owner=owner)


def _reminders(value: Value) -> tuple[timedelta, ...]:
    offsets: list[timedelta] = []
    for item in value.items("reminder offset"):
        offset = item.duration()
        if offset is None:
            continue
        if offset >= _ICO_DEADLINE:
            item.error("must fall before the 72h deadline")
        elif offsets and offset <= offsets[-1]:
            item.error(f"must come after the previous reminder ({format_duration(offsets[-1])})")
        offsets.append(offset)
    return tuple(offsets)


def _extra_clocks(f: Fields, known: Sequence[str]) -> tuple[ExtraClock, ...]:
    seen: dict[str, int] = {}
    return tuple(
        _extra_clock(extra, known, seen) for extra in f.each("extra", "", _EXTRA_CLOCK_KEYS)
    )


def _extra_clock(f: Fields, known: Sequence[str], seen: dict[str, int]) -> ExtraClock:
    clock_id = f.unique_id(seen)
    if clock_id in CLOCK_IDS:
        hint = f"set its policy under clocks.{clock_id} instead"
        f["id"].error(f"'{clock_id}' is a built-in clock; {hint}")
    when = f["when"].fields(("question", "answer"))
    return ExtraClock(
        id=clock_id,
        title=f["title"].text(),
        question=when["question"].choice(QUESTION_IDS, "question"),
        answers=_answers(when["answer"]),
        within=f["within"].duration() or timedelta(0),
        owner=f["owner"].ids(known),
    )


def _answers(value: Value) -> tuple[str, ...]:
    # Read as raw scalars, so yes/no stay text rather than YAML 1.1 booleans.
    listed = [value] if isinstance(value.node, ScalarNode) else value.items("answer")
    return tuple(item.choice(ANSWER_VALUES, "answer") for item in listed)
