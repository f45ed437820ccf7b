"""APScheduler as a ticker only: the reminders table is the truth, each wake calls tick().

The scheduler keeps no job store of its own (a shared job store double-fires across
processes); it sweeps every few seconds and also wakes at the next due time it was told of.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.card_clock import CardClock
from bot.service import Deps
from bot.tick import tick

log = logging.getLogger(__name__)


class Ticker:
    def __init__(self, deps: Deps, every_seconds: float) -> None:
        self.deps = deps
        self.every_seconds = every_seconds
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.sweeping = asyncio.Lock()  # one sweep at a time; stop() waits for the last one
        self.sweeps = 0  # completed sweeps, for /metrics
        self.cards = CardClock()  # the cards' time left, kept true as time passes

    async def wake(self) -> None:
        if self.sweeping.locked():
            return
        async with self.sweeping:
            try:
                sent = await tick(self.deps)
                await self.cards.refresh(self.deps)
            except Exception:  # a failed sweep must not stop the next one
                log.exception("reminder sweep failed")
                return
            self.sweeps += 1
        if sent:
            log.info("sent %d reminder(s)", sent)
        await self.plan_next()

    async def plan_next(self) -> None:
        due = await self.deps.store.next_due()
        if due is not None:  # the injected clock may run ahead of the wall clock
            delay = max(due - self.deps.clock.now(), timedelta(0))
            self._wake_at(datetime.now(UTC) + delay)

    def _wake_at(self, at: datetime) -> None:
        self.scheduler.add_job(
            self.wake,
            "date",
            run_date=at,
            id="next-due",
            replace_existing=True,
            misfire_grace_time=None,
        )

    def start(self) -> None:
        self.scheduler.add_job(
            self.wake,
            "interval",
            seconds=self.every_seconds,
            id="sweep",
            max_instances=1,
            coalesce=True,
        )
        self.scheduler.start()

    async def stop(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
        async with self.sweeping:
            pass
