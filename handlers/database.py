"""The database away — PostgreSQL unreachable, or SQLite locked by another writer past its
busy timeout — as the edges see it: a "try again" for the person, never a stack trace.

    if database_away(error):
        await tell(TRY_AGAIN)

The core never sees SQLAlchemy; its errors surface here, at the edges, unchanged. The
store reconnects by itself (pool_pre_ping), so the next request after the database is back
just works.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError, InterfaceError, OperationalError, ProgrammingError
from sqlalchemy.exc import TimeoutError as PoolTimeout

log = logging.getLogger(__name__)
TRY_AGAIN = (
    "The incident database is not answering just now, so this was not recorded. "
    "Please try again in a moment."
)
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Try again</title></head>"
    "<body><p>{message}</p><p><a href='/'>Back</a></p></body></html>"
)
# PostgreSQL's errors for a table or column that is not there (SQLite's are operational).
MISSING = ("UndefinedTable", "UndefinedColumn")
# Probes are told the truth with a status; people get the page.
PROBES = ("/healthz", "/metrics")

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def database_away(error: BaseException) -> bool:
    """A lost or refused connection, a lock held past the busy timeout, an exhausted pool,
    or tables gone (a database recreated or restored wrong under a running server)."""
    if isinstance(error, ProgrammingError):
        return type(error.orig).__name__ in MISSING
    return isinstance(error, OperationalError | InterfaceError | PoolTimeout)


def unreachable(error: BaseException, database_url: str) -> str | None:
    """What to tell someone at a terminal when `error` is the database being away (the URL
    without its password, and the driver's first line); None for any other error."""
    if not database_away(error):
        return None
    try:
        where = make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        where = "DATABASE_URL"
    cause = getattr(error, "orig", None) or error
    first = (str(cause).strip().splitlines() or ["no reason given"])[0]
    return f"The incident database at {where} is not answering ({first}). Check DATABASE_URL."


@web.middleware
async def try_again_later(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except Exception as error:
        if not database_away(error):
            raise
        cause = str(getattr(error, "orig", None) or error).strip().splitlines() or ["?"]
        said = "%s %s: the database did not answer (%s)"
        log.warning(said, request.method, request.path, cause[0])
        if request.path in PROBES:
            return web.json_response({"ok": False, "error": "database unavailable"}, status=503)
        return web.Response(text=PAGE.format(message=TRY_AGAIN), content_type="text/html")
