"""Read runbook.yaml into the frozen models of bot.runbook, reporting every problem at once.

    runbook = parse_runbook(text, source="runbook.yaml")
    # or RunbookError, each line "runbook.yaml:12: roles.incident_lead[1]: unknown person 'bob' ..."

The YAML is composed, not loaded, so every value keeps its line number, and a "yes" written
as an answer stays the text "yes" rather than YAML 1.1's boolean. After a problem the parser
carries on with a neutral stand-in, so a firm can fix the whole file in one pass.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.classification import ANSWER_VALUES, QUESTION_IDS
from bot.durations import ACCEPTED_FORM, format_duration, parse_duration
from bot.obligations import CLOCK_IDS, CLOCKS, STATUTORY
from bot.runbook import (
    AI_ACT_ROLES,
    DEFAULT_PERMISSIONS,
    FCA_TIERS,
    GRANTEES,
    GUID,
    PROFESSIONAL_BODIES,
    REQUIRED_ROLES,
    ClockPolicy,
    Clocks,
    Contract,
    Escalation,
    ExtraClock,
    Firm,
    KillSwitch,
    Person,
    Profile,
    Rooms,
    Runbook,
    RunbookError,
    System,
)
from bot.runbook_actions import containment_step, triage_room

__all__ = ["format_duration", "parse_duration", "parse_runbook"]

_TAG = "tag:yaml.org,2002:"
_TOP_REQUIRED = ("version", "firm", "people", "roles", "systems", "reportable", "reenable_criteria")
_TOP_OPTIONAL = ("permissions", "escalation", "clocks", "rooms")
_PERSON_KEYS = ("id", "name", "title", "email")
_SYSTEM_KEYS = ("id", "name", "vendor", "kill_switch", "logs", "containment")
_EXTRA_CLOCK_KEYS = ("id", "title", "when", "within", "owner")
_PROFILE_KEYS = tuple(f.name for f in dataclasses.fields(Profile))
_PROFILE_CHOICES = {
    "fca_firm": FCA_TIERS,
    "professional_body": PROFESSIONAL_BODIES,
    "ai_act_role": AI_ACT_ROLES,
}
_ESCALATION_KEYS = tuple(f.name for f in dataclasses.fields(Escalation))
_PREFIX = re.compile(r"[a-z0-9_-]{1,20}")
_GROUP_HINT = "the GUID after groupId= in the team's link (Teams: … → Get link to team)"
_ICO_DEADLINE = timedelta(hours=72)


def parse_runbook(text: str, source: str) -> Runbook:
    """Validate a runbook's text; raises RunbookError listing every problem found."""
    problems: list[tuple[int, str]] = []
    root = _compose(text, problems)
    runbook = _runbook(_Value(problems, "", root)) if root is not None else None
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


@dataclass(frozen=True)
class _Value:
    """A YAML node and its path, read with a type check that records a problem, not raises.

    A node of None means the key was absent: either optional, or already reported missing.
    """

    problems: list[tuple[int, str]]
    path: str
    node: Node | None

    def error(self, message: str) -> None:
        self.problems.append((self.line, f"{self.path or '(document)'}: {message}"))

    def child(self, path: str, node: Node | None) -> _Value:
        return _Value(self.problems, path, node)

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def entries(self) -> list[tuple[_Value, _Value]]:
        """A mapping's (key, value) pairs; duplicate keys are reported."""
        if self.node is None:
            return []
        if not isinstance(self.node, MappingNode):
            self.error(f"expected a mapping of key: value, got {_describe(self.node)}")
            return []
        pairs = [
            (self.child(self.at(k.value), k), self.child(self.at(k.value), v))
            for k, v in self.node.value
        ]
        first: dict[str, int] = {}
        for key, _ in pairs:
            if key.key in first:
                key.error(f"duplicate key (first at line {first[key.key]})")
            first.setdefault(key.key, key.line)
        return pairs

    @property
    def key(self) -> str:
        return str(self.node.value) if isinstance(self.node, ScalarNode) else ""

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 if self.node is not None else 1

    def fields(self, required: Sequence[str], optional: Sequence[str] = ()) -> _Fields:
        """The known keys of a mapping; unknown and missing required keys are reported."""
        allowed = (*required, *optional)
        pairs = self.entries()
        for key, _ in pairs:
            if key.key not in allowed:
                key.error(f"unknown key '{key.key}' (allowed: {', '.join(allowed)})")
        present = {key.key for key, _ in pairs}
        if isinstance(self.node, MappingNode):
            for name in (name for name in required if name not in present):
                self.child(self.at(name), self.node).error("missing (required)")
        found = {key.key: value for key, value in pairs if key.key in allowed}
        return _Fields(self, found)

    def items(self, need: str = "") -> list[_Value]:
        """A list's entries; `need` names what an empty list is missing."""
        if self.node is None:
            return []
        if not isinstance(self.node, SequenceNode):
            self.error(f"expected a list, got {_describe(self.node)}")
            return []
        if need and not self.node.value:
            self.error(f"must list at least one {need}")
        return [self.child(f"{self.path}[{i}]", item) for i, item in enumerate(self.node.value)]

    def text(self, *, empty_ok: bool = False) -> str:
        if self.node is None or (empty_ok and _is_null(self.node)):
            return ""
        if not isinstance(self.node, ScalarNode) or _is_null(self.node):
            self.error(f"expected text, got {_describe(self.node)}")
            return ""
        if not empty_ok and not str(self.node.value).strip():
            self.error("must not be empty")
        return str(self.node.value).strip()

    def boolean(self, default: bool) -> bool:
        if self.node is None:
            return default
        if self.node.tag != _TAG + "bool":
            self.error(f"expected true or false, got {_describe(self.node)}")
            return default
        return str(self.node.value).lower() in ("true", "yes", "on")

    def duration(self) -> timedelta | None:
        """A positive compact duration, or None if absent or wrong."""
        if self.node is None:
            return None
        if not isinstance(self.node, ScalarNode) or _is_null(self.node):
            self.error(f"expected a duration, {ACCEPTED_FORM}; got {_describe(self.node)}")
            return None
        try:
            value = parse_duration(str(self.node.value))
        except ValueError as exc:
            self.error(str(exc))
            return None
        if not value:
            self.error("must be longer than zero")
        return value or None

    def choice(self, known: Sequence[str], what: str) -> str:
        """Text that must be one of `known`; reports 'unknown <what> ... (known: ...)'."""
        value = self.text()
        if value and value not in known:
            self.error(f"unknown {what} '{value}' (known: {', '.join(known)})")
        return value

    def ids(self, known: Sequence[str], what: str = "person") -> tuple[str, ...]:
        """A non-empty list of distinct references, each one of `known`."""
        chosen: list[str] = []
        for item in self.items(need=what):
            value = item.choice(known, what)
            if value in chosen:
                item.error(f"'{value}' is listed twice")
            chosen.append(value)
        return tuple(chosen)


@dataclass(frozen=True)
class _Fields:
    """A checked mapping: fields[key] is that key's value (absent keys read as absent)."""

    of: _Value
    found: dict[str, _Value]

    def __getitem__(self, key: str) -> _Value:
        return self.found.get(key) or self.of.child(self.of.at(key), None)

    def __contains__(self, key: str) -> bool:
        return key in self.found

    def each(
        self, key: str, need: str, required: Sequence[str], optional: Sequence[str] = ()
    ) -> list[_Fields]:
        """The checked mappings listed under `key`."""
        return [item.fields(required, optional) for item in self[key].items(need)]

    def unique_id(self, seen: dict[str, int]) -> str:
        """The entry's `id`, reported if an earlier entry of the same list used it."""
        node = self["id"]
        value = node.text()
        if value in seen:
            node.error(f"duplicate id '{value}' (first used at line {seen[value]})")
        if value:
            seen.setdefault(value, node.line)
        return value


def _is_null(node: Node) -> bool:
    return node.tag == _TAG + "null"


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if _is_null(node):
        return "nothing (the value is empty)"
    return f"the text '{node.value}'" if node.tag == _TAG + "str" else f"'{node.value}'"


def _runbook(root: _Value) -> Runbook:
    top = root.fields(_TOP_REQUIRED, _TOP_OPTIONAL)
    people = _people(top)
    known = tuple(dict.fromkeys(person.id for person in people if person.id))
    roles = _roles(top["roles"], known)
    return Runbook(
        version=_version(top["version"]),
        firm=_firm(top["firm"].fields(("name", "timezone"), _FIRM_OPTIONAL)),
        people=people,
        roles=roles,
        permissions=_permissions(top["permissions"].fields((), tuple(DEFAULT_PERMISSIONS)), roles),
        escalation=_escalation(top["escalation"].fields((), _ESCALATION_KEYS)),
        systems=_systems(top, known),
        reportable=top["reportable"].text(),
        clocks=_clocks(top["clocks"].fields((), ("reminders_72h", "extra", *CLOCK_IDS)), known),
        reenable_criteria=tuple(v.text() for v in top["reenable_criteria"].items("criterion")),
        rooms=_rooms(top["rooms"].fields((), ("slack", "teams", "triage"))),
    )


def _version(value: _Value) -> int:
    node = value.node
    if node is None or (node.tag == _TAG + "int" and str(node.value).strip() == "1"):
        return 1
    shown = node.value if isinstance(node, ScalarNode) else _describe(node)
    value.error(f"unsupported version {shown!r} (this bot reads version 1)")
    return 1


_FIRM_OPTIONAL = ("profile", "ico_registration", "address")


def _firm(f: _Fields) -> Firm:
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


def _timezone(value: _Value) -> ZoneInfo:
    name = value.text()
    try:
        return ZoneInfo(name)
    except (ValueError, KeyError, OSError):
        if name:
            value.error(f"unknown time zone '{name}' (use an IANA name, e.g. Europe/London)")
        return ZoneInfo("UTC")


def _people(top: _Fields) -> tuple[Person, ...]:
    seen: dict[str, int] = {}
    listed = top.each("people", "person", _PERSON_KEYS, ("slack", "teams"))
    return tuple(_person(f, seen) for f in listed)


def _person(f: _Fields, seen: dict[str, int]) -> Person:
    person_id, email = f.unique_id(seen), f["email"].text()
    if email and "@" not in email:
        f["email"].error(f"'{email}' is not an email address")
    return Person(
        id=person_id,
        name=f["name"].text(),
        title=f["title"].text(),
        email=email,
        slack=f["slack"].text() or None,
        teams=f["teams"].text() or None,
    )


def _roles(value: _Value, known: Sequence[str]) -> dict[str, tuple[str, ...]]:
    pairs = value.entries()
    chains = {role.key: chain.ids(known) for role, chain in pairs}
    needed = ", ".join(REQUIRED_ROLES)
    if isinstance(value.node, MappingNode):
        for role in (role for role in REQUIRED_ROLES if role not in chains):
            value.child(value.at(role), value.node).error(
                f"missing (every runbook needs: {needed})"
            )
    return chains


def _permissions(f: _Fields, roles: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    known = (*roles, *GRANTEES)
    return {action: f[action].ids(known, "role") for action in f.found}


def _escalation(f: _Fields) -> Escalation:
    default = Escalation()
    return Escalation(**{key: f[key].duration() or getattr(default, key) for key in f.found})


def _systems(top: _Fields, known: Sequence[str]) -> tuple[System, ...]:
    seen: dict[str, int] = {}
    listed = top.each("systems", "system", _SYSTEM_KEYS, ("contract",))
    return tuple(_system(f, known, seen) for f in listed)


def _system(f: _Fields, known: Sequence[str], seen: dict[str, int]) -> System:
    switch = f["kill_switch"].fields(("who", "how"))
    contract = f["contract"].fields((), ("vendor_notifies_within", "notes", "ref", "processor"))
    steps = [containment_step(step) for step in f["containment"].items("containment step")]
    return System(
        id=f.unique_id(seen),
        name=f["name"].text(),
        vendor=f["vendor"].text(),
        kill_switch=KillSwitch(who=switch["who"].ids(known), how=switch["how"].text()),
        logs=f["logs"].text(),
        containment=tuple(text for text, _ in steps),
        actions=tuple(action for _, action in steps),
        contract=Contract(
            vendor_notifies_within=contract["vendor_notifies_within"].duration(),
            notes=contract["notes"].text(empty_ok=True),
            ref=contract["ref"].text(empty_ok=True),
            processor=contract["processor"].boolean(False),
        ),
    )


def _clocks(f: _Fields, known: Sequence[str]) -> Clocks:
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


def _policy(f: _Fields, known: Sequence[str], clock: str) -> ClockPolicy:
    owner = f["owner"].ids(known) if "owner" in f else ()
    if clock in STATUTORY and "within" in f:
        law = CLOCKS[clock].source
        f["within"].error(f"is set by law ({law}); a runbook may name its owner, not its time")
    return ClockPolicy(within=f["within"].duration(), owner=owner)


def _reminders(value: _Value) -> tuple[timedelta, ...]:
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


def _extra_clocks(f: _Fields, known: Sequence[str]) -> tuple[ExtraClock, ...]:
    seen: dict[str, int] = {}
    return tuple(
        _extra_clock(extra, known, seen) for extra in f.each("extra", "", _EXTRA_CLOCK_KEYS)
    )


def _extra_clock(f: _Fields, known: Sequence[str], seen: dict[str, int]) -> ExtraClock:
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


def _answers(value: _Value) -> tuple[str, ...]:
    # Read as raw scalars, so yes/no stay text rather than YAML 1.1 booleans.
    listed = [value] if isinstance(value.node, ScalarNode) else value.items("answer")
    return tuple(item.choice(ANSWER_VALUES, "answer") for item in listed)


def _rooms(f: _Fields) -> Rooms:
    default = Rooms()
    slack = f["slack"].fields((), ("prefix", "private", "archive_after"))
    teams = f["teams"].fields((), ("team_id", "channel_id", "group_id", "dedicated_channels"))
    dedicated = teams["dedicated_channels"].boolean(False)
    group = teams["group_id"].text(empty_ok=True)
    if group and not GUID.fullmatch(group):
        teams["group_id"].error(f"'{group}' is not a group id; {_GROUP_HINT}")
    elif dedicated and not group:
        teams["dedicated_channels"].error(f"needs rooms.teams.group_id: {_GROUP_HINT}")
    return Rooms(
        slack_prefix=_prefix(slack["prefix"]) or default.slack_prefix,
        slack_private=slack["private"].boolean(default.slack_private),
        archive_after=_archive_after(slack["archive_after"], default.archive_after),
        teams_team_id=teams["team_id"].text(empty_ok=True),
        teams_channel_id=teams["channel_id"].text(empty_ok=True),
        teams_group_id=group,
        teams_dedicated_channels=dedicated,
        triage=triage_room(f["triage"]),
    )


def _prefix(value: _Value) -> str:
    prefix = value.text()
    if prefix and not _PREFIX.fullmatch(prefix):
        rule = "use 1-20 lower-case letters, digits, '-' or '_'"
        value.error(f"'{prefix}' is not a valid room prefix; {rule}")
    return prefix


def _archive_after(value: _Value, default: timedelta | None) -> timedelta | None:
    # An explicit empty value (archive_after: ~) means never archive the room.
    if value.node is None:
        return default
    return None if _is_null(value.node) else value.duration()


def load_runbook(path: Path) -> Runbook:
    """Read and validate a runbook file; raises RunbookError with every problem at once."""
    return parse_runbook(path.read_text(encoding="utf-8"), source=str(path))
