"""FakeSlack: a real HTTP server on 127.0.0.1 that speaks the Slack Web API.

The bot's Slack code talks to it through slack_sdk exactly as it talks to Slack:

    async with FakeSlack() as slack:
        client = AsyncWebClient(token="xoxb-test", base_url=slack.url)

It keeps what the bot did (channels, messages, views, calls) for tests to read, answers
with Slack's response shapes and error codes (see tests/fakes/slack_methods.py), and
can be told to fail, rate-limit or break down for the next calls of a method, or (opt-in,
seeded) at a rate across all calls:

    slack.chaos(Chaos(rate=0.2, seed=7))   # 429s, 5xx pages, slow answers, dropped connections
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from aiohttp import web

from tests.fakes.loopback import LoopbackServer
from tests.fakes.slack_methods import Params, SlackError, SlackMethods
from tests.fakes.slack_state import Call, Channel, File, Message, SlackState, User, View

__all__ = [
    "DOWNLOAD",
    "UPLOAD",
    "Call",
    "Channel",
    "Chaos",
    "FakeSlack",
    "File",
    "Message",
    "User",
    "View",
]

DOWNLOAD = "file_download"  # the name file downloads are recorded (and can be faulted) under
UPLOAD = "file_upload"  # and the bytes POSTed to an upload URL
SERVER_ERROR_PAGE = (
    "<!DOCTYPE html><html><head><title>Slack is having trouble</title></head>"
    "<body><h1>Service Unavailable</h1><p>Please try again later.</p></body></html>"
)
SIGN_IN_PAGE = (
    "<!DOCTYPE html><html><head><title>Sign in | Slack</title></head>"
    "<body><form action='/signin' method='post'><h1>Sign in to fake-team</h1>"
    "</form></body></html>"
)


@dataclass(frozen=True)
class Answer:
    """What the server sends back: a JSON body, or an HTML page for a breakdown."""

    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return isinstance(self.body, dict) and self.body.get("ok") is True

    @property
    def error(self) -> str | None:
        if isinstance(self.body, str):
            return f"http_{self.status}"
        return None if self.ok else str(self.body.get("error"))

    def response(self) -> web.Response:
        if isinstance(self.body, str):
            return web.Response(
                status=self.status, text=self.body, content_type="text/html", headers=self.headers
            )
        return web.json_response(self.body, status=self.status, headers=self.headers)


@dataclass(frozen=True)
class Chaos:
    """Faults at `rate` of API calls, chosen by a random generator seeded with `seed`.

    A 429 (Retry-After `retry_after` s) or 5xx is answered instead of the method, a slow
    answer is the method's own after `slow_s`, and a dropped connection is closed before the
    method runs: none of them does the work twice, so a client that retries gets it done
    exactly once. Opt-in, "dropped_after" closes the connection after the method ran: a
    client that retries blindly then does the work twice."""

    rate: float
    seed: int = 0
    kinds: tuple[str, ...] = ("ratelimited", "server_error", "slow", "dropped")
    retry_after: int = 1
    slow_s: float = 0.05


def error_answer(error: str, **extra: Any) -> Answer:
    return Answer(200, {"ok": False, "error": error, **extra})


def bearer(request: web.Request) -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


async def read_params(request: web.Request) -> dict[str, Any]:
    """Query string plus body: form-encoded, multipart or JSON, as Slack accepts."""
    params: dict[str, Any] = dict(request.query)
    if not request.body_exists:
        return params
    if request.content_type == "application/json":
        params.update(await json_body(request))
    else:
        form = await request.post()
        params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params


async def json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.text() or "{}")
    except ValueError:
        raise SlackError("invalid_json") from None
    if not isinstance(body, dict):
        raise SlackError("invalid_json")
    return body


async def uploaded_bytes(request: web.Request) -> bytes:
    if request.content_type != "multipart/form-data":
        return await request.read()
    form = await request.post()
    part = form.get("file")
    return part.file.read() if isinstance(part, web.FileField) else b""


class FakeSlack(LoopbackServer):
    """A Slack workspace with one bot in it, served over HTTP on an ephemeral port."""

    path = "/api/"
    bot_user_id = "UBOT"
    bot_id = "B0BOT"

    def __init__(
        self,
        bot_token: str = "xoxb-test",
        team_id: str = "T0TEST",
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__()  # url: http://127.0.0.1:<port>/api/ once started
        self.bot_token = bot_token
        self.team_id = team_id
        self.clock = clock
        self.state = SlackState(team_id, self.bot_user_id, self.bot_id, clock)
        self.calls: list[Call] = []
        self._handlers = SlackMethods(self.state).table()
        self._faults: dict[str, deque[Answer]] = {}
        self._chaos: tuple[Chaos, random.Random] | None = None
        self._drops_after: dict[str, int] = {}
        self._drops_before: dict[str, int] = {}
        self._held: dict[str, asyncio.Event] = {}
        self.injected: list[tuple[str, str]] = []  # (method, fault kind) chaos injected
        self._socket_mode: tuple[str, str] = ("", "")  # app token, ws:// URL (slack_socket)
        self.add_user(self.bot_user_id, "", "ai-incident", is_bot=True)

    # --- what tests read ------------------------------------------------------------

    @property
    def channels(self) -> dict[str, Channel]:
        return self.state.channels

    @property
    def messages(self) -> dict[str, list[Message]]:
        return self.state.messages

    @property
    def ephemerals(self) -> list[Message]:
        return self.state.ephemerals

    @property
    def views(self) -> dict[str, View]:
        return self.state.views

    @property
    def users(self) -> dict[str, User]:
        return self.state.users

    @property
    def files(self) -> dict[str, File]:
        return self.state.files

    def count(self, method: str) -> int:
        return sum(1 for c in self.calls if c.method == method)

    # --- lifecycle ----------------------------------------------------------------------

    def routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/files-pri/{key}/download/{name}", self._download)
        app.router.add_get("/files-pri/{key}/{name}", self._download)
        app.router.add_post("/upload/v1/{file_id}", self._upload)
        app.router.add_get("/", self._sign_in)

    async def start(self) -> None:
        await super().start()
        self.state.origin = self.origin

    # --- arranging the workspace -------------------------------------------------------

    def add_user(
        self, user_id: str, email: str, name: str, *, deleted: bool = False, is_bot: bool = False
    ) -> None:
        self.state.users[user_id] = User(user_id, email, name, deleted=deleted, is_bot=is_bot)

    def add_channel(
        self,
        name: str,
        *,
        is_private: bool = True,
        is_archived: bool = False,
        members: list[str] | None = None,
    ) -> str:
        """A channel made by someone else; the bot is in it only if listed in members."""
        listed = list(members or [])
        creator = listed[0] if listed else "USLACKBOT"
        ch = self.state.add_channel(
            name, is_private=is_private, members=set(listed), created_by=creator
        )
        ch.is_archived = is_archived
        return ch.id

    def add_message(self, channel: str, text: str, *, user: str) -> str:
        """A message a person posted (the bot cannot chat.update it); returns its ts."""
        message = Message(self.state.next_ts(), channel, text, None, user)
        self.state.messages.setdefault(channel, []).append(message)
        return message.ts

    def add_file(self, file_id: str, name: str, content: bytes, user: str, channel: str) -> None:
        created = int(self.state.now())
        self.state.files[file_id] = File(file_id, name, content, user, [channel], created)

    def new_trigger(self, user_id: str) -> str:
        return self.state.new_trigger(user_id)

    def expire_triggers(self) -> None:
        for trigger in self.state.triggers.values():
            trigger.expired = True

    # --- faults ---------------------------------------------------------------------------

    def allow_socket_mode(self, app_token: str, url: str) -> None:
        """apps.connections.open gives `url` to `app_token` (an xapp- token, not the bot's)."""
        self._socket_mode = (app_token, url)

    def _connections_open(self, token: str) -> Answer:
        app_token, url = self._socket_mode
        if token.startswith("xoxb-"):
            return error_answer("not_allowed_token_type")
        if not app_token or token != app_token:
            return error_answer("invalid_auth")
        return Answer(200, {"ok": True, "url": url})

    def fail(self, method: str, error: str, times: int = 1) -> None:
        self._queue(method, error_answer(error), times)

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        body = {"ok": False, "error": "ratelimited"}
        self._queue(method, Answer(429, body, {"Retry-After": str(retry_after)}), times)

    def answer_next(self, method: str, answer: Answer, times: int = 1) -> None:
        """The next `times` calls of `method` get `answer` (a proxy's page, say)."""
        self._queue(method, answer, times)

    def server_error(self, method: str, status: int = 503, times: int = 1) -> None:
        self._queue(method, Answer(status, SERVER_ERROR_PAGE), times)

    def chaos(self, chaos: Chaos | None) -> None:
        """Faults at a rate across every API call from now on (None: no more)."""
        self._chaos = (chaos, random.Random(chaos.seed)) if chaos else None

    def _chaotic(self, method: str) -> str | None:
        if self._chaos is None:
            return None
        chaos, rng = self._chaos
        if rng.random() >= chaos.rate:
            return None
        kind = rng.choice(chaos.kinds)
        self.injected.append((method, kind))
        return kind

    async def _injected(self, request: web.Request, method: str, kind: str) -> Answer | None:
        """The answer a chaos fault gives instead of the method's; None: the method's own."""
        chaos = self._chaos[0] if self._chaos is not None else Chaos(0.0)
        if kind == "ratelimited":
            body = {"ok": False, "error": "ratelimited"}
            return Answer(429, body, {"Retry-After": str(chaos.retry_after)})
        if kind == "server_error":
            return Answer(503, SERVER_ERROR_PAGE)
        if kind == "dropped" and request.transport is not None:
            request.transport.abort()
            return Answer(0, "dropped")
        await asyncio.sleep(chaos.slow_s)
        return None

    def drop_after(self, method: str, times: int = 1) -> None:
        """The next `times` calls of `method` take effect, then lose their connection before
        the answer: the client cannot tell whether Slack did the work."""
        self._drops_after[method] = self._drops_after.get(method, 0) + times

    def hold(self, method: str) -> asyncio.Event:
        """Calls of `method` wait, unanswered, until the returned event is set."""
        return self._held.setdefault(method, asyncio.Event())

    def drop(self, method: str, times: int = 1) -> None:
        """The next `times` calls of `method` lose their connection before it runs."""
        self._drops_before[method] = self._drops_before.get(method, 0) + times

    @staticmethod
    def _dropping(drops: dict[str, int], method: str) -> bool:
        left = drops.get(method, 0)
        if left:
            drops[method] = left - 1
        return bool(left)

    def _done_then_dropped(
        self, request: web.Request, method: str, params: dict[str, Any], token: str
    ) -> web.Response:
        answer = self._answer(method, params, token)
        self._record(method, params, answer.status, answer.error)
        if request.transport is not None:
            request.transport.abort()
        raise web.HTTPBadRequest()

    def _queue(self, method: str, answer: Answer, times: int) -> None:
        """Faults for a method are served in the order they were arranged."""
        self._faults.setdefault(method, deque()).extend([answer] * times)

    def _next_fault(self, method: str) -> Answer | None:
        queued = self._faults.get(method)
        return queued.popleft() if queued else None

    # --- HTTP -----------------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        try:
            params = await read_params(request)
        except SlackError as e:
            params, answer = {}, error_answer(e.error)
        else:
            form_token = params.pop("token", None)  # never kept in the call log
            token = bearer(request) or str(form_token or "")
            if method in self._held:
                await self._held[method].wait()
            kind = self._chaotic(method)
            if kind == "dropped_after" or self._dropping(self._drops_after, method):
                return self._done_then_dropped(request, method, params, token)
            if self._dropping(self._drops_before, method):
                kind = "dropped"
            injected = await self._injected(request, method, kind) if kind else None
            answer = injected or self._answer(method, params, token)
        self._record(method, params, answer.status, answer.error)
        if answer.status == 0:  # the connection is gone: nothing to answer on
            raise web.HTTPBadRequest()
        return answer.response()

    def _answer(self, method: str, params: dict[str, Any], token: str) -> Answer:
        fault = self._next_fault(method)
        if fault is not None:
            return fault
        if method == "apps.connections.open":  # the one method that takes the app token
            return self._connections_open(token)
        handler = self._handlers.get(method)
        if handler is None:
            return Answer(404, {"ok": False, "error": "unknown_method", "req_method": method})
        if not token:
            return error_answer("not_authed")
        if token != self.bot_token:
            return error_answer("invalid_auth")
        try:
            return Answer(200, {"ok": True, **handler(Params(params))})
        except SlackError as e:
            return error_answer(e.error, **e.extra)

    async def _download(self, request: web.Request) -> web.Response:
        """url_private(_download): the bytes for the bot token; else Slack's sign-in page."""
        key = request.match_info["key"]
        fault = self._next_fault(DOWNLOAD)
        if fault is not None:
            self._record(DOWNLOAD, {"file": key}, fault.status, fault.error)
            return fault.response()
        response, error = self._file_response(request, key)
        self._record(DOWNLOAD, {"file": key}, response.status, error)
        return response

    def _file_response(self, request: web.Request, key: str) -> tuple[web.Response, str | None]:
        if bearer(request) != self.bot_token:
            location = f"/?redir={quote(request.path_qs, safe='')}"
            return web.Response(status=302, headers={"Location": location}), "not_authed"
        team, _, file_id = key.partition("-")
        file = self.state.files.get(file_id) if team == self.team_id else None
        if file is None:
            missing = web.Response(status=404, text="Not found", content_type="text/html")
            return missing, "file_not_found"
        headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(file.name)}"}
        body = web.Response(body=file.content, content_type=file.mimetype, headers=headers)
        return body, None

    async def _upload(self, request: web.Request) -> web.Response:
        """An upload URL takes the bytes, raw or as a multipart `file`; Slack answers
        "OK - <length>" in plain text. The URL itself is the credential."""
        file_id = request.match_info["file_id"]
        fault = self._next_fault(UPLOAD)
        if fault is not None:
            self._record(UPLOAD, {"file": file_id}, fault.status, fault.error)
            return fault.response()
        upload = self.state.uploads.get(file_id)
        if upload is None:
            self._record(UPLOAD, {"file": file_id}, 404, "file_not_found")
            return web.Response(status=404, text="Not found")
        upload.content = await uploaded_bytes(request)
        self._record(UPLOAD, {"file": file_id, "length": len(upload.content)}, 200, None)
        return web.Response(text=f"OK - {len(upload.content)}")

    async def _sign_in(self, request: web.Request) -> web.Response:
        return web.Response(text=SIGN_IN_PAGE, content_type="text/html")

    def _record(self, method: str, params: dict[str, Any], status: int, error: str | None) -> None:
        at = self.clock()
        self.calls.append(Call(method, params, at, status, error is None, error))
