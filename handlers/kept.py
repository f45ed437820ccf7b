"""Platform requests that change something, kept in the inbox before the ack and worked
after: a crash between the ack and the work loses nothing, and a redelivery (Slack's retry
with X-Slack-Retry-Num, Teams sending an activity again, a repeated submit) changes nothing
twice. One Kept serves every platform of the process; each kind names how to redo it.

    kept = Kept(SqlInbox(engine), Work(), clock)
    kept.on("command", lambda request, payload: commands(request).run(Said(**payload)))
    row = await kept.keep("command", key_of("slack", "command", ...), payload)   # before ack
    await ack()
    if row is not None:              # None: this very request was kept before
        kept.start(row, lambda request: commands(request).run(said))   # made only if it runs
    await kept.sweep()               # at start and every few seconds: what a crash left

Each piece of work is handed the request it answers (a `bot.requests.Request`, or None where
the inbox is not in the store's database) and passes it on in its own Deps
(`deps.answering(request)`), so that its first change to an incident, and no other work's,
marks the request done.

A key is made from what stays the same when a platform sends a request again (Slack's
trigger id and the view's state, Teams' activity id), never from the delivery's headers.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping
from datetime import timedelta
from typing import Any

from aiohttp import web

from bot.decisions import Busy, Refused
from bot.ports import AlreadyDone, Clock
from bot.requests import Request
from handlers.work import Work
from storage.inbox import DONE, FAILED, PENDING, Delivery, Inbox

log = logging.getLogger(__name__)
# Longer than any one piece of platform work (three 30-second 429 waits at worst), so a row is
# only taken again when the process that kept it is gone.
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5
BATCH = 50
WARM = "start:warm"  # the key of the one row `warm` keeps and forgets again

Job = Coroutine[Any, Any, None]
Answer = Callable[[Request | None], Job]  # a kept request's work, given the request it answers
Replay = Callable[[Request | None, Mapping[str, Any]], Job]  # the same, from its kept payload


def key_of(platform: str, kind: str, *parts: str) -> str:
    """`slack:command:3f2a…`: the same parts give the same key, whichever delivery it is."""
    # surrogatepass: JSON may carry a lone surrogate ("\\ud800"), which is still a key
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{platform}:{kind}:{digest}"


class Kept:
    def __init__(self, inbox: Inbox, work: Work, clock: Clock, lease: timedelta = LEASE) -> None:
        self.inbox, self.work, self.clock, self.lease = inbox, work, clock, lease
        self.replays: dict[str, Replay] = {}

    def on(self, kind: str, replay: Replay) -> None:
        """How a kept request of `kind` is worked again from its payload after a crash."""
        self.replays[kind] = replay

    async def keep(self, kind: str, key: str, payload: Mapping[str, Any]) -> int | None:
        """Keep a request before its ack; its row, or None when it was kept before."""
        if kind not in self.replays:
            raise ValueError(f"nothing would work a kept '{kind}' again after a crash")
        platform = key.partition(":")[0]
        delivery = Delivery(platform, key, kind, json.dumps(payload, sort_keys=True))
        return await self.inbox.put(delivery, self.clock.now())

    async def forget(self, key: str) -> None:
        """A request answered without changing anything (a refused form): it may come again."""
        await self.inbox.forget(key)

    async def once(self, key: str) -> bool:
        """True the first time `key` is seen, False after (until it is forgotten): a guard
        for something done once, like the one incident a declare form may make."""
        now = self.clock.now()
        row = await self.inbox.put(Delivery(key.partition(":")[0], key, "once", "{}"), now)
        if row is None:
            return False
        await self.inbox.settle(row, DONE, now)  # nothing to redo after a crash
        return True

    def start(self, row: int, job: Answer, attempt: int = 1) -> asyncio.Task[None]:
        """Work a kept request after the ack; its row is settled when the work ends (and, where
        the store shares the inbox's database, by the work's first change to an incident)."""
        request = Request(row) if self.inbox.settled_by_store else None
        return self.work.start(self._settled(row, lambda: job(request), attempt))

    async def _settled(self, row: int, job: Callable[[], Job], attempt: int) -> None:
        try:
            await job()
        except AlreadyDone:  # worked before a crash, as far as the record goes: not twice
            log.info("kept request %d was done before; not working it again", row)
            return
        except Busy:  # acked, so never answered "busy": left for the sweep to work again
            log.warning("kept request %d found its incident busy; the sweep works it again", row)
            await self.inbox.settle(row, PENDING, self.clock.now(), "busy")
            return
        except Refused:  # an answer, not a fault: the request is done
            await self.inbox.settle(row, DONE, self.clock.now())
            raise
        except Exception as error:
            again = PENDING if attempt < MAX_ATTEMPTS else FAILED
            await self.inbox.settle(row, again, self.clock.now(), repr(error))
            raise
        await self.inbox.settle(row, DONE, self.clock.now())

    async def warm(self) -> None:
        """At start: keep and forget a request no platform sent, so the first real one is
        kept (and acked) as quickly as any after it — the database's connection, its worker
        thread and the statements are ready before anyone waits on them."""
        await self.inbox.put(Delivery("start", WARM, "once", "{}"), self.clock.now())
        await self.inbox.forget(WARM)

    async def sweep(self) -> int:
        """Work again what was kept and then left (a crash, a failure); how many rows."""
        taken = await self.inbox.claim(self.clock.now(), self.lease, BATCH)
        for delivery in taken:
            try:
                job = self._replay(delivery)
            except (KeyError, TypeError, ValueError) as error:  # kept by another version
                await self.inbox.settle(delivery.id, FAILED, self.clock.now(), repr(error))
                continue
            log.info("working again a kept %s (attempt %d)", delivery.kind, delivery.attempts)
            self.start(delivery.id, job, delivery.attempts)
        return len(taken)

    def _replay(self, delivery: Delivery) -> Answer:
        payload, replay = json.loads(delivery.payload), self.replays[delivery.kind]
        if not isinstance(payload, dict):
            raise ValueError("a kept payload is an object")
        return lambda request: replay(request, payload)

    async def sweep_every(self, seconds: float) -> None:
        """At start, then every `seconds`, for as long as the server runs."""
        while True:
            try:
                await self.sweep()
            except Exception:  # a failed sweep (the database away) must not stop the next
                log.exception("sweeping kept requests failed")
            await asyncio.sleep(seconds)


def add_inbox_sweeps(app: web.Application, kept: Kept, every_s: float) -> None:
    """Sweep the inbox at start and every `every_s` while `app` serves."""

    async def sweeping(_app: web.Application) -> AsyncIterator[None]:
        try:
            await kept.warm()
        except Exception:  # the database away at start: the sweeps say so, and retry
            log.exception("warming the inbox failed")
        task = asyncio.create_task(kept.sweep_every(every_s))
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    app.cleanup_ctx.append(sweeping)
