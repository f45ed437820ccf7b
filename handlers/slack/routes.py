"""Slack on the one aiohttp server: `POST /slack/events` for slash commands, buttons, modals
and events alike; or Socket Mode, which needs no public URL.

    add_slack_routes(web_app, bolt, settings.slack_signing_secret)
    add_socket_mode(web_app, bolt, settings.slack_app_token)   # when SLACK_APP_TOKEN is set

Bolt verifies every request before any listener sees it: a wrong signature or a timestamp
more than five minutes old is 401. A body that is no payload at all, or one Slack would never
send, is 400, never 500.
"""

from __future__ import annotations

from collections.abc import Sequence

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest

from handlers.slack.payload import Malformed, check_shape

PATH = "/slack/events"
TIMESTAMP = "X-Slack-Request-Timestamp"


def bolt_request(request: web.Request, body: str) -> AsyncBoltRequest | None:
    """Bolt's view of the request; None when the body is not a payload at all."""
    headers: dict[str, str | Sequence[str]] = dict(request.headers.items())
    try:
        return AsyncBoltRequest(body=body, query=request.query_string, headers=headers)
    # Bad JSON, JSON that is not an object, or JSON nested past the parser's depth.
    except (ValueError, TypeError, AttributeError, RecursionError):
        return None


def add_slack_routes(app: web.Application, bolt: AsyncApp, signing_secret: str) -> None:
    """`bolt` must verify requests with `signing_secret` (build_slack_app's does, always)."""
    if not signing_secret:
        raise ValueError("Slack's HTTP endpoint needs SLACK_SIGNING_SECRET to verify requests.")

    async def events(request: web.Request) -> web.Response:
        try:
            body = await request.text()
        except UnicodeDecodeError:
            return web.Response(status=400, text="The body is not UTF-8.")
        if not request.headers.get(TIMESTAMP, "0").isdigit():  # Bolt's check would raise on it
            return web.Response(status=401, text="The request timestamp is not a number.")
        parsed = bolt_request(request, body)
        if parsed is None:
            return web.Response(status=400, text="The body is not a Slack payload.")
        try:
            check_shape(parsed.body)
        except Malformed as error:
            return web.Response(status=400, text=str(error))
        answer = await bolt.async_dispatch(parsed)
        if answer.status == 404:  # Bolt's "unhandled": nothing Slack sends to this app
            return web.Response(status=400, text="Nothing here handles that request.")
        return await to_aiohttp_response(answer)

    app.router.add_post(PATH, events)


def add_socket_mode(app: web.Application, bolt: AsyncApp, app_token: str) -> None:
    """Connect to Slack over a WebSocket while the server runs (created inside the loop)."""
    handlers: list[AsyncSocketModeHandler] = []

    async def connect(_app: web.Application) -> None:
        handlers.append(AsyncSocketModeHandler(bolt, app_token))
        await handlers[0].connect_async()  # type: ignore[no-untyped-call]

    async def close(_app: web.Application) -> None:
        for handler in handlers:
            await handler.close_async()  # type: ignore[no-untyped-call]

    app.on_startup.append(connect)
    app.on_cleanup.append(close)
