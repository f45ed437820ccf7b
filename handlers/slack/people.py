"""Runbook people and Slack users, matched both ways and remembered.

people = People(client, runbook)
await people.slack_id("priya")        # -> "U0PRIYA" (her `slack:` id, else by email)
await people.actor("U0PRIYA", "priya")  # -> Actor("slack:U0PRIYA", "Priya Shah", "priya")
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.runbook import Person, Runbook
from bot.timeline import Actor

log = logging.getLogger(__name__)
# Answers that mean "no such person", worth remembering; anything else is tried again later.
NOBODY = {"users_not_found", "user_not_found", "account_inactive"}

Send = Callable[[], Awaitable[AsyncSlackResponse]]
# How a call is made: SlackChat.call waits out a short 429 first (a lookup that gave up on
# one would tell the room that a person has no Slack account).
Caller = Callable[[str, Send], Awaitable[AsyncSlackResponse]]


async def _once(_method: str, send: Send) -> AsyncSlackResponse:
    return await send()


@dataclass(frozen=True)
class SlackUser:
    id: str
    name: str
    email: str


class People:
    def __init__(self, client: AsyncWebClient, runbook: Runbook, call: Caller = _once) -> None:
        self.client, self.runbook, self.call = client, runbook, call
        self._ids: dict[str, str | None] = {p.id: p.slack for p in runbook.people if p.slack}
        self._users: dict[str, SlackUser | None] = {}

    async def slack_id(self, person_id: str) -> str | None:
        if person_id in self._ids:
            return self._ids[person_id]
        person = self.runbook.find_person(person_id)
        if person is None or not person.email:
            return None
        found = await self._by_email(person)
        if found is not None:  # a failure of Slack's is not remembered: asked again next time
            self._ids[person_id] = found or None
        return found or None

    async def slack_ids(self, person_ids: Iterable[str]) -> dict[str, str]:
        found = {pid: await self.slack_id(pid) for pid in sorted(set(person_ids))}
        return {pid: uid for pid, uid in found.items() if uid}

    async def _by_email(self, person: Person) -> str | None:
        """Her Slack id; '' when Slack has nobody with that email; None when Slack failed."""
        try:
            send = lambda: self.client.users_lookupByEmail(email=person.email)  # noqa: E731
            answer = await self.call("users.lookupByEmail", send)
        except SlackApiError as error:
            code = str(error.response.get("error", ""))
            log.warning("no Slack user for %s: %s", person.id, code)
            return "" if code in NOBODY else None
        return str(answer["user"]["id"])

    async def user(self, user_id: str) -> SlackUser | None:
        if user_id not in self._users:
            try:
                send = lambda: self.client.users_info(user=user_id)  # noqa: E731
                answer = await self.call("users.info", send)
            except SlackApiError as error:
                log.warning("users.info %s: %s", user_id, error.response.get("error"))
                return None
            u = answer["user"]
            email = str(u.get("profile", {}).get("email", ""))
            self._users[user_id] = SlackUser(user_id, str(u.get("real_name") or u["name"]), email)
        return self._users[user_id]

    async def person(self, user_id: str) -> Person | None:
        """The runbook person this Slack user is: by `slack:` id, else by email."""
        by_id = next((p for p in self.runbook.people if p.slack == user_id), None)
        if by_id is not None:
            return by_id
        user = await self.user(user_id)
        email = user.email.lower() if user else ""
        return next((p for p in self.runbook.people if email and p.email.lower() == email), None)

    async def actor(self, user_id: str, said_name: str = "") -> Actor:
        person = await self.person(user_id)
        if person is not None:
            self._ids.setdefault(person.id, user_id)
            return Actor(f"slack:{user_id}", person.name, person.id)
        user = await self.user(user_id)
        return Actor(f"slack:{user_id}", user.name if user else said_name or user_id)
