"""POST /alerts (Alertmanager's webhook) and POST /alerts/generic (a small JSON form): each
alert becomes a suspected-incident card in the runbook's triage room (bot.triage).

    add_alerts(app, deps, token, secret)   # mounted only when ALERTS_TOKEN or ALERTS_SECRET is set

Answers: 200 {"alert": id}; 400 and one line for a payload it cannot read; 401 without a
valid bearer token or signature; 413 past bot.alerts.MAX_BODY.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot import triage
from bot.alerts import (
    MAX_BODY,
    Alert,
    AlertStore,
    BadAlert,
    authorised,
    from_alertmanager,
    from_generic,
)
from bot.service import Deps

Reader = Callable[[object], Alert]


class AlertsIn:
    def __init__(self, deps: Deps, store: AlertStore, token: str, secret: str) -> None:
        self.deps, self.store, self.token, self.secret = deps, store, token, secret

    def route(self, read: Reader) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            return await self.answer(request, read)

        return handle

    async def answer(self, request: web.Request, read: Reader) -> web.Response:
        if (request.content_length or 0) > MAX_BODY:
            return _said(413, f"The body is over {MAX_BODY} bytes.")
        body = await request.content.read(MAX_BODY + 1)
        if len(body) > MAX_BODY:
            return _said(413, f"The body is over {MAX_BODY} bytes.")
        now = self.deps.clock.now()
        if not authorised(request.headers, body, self.token, self.secret, now):
            return _said(401, "Missing or wrong Authorization bearer token or X-Alert-Signature.")
        try:
            alert = read(_json(body))
        except BadAlert as bad:
            return _said(400, str(bad))
        record = await triage.receive(self.deps, self.store, alert)
        return web.json_response({"alert": record.id, "state": record.state})


def _json(body: bytes) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BadAlert(f"The body is not JSON: {str(error).splitlines()[0]}") from None


def _said(status: int, reason: str) -> web.Response:
    return web.Response(status=status, text=reason + "\n")


def add_alerts(app: web.Application, deps: Deps, token: str, secret: str) -> None:
    """Mount the endpoints; without alert settings they are absent (404)."""
    if deps.alerts is None or not (token or secret):
        return
    alerts = AlertsIn(deps, deps.alerts, token, secret)
    app.router.add_post("/alerts", alerts.route(from_alertmanager))
    app.router.add_post("/alerts/generic", alerts.route(from_generic))
