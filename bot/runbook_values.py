"""A runbook's YAML, read value by value: each value keeps its path and line number, and
a value of the wrong type records a problem (a neutral stand-in is read instead), so the
whole file is checked in one pass.

    top = Value(problems, "", root).fields(("version", "firm"), ("rooms",))
    top["firm"].fields(("name", "timezone"))["name"].text()   # "" and a problem if missing
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from bot.durations import ACCEPTED_FORM, parse_duration

TAG = "tag:yaml.org,2002:"


@dataclass(frozen=True)
class Value:
    """A YAML node and its path, read with a type check that records a problem, not raises.

    A node of None means the key was absent: either optional, or already reported missing.
    """

    problems: list[tuple[int, str]]
    path: str
    node: Node | None

    def error(self, message: str) -> None:
        self.problems.append((self.line, f"{self.path or '(document)'}: {message}"))

    def child(self, path: str, node: Node | None) -> Value:
        return Value(self.problems, path, node)

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def entries(self) -> list[tuple[Value, Value]]:
        """A mapping's (key, value) pairs; duplicate keys are reported."""
        if self.node is None:
            return []
        if not isinstance(self.node, MappingNode):
            self.error(f"expected a mapping of key: value, got {describe(self.node)}")
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

    def fields(self, required: Sequence[str], optional: Sequence[str] = ()) -> Fields:
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
        return Fields(self, found)

    def items(self, need: str = "") -> list[Value]:
        """A list's entries; `need` names what an empty list is missing."""
        if self.node is None:
            return []
        if not isinstance(self.node, SequenceNode):
            self.error(f"expected a list, got {describe(self.node)}")
            return []
        if need and not self.node.value:
            self.error(f"must list at least one {need}")
        return [self.child(f"{self.path}[{i}]", item) for i, item in enumerate(self.node.value)]

    def text(self, *, empty_ok: bool = False) -> str:
        if self.node is None or (empty_ok and is_null(self.node)):
            return ""
        if not isinstance(self.node, ScalarNode) or is_null(self.node):
            self.error(f"expected text, got {describe(self.node)}")
            return ""
        if not empty_ok and not str(self.node.value).strip():
            self.error("must not be empty")
        return str(self.node.value).strip()

    def boolean(self, default: bool) -> bool:
        if self.node is None:
            return default
        if self.node.tag != TAG + "bool":
            self.error(f"expected true or false, got {describe(self.node)}")
            return default
        return str(self.node.value).lower() in ("true", "yes", "on")

    def duration(self) -> timedelta | None:
        """A positive compact duration, or None if absent or wrong."""
        if self.node is None:
            return None
        if not isinstance(self.node, ScalarNode) or is_null(self.node):
            self.error(f"expected a duration, {ACCEPTED_FORM}; got {describe(self.node)}")
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
class Fields:
    """A checked mapping: fields[key] is that key's value (absent keys read as absent)."""

    of: Value
    found: dict[str, Value]

    def __getitem__(self, key: str) -> Value:
        return self.found.get(key) or self.of.child(self.of.at(key), None)

    def __contains__(self, key: str) -> bool:
        return key in self.found

    def each(
        self, key: str, need: str, required: Sequence[str], optional: Sequence[str] = ()
    ) -> list[Fields]:
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


def is_null(node: Node) -> bool:
    return node.tag == TAG + "null"


def describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if is_null(node):
        return "nothing (the value is empty)"
    return f"the text '{node.value}'" if node.tag == TAG + "str" else f"'{node.value}'"
