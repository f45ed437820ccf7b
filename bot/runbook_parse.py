"""Read runbook.yaml into the frozen models of bot.runbook, reporting every problem at once.

    runbook = parse_runbook(text, source="runbook.yaml")
    # or RunbookError, each line "runbook.yaml:12: roles.incident_lead[1]: unknown person 'bob' ..."

The YAML is composed, not loaded, so every value keeps its line number, and a "yes" written
as an answer stays the text "yes" rather than YAML 1.1's boolean. After a problem the parser
carries on with a neutral stand-in, so a firm can fix the whole file in one pass.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from yaml.nodes import Node, ScalarNode

from bot import runbook_clocks, runbook_people, runbook_rooms, runbook_systems
from bot.durations import format_duration, parse_duration
from bot.obligations import CLOCK_IDS
from bot.runbook import (
    AI_ACT_ROLES,
    DEFAULT_PERMISSIONS,
    FCA_TIERS,
    PROFESSIONAL_BODIES,
    Escalation,
    Firm,
    Profile,
    Runbook,
    RunbookError,
)
from bot.runbook_values import TAG, Fields, Value, describe

__all__ = ["format_duration", "parse_duration", "parse_runbook"]

_TOP_REQUIRED = ("version", "firm", "people", "roles", "systems", "reportable", "reenable_criteria")
_TOP_OPTIONAL = ("permissions", "escalation", "clocks", "rooms")
_PROFILE_KEYS = tuple(f.name for f in dataclasses.fields(Profile))
_PROFILE_CHOICES = {
    "fca_firm": FCA_TIERS,
    "professional_body": PROFESSIONAL_BODIES,
    "ai_act_role": AI_ACT_ROLES,
}
_ESCALATION_KEYS = tuple(f.name for f in dataclasses.fields(Escalation))


def parse_runbook(text: str, source: str) -> Runbook:
    """Validate a runbook's text; raises RunbookError listing every problem found."""
    problems: list[tuple[int, str]] = []
    root = _compose(text, problems)
    runbook = _runbook(Value(problems, "", root)) if root is not None else None
    if problems or runbook is None:
        ordered = sorted(problems, key=lambda problem: problem[0])
        raise RunbookError(source, [f"{source}:{line}: {message}" for line, message in ordered])
    return runbook


def _compose(text: str, problems: list[tuple[int, str]]) -> Node | None:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = ", ".join(part for part in (exc.context, exc.problem) if part) or str(exc)
        problems.append((mark.line + 1 if mark else 1, f"(syntax): {message}"))
        return None
    except yaml.YAMLError as exc:
        problems.append((1, f"(syntax): {exc}"))
        return None
    if root is None:
        problems.append((1, "(document): the file is empty; expected a runbook mapping"))
    return root


def _runbook(root: Value) -> Runbook:
    top = root.fields(_TOP_REQUIRED, _TOP_OPTIONAL)
    people = runbook_people.people(top)
    known = tuple(dict.fromkeys(person.id for person in people if person.id))
    roles = runbook_people.roles(top["roles"], known)
    return Runbook(
        version=_version(top["version"]),
        firm=_firm(top["firm"].fields(("name", "timezone"), _FIRM_OPTIONAL)),
        people=people,
        roles=roles,
        permissions=runbook_people.permissions(
            top["permissions"].fields((), tuple(DEFAULT_PERMISSIONS)), roles
        ),
        escalation=runbook_people.escalation(top["escalation"].fields((), _ESCALATION_KEYS)),
        systems=runbook_systems.systems(top, known),
        reportable=top["reportable"].text(),
        clocks=runbook_clocks.clocks(
            top["clocks"].fields((), ("reminders_72h", "extra", *CLOCK_IDS)), known
        ),
        reenable_criteria=tuple(v.text() for v in top["reenable_criteria"].items("criterion")),
        rooms=runbook_rooms.rooms(top["rooms"].fields((), ("slack", "teams", "triage"))),
    )


def _version(value: Value) -> int:
    node = value.node
    if node is None or (node.tag == TAG + "int" and str(node.value).strip() == "1"):
        return 1
    shown = node.value if isinstance(node, ScalarNode) else describe(node)
    value.error(f"unsupported version {shown!r} (this bot reads version 1)")
    return 1


_FIRM_OPTIONAL = ("profile", "ico_registration", "address")


def _firm(f: Fields) -> Firm:
    profile = f["profile"].fields((), _PROFILE_KEYS)
    flags: dict[str, bool | str] = {
        key: profile[key].choice(_PROFILE_CHOICES[key], key.replace("_", " "))
        if key in _PROFILE_CHOICES
        else profile[key].boolean(False)
        for key in profile.found
    }
    if flags.get("icaew_member") and flags.get("professional_body", "icaew") != "icaew":
        profile["professional_body"].error("contradicts icaew_member: true (remove that line)")
    firm_profile = Profile(**flags)  # type: ignore[arg-type]
    return Firm(
        name=f["name"].text(),
        timezone=_timezone(f["timezone"]),
        profile=firm_profile,
        ico_registration=f["ico_registration"].text(empty_ok=True),
        address=f["address"].text(empty_ok=True),
    )


def _timezone(value: Value) -> ZoneInfo:
    name = value.text()
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        if name:
            value.error(f"unknown time zone '{name}' (use an IANA name, e.g. Europe/London)")
        return ZoneInfo("UTC")


def load_runbook(path: Path) -> Runbook:
    """Read and validate a runbook file; raises RunbookError with every problem at once."""
    return parse_runbook(path.read_text(encoding="utf-8"), source=str(path))
