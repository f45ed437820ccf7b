"""The runbook's people, the roles they fill (in order of who is asked first), who may do
what, and when an unanswered question is escalated."""

from __future__ import annotations

from collections.abc import Sequence

from yaml.nodes import MappingNode

from bot.runbook import GRANTEES, REQUIRED_ROLES, Escalation, Person
from bot.runbook_values import Fields, Value

_PERSON_KEYS = ("id", "name", "title", "email")


def people(top: Fields) -> tuple[Person, ...]:
    seen: dict[str, int] = {}
    listed = top.each("people", "person", _PERSON_KEYS, ("slack", "teams"))
    return tuple(_person(f, seen) for f in listed)


def _person(f: Fields, seen: dict[str, int]) -> Person:
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


def roles(value: Value, known: Sequence[str]) -> dict[str, tuple[str, ...]]:
    pairs = value.entries()
    chains = {role.key: chain.ids(known) for role, chain in pairs}
    needed = ", ".join(REQUIRED_ROLES)
    if isinstance(value.node, MappingNode):
        for role in (role for role in REQUIRED_ROLES if role not in chains):
            value.child(value.at(role), value.node).error(
                f"missing (every runbook needs: {needed})"
            )
    return chains


def permissions(f: Fields, roles: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    known = (*roles, *GRANTEES)
    return {action: f[action].ids(known, "role") for action in f.found}


def escalation(f: Fields) -> Escalation:
    default = Escalation()
    return Escalation(**{key: f[key].duration() or getattr(default, key) for key in f.found})
