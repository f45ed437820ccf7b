"""FakeConnector: a real HTTP server on 127.0.0.1 that speaks the Bot Connector REST API.

    async with FakeConnector() as teams:
        connector = Connector(ServiceUrls(extra=(teams.url,)), StaticTokens("t"))
        teams.add_member("29:1sam", "Sam Okafor", "sam@harbourvale.example", "aad-sam")

It records `POST /v3/conversations` (a new channel thread), `POST` and `PUT`
`/v3/conversations/{id}/activities[/{id}]` (a post sent to a channel's own id starts a
thread and is updated through it, `channel;messageid=<id>`), answers member look-ups by id,
AAD object id, UPN or email (404 otherwise, as Teams does), and can be told to answer the
next calls of a method with a status (429 with Retry-After, 403 bot-removed, 412, 502, 504).
A message over Teams' size limit is refused with 413 MessageSizeTooBig, as Teams does.
"""

from __future__ import annotations

import itertools
import json
import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.loopback import LoopbackServer

# What Teams answers when the bot is no longer in a conversation.
REMOVED = {
    "error": {
        "code": "BotNotInConversationRoster",
        "message": "The bot is not part of the conversation roster.",
    }
}


ROOT = ";messageid="
MAX_MESSAGE = 28 * 1024  # as UTF-16: Teams' limit for a bot's message (about 28 KB)
DATA_URI = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+")


def message_size(body: Any) -> int:
    """The size Teams holds a message to: its JSON as UTF-16, inline images left out (a
    picture has its own limit: 1024×1024 and 1 MB)."""
    return len(DATA_URI.sub("", json.dumps(body, ensure_ascii=False)).encode("utf-16-le"))


def _channel(conversation: str) -> bool:
    """A channel's own id (`19:…@thread.tacv2`), not a thread in it nor a chat."""
    return conversation.endswith("@thread.tacv2") and ROOT not in conversation


@dataclass
class Sent:
    id: str
    conversation: str
    activity: dict[str, Any]
    updates: int = 0

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [a["content"] for a in self.activity.get("attachments", []) if "content" in a]

    @property
    def images(self) -> list[dict[str, Any]]:
        """Inline image attachments (`contentUrl`, no card `content`)."""
        attached = self.activity.get("attachments", [])
        return [a for a in attached if a.get("contentType", "").startswith("image/")]


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    authorization: str
    body: Any


@dataclass(frozen=True)
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] = field(default_factory=dict)


class FakeConnector(LoopbackServer):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self.threads: list[dict[str, Any]] = []  # POST /v3/conversations bodies
        self.sent: dict[str, list[Sent]] = {}  # conversation id → its messages, in order
        self.members: dict[str, dict[str, Any]] = {}
        self.personal: set[str] = set()  # users with the app in their personal scope
        self.chats: list[dict[str, Any]] = []  # POST /v3/conversations bodies for a 1:1 chat
        self.faults: dict[str, deque[Fault]] = {}
        self._ids = itertools.count(1774540000001)

    # --- set up -------------------------------------------------------------------

    def add_member(
        self, member_id: str, name: str, email: str, aad: str, *, personal: bool = True
    ) -> None:
        account = {
            "id": member_id,
            "name": name,
            "aadObjectId": aad,
            "email": email,
            "userPrincipalName": email,
            "tenantId": "tenant-hv",
            "userRole": "user",
        }
        for key in (member_id, aad, email.lower()):
            self.members[key] = account
        if personal:
            self.personal.add(member_id)

    def fail(self, method: str, status: int, times: int = 1, **headers: str) -> None:
        """The next `times` calls of `method` (GET, POST, PUT) answer `status`."""
        body = REMOVED if status == 403 else {"error": {"code": f"Status{status}"}}
        queue = self.faults.setdefault(method, deque())
        queue.extend(Fault(status, headers, body) for _ in range(times))

    # --- what tests read ------------------------------------------------------------

    def messages(self, conversation: str) -> list[Sent]:
        return self.sent.get(conversation, [])

    def count(self, method: str) -> int:
        return sum(1 for c in self.calls if c.method == method)

    # --- the API --------------------------------------------------------------------

    def _next_id(self) -> str:
        return str(next(self._ids))

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.json() if request.can_read_body else None
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(request.method, request.path, auth, body))
        queue = self.faults.get(request.method)
        if queue:
            fault = queue.popleft()
            return web.json_response(fault.body, status=fault.status, headers=fault.headers)
        if request.method in ("POST", "PUT") and message_size(body) > MAX_MESSAGE:
            too_big = {"error": {"code": "MessageSizeTooBig", "message": "Message too large."}}
            return web.json_response(too_big, status=413)
        parts = request.path.strip("/").split("/")[2:]  # after v3/conversations
        return self._answer(request.method, parts, body)

    def _answer(self, method: str, parts: list[str], body: Any) -> web.Response:
        match method, parts:
            case "POST", []:
                return self._thread(body)
            case "POST", [conversation, "activities", *_]:
                return web.json_response({"id": self._post(conversation, body)}, status=201)
            case "PUT", [conversation, "activities", activity_id]:
                return self._update(conversation, activity_id, body)
            case "GET", [_, "members", member]:
                found = self.members.get(member) or self.members.get(member.lower())
                if found is None:
                    return web.json_response(
                        {"error": {"code": "MemberNotFoundInConversation"}}, status=404
                    )
                return web.json_response(found)
        return web.json_response({"error": {"code": "BadSyntax"}}, status=400)

    def _chat(self, body: dict[str, Any]) -> web.Response:
        """A 1:1 chat with one user: Teams allows it where the app is in their personal scope."""
        self.chats.append(body)
        (member,) = body["members"]
        if member["id"] not in self.personal:
            refused = {"code": "Forbidden", "message": "Bot is not installed in user's scope"}
            return web.json_response({"error": refused}, status=403)
        return web.json_response({"id": f"a:1{member['id']}"}, status=201)

    def _thread(self, body: dict[str, Any]) -> web.Response:
        if "channel" not in body.get("channelData", {}):
            return self._chat(body)
        self.threads.append(body)
        channel = body["channelData"]["channel"]["id"]
        root = self._next_id()
        conversation = f"{channel};messageid={root}"
        self.sent.setdefault(conversation, []).append(Sent(root, conversation, body["activity"]))
        return web.json_response({"id": conversation, "activityId": root}, status=201)

    def _post(self, conversation: str, body: dict[str, Any]) -> str:
        """Into a thread or chat; sent to a channel itself, a new post that starts its own
        thread (`channel;messageid=<its id>`, the conversation its buttons answer from)."""
        activity_id = self._next_id()
        lives_in = f"{conversation}{ROOT}{activity_id}" if _channel(conversation) else conversation
        self.sent.setdefault(conversation, []).append(Sent(activity_id, lives_in, body))
        return activity_id

    def _update(self, conversation: str, activity_id: str, body: dict[str, Any]) -> web.Response:
        channel, _, root = conversation.partition(ROOT)
        found = [m for m in self.messages(conversation) if m.id == activity_id] or [
            m for m in self.messages(channel) if m.id == activity_id == root
        ]
        if not found:
            return web.json_response({"error": {"code": "ActivityNotFound"}}, status=404)
        found[0].activity, found[0].updates = body, found[0].updates + 1
        return web.json_response({"id": activity_id})

    # --- life -----------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/v3/conversations{tail:.*}", self._handle)
