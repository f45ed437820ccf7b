"""Endpoints every deployment has: liveness and a few counters."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.ports import IncidentStore
from handlers.database import try_again_later

Schema = Callable[[], Awaitable[str | None]]


async def _schema_fine() -> str | None:
    return None


def add_health(
    app: web.Application,
    store: IncidentStore,
    sweeps: Callable[[], int],
    schema: Schema = _schema_fine,
) -> None:
    """Also: with the database away, every page answers "try again" (probes: 503). `schema`
    says what is wrong with the database's tables, or None."""
    app.middlewares.append(try_again_later)

    async def healthz(_request: web.Request) -> web.Response:
        problem = await schema()  # proves the database answers, with the tables this needs
        if problem is not None:
            return web.json_response({"ok": False, "error": problem}, status=503)
        await store.next_due()
        return web.json_response({"ok": True})

    async def metrics(_request: web.Request) -> web.Response:
        incidents = await store.list_incidents(include_closed=True)
        open_ = sum(1 for i in incidents if i.closed_at is None)
        body = (
            f"ai_incident_incidents_open {open_}\n"
            f"ai_incident_incidents_total {len(incidents)}\n"
            f"ai_incident_reminder_sweeps_total {sweeps()}\n"
        )
        return web.Response(text=body, content_type="text/plain")

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
