"""Runbook people and Teams users, matched both ways through the connector's member look-up.

    people = People(connector, runbook)
    await people.member("sam", where)          # -> Member("29:1sam…", "Sam Okafor")
    await people.actor({"id": "29:1sam…", "name": "Sam"}, where)
    # -> Actor("teams:<aad object id>", "Sam Okafor", "sam")

A person is found by their runbook `teams:` sign-in name (UPN), else their email; a Teams
user is matched back by the same two. Answers are remembered; a connector failure is not.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.ports import ChatError
from bot.runbook import Person, Runbook
from bot.timeline import Actor
from handlers.teams.cards import Member
from handlers.teams.connector import Connector

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Where:
    """Where to ask about members: a service URL and a conversation the bot is in."""

    service_url: str
    conversation_id: str


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value if isinstance(value, str) else ""


class People:
    def __init__(self, connector: Connector, runbook: Runbook) -> None:
        self.connector, self.runbook = connector, runbook
        self._members: dict[str, Member | None] = {}
        self._people: dict[str, Person | None] = {}

    async def _lookup(self, where: Where, member_id: str) -> dict[str, Any] | None:
        return await self.connector.member(where.service_url, where.conversation_id, member_id)

    async def member(self, person_id: str, where: Where) -> Member | None:
        if person_id in self._members:
            return self._members[person_id]
        person = self.runbook.find_person(person_id)
        sign_in = (person.teams or person.email) if person else ""
        if not sign_in:
            return None
        try:
            found = await self._lookup(where, sign_in)
        except ChatError as error:  # asked again next time
            log.warning("no Teams member for %s yet: %s", person_id, error)
            return None
        member = Member(_text(found, "id"), person.name) if found and person else None
        self._members[person_id] = member if member and member.id else None
        return self._members[person_id]

    async def members(self, person_ids: Iterable[str], where: Where) -> dict[str, Member]:
        found = {pid: await self.member(pid, where) for pid in sorted(set(person_ids))}
        return {pid: m for pid, m in found.items() if m is not None}

    def _match(self, account: Mapping[str, Any]) -> Person | None:
        names = {_text(account, k).lower() for k in ("userPrincipalName", "email")} - {""}
        return next(
            (
                p
                for p in self.runbook.people
                if (p.teams or "").lower() in names or p.email.lower() in names
            ),
            None,
        )

    async def person(self, user_id: str, where: Where) -> Person | None:
        if user_id not in self._people:
            try:
                account = await self._lookup(where, user_id)
            except ChatError as error:
                log.warning("could not look up Teams user %s: %s", user_id, error)
                return None
            self._people[user_id] = self._match(account) if account else None
        return self._people[user_id]

    async def actor(self, user: Mapping[str, Any], where: Where) -> Actor:
        user_id = _text(user, "id")
        ident = "teams:" + (_text(user, "aadObjectId") or user_id)
        person = await self.person(user_id, where) if user_id else None
        if person is None:
            return Actor(ident, _text(user, "name") or user_id or "someone in Teams")
        self._members.setdefault(person.id, Member(user_id, person.name))
        return Actor(ident, person.name, person.id)
