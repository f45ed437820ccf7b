"""Learn: a closed incident becomes regression cases an eval runner can load (docs/EVALS.md).

    cases = regression_cases(incident)       # from the close form's regression answers
    cases_jsonl(cases)                       # one JSON object per line
    judge(cases[0], output).passed           # False while the output still leaks

A case passes when the output contains every must_contain string and none of the
must_not_contain strings, compared case-insensitively (Unicode casefold).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.incident import Incident


class CaseError(ValueError):
    """A line of a cases file is not a case; the message names the line."""


def regression_cases(incident: Incident) -> list[dict[str, Any]]:
    """One case per recorded input (`input` may be a string or a list), ids KEY-1, KEY-2, …"""
    recorded: Mapping[str, Any] = incident.closing.get("regression") or {}
    if incident.closed_at is None or not recorded.get("input"):
        return []
    inputs = recorded["input"]
    inputs = [inputs] if isinstance(inputs, str) else list(inputs)
    return [_case(incident, recorded, n, text) for n, text in enumerate(inputs, start=1)]


def _case(incident: Incident, recorded: Mapping[str, Any], n: int, text: str) -> dict[str, Any]:
    room = incident.room.url if incident.room else ""
    return {
        "id": f"{incident.key}-{n}",
        "incident": incident.key,
        "failure_type": str(incident.closing.get("failure_type") or incident.failure_type),
        "input": str(text),
        "bad_output": str(recorded.get("bad_output", "")),
        "must_contain": _strings(recorded.get("must_contain")),
        "must_not_contain": _strings(recorded.get("must_not_contain")),
        "notes": str(recorded.get("notes", "")),
        "link": room or f"ai-incident export {incident.key} --format html",
    }


def _strings(value: Any) -> list[str]:
    items = [value] if isinstance(value, str) else list(value or ())
    return [str(i) for i in items if str(i).strip()]


def cases_jsonl(cases: Iterable[Mapping[str, Any]]) -> str:
    return "".join(json.dumps(dict(c), ensure_ascii=False) + "\n" for c in cases)


def all_cases(incidents: Iterable[Incident]) -> list[dict[str, Any]]:
    return [c for i in sorted(incidents, key=lambda i: i.key) for c in regression_cases(i)]


def cases_said(
    incidents: Iterable[Incident], cases: Sequence[Mapping[str, Any]]
) -> tuple[str, int]:
    """What eval-cases tells its user, and its exit code: how many cases, from which
    incidents, and which closed incidents gave none and why."""
    closed = [i for i in incidents if i.closed_at is not None]
    bare = sorted(i.key for i in closed if not regression_cases(i))
    why = (
        f"{len(bare)} closed without a regression input ({', '.join(bare)}): the close "
        "form's regression case fields (input, bad output, must / must not contain) were empty"
    )
    if cases:
        said = f"{len(cases)} regression case(s) from {len(closed) - len(bare)} closed incident(s)"
        return (said + (f"; {why}" if bare else "") + ".", 0)
    if not closed:
        return ("No regression cases: no incident is closed yet.", 0)
    return (f"No regression cases: {len(closed)} incident(s) closed, {why}.", 1)


def parse_cases(text: str) -> list[dict[str, Any]]:
    """Read a JSONL cases file; raises CaseError naming the first bad line."""
    cases = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            cases.append(_parse_line(number, line))
    return cases


def _parse_line(number: int, line: str) -> dict[str, Any]:
    try:
        case = json.loads(line)
    except json.JSONDecodeError as error:
        raise CaseError(f"line {number}: not JSON ({error.msg})") from error
    if not isinstance(case, dict) or not isinstance(case.get("input"), str):
        raise CaseError(f"line {number}: a case needs an 'input' string")
    return case


@dataclass(frozen=True)
class Verdict:
    case_id: str
    passed: bool
    missing: tuple[str, ...] = ()  # must_contain strings not found
    present: tuple[str, ...] = ()  # must_not_contain strings found
    error: str = ""  # the command failed or timed out

    def line(self) -> str:
        if self.passed:
            return f"PASS {self.case_id}"
        said = [self.error] if self.error else []
        said += [f"missing {s!r}" for s in self.missing]
        said += [f"contains {s!r}" for s in self.present]
        return f"FAIL {self.case_id}: " + "; ".join(said)


def judge(case: Mapping[str, Any], output: str, error: str = "") -> Verdict:
    seen = output.casefold()
    missing = tuple(s for s in _strings(case.get("must_contain")) if s.casefold() not in seen)
    present = tuple(s for s in _strings(case.get("must_not_contain")) if s.casefold() in seen)
    passed = not (missing or present or error)
    return Verdict(str(case.get("id", "?")), passed, missing, present, error)


def summary(verdicts: Sequence[Verdict]) -> str:
    failed = sum(not v.passed for v in verdicts)
    return f"{len(verdicts) - failed} passed, {failed} failed"
