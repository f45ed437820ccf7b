"""Work started after the platform has its ack, kept track of so nothing runs unseen.

    task = work.start(run_command(...))
    refused = await work.refusal(task, within_s=2.0)   # a Refused in time for the modal
    await work.idle()   # at shutdown, and in tests instead of sleeping

A failure is logged (a Refused quietly: it is an answer, not a fault) and kept in
`failures`, never lost in an orphaned task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

from bot.decisions import Refused

log = logging.getLogger(__name__)


class Work:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self.failures: list[BaseException] = []

    def start(self, job: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(self._guarded(job))
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled():
            task.exception()  # retrieved: logged in _guarded, not again by asyncio

    async def _guarded(self, job: Coroutine[Any, Any, None]) -> None:
        try:
            await job
        except Refused:
            raise  # the listener waiting on it answers; nobody else needs to hear
        except Exception as error:
            log.exception("work after the ack failed")
            self.failures.append(error)
            raise

    async def refusal(
        self, task: asyncio.Task[None], within_s: float, enough: asyncio.Event | None = None
    ) -> Refused | None:
        """The task's Refused if it comes within the time; None if it succeeded or runs on,
        or once `enough` is set (the task has done what its caller waits for)."""
        waiting = asyncio.ensure_future(enough.wait()) if enough is not None else None
        done, _ = await asyncio.wait(
            {task, *([waiting] if waiting else [])},
            timeout=within_s,
            return_when=asyncio.FIRST_COMPLETED,
        )
        if waiting is not None:
            waiting.cancel()
        if task not in done or task.cancelled():
            return None
        error = task.exception()
        return error if isinstance(error, Refused) else None

    async def idle(self) -> None:
        """Wait until no work is left, including work that work started."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def finish(self, within_s: float) -> None:
        """At shutdown: let work end for up to `within_s`, then cancel what is left."""
        try:
            await asyncio.wait_for(self.idle(), within_s)
        except TimeoutError:
            log.warning("cancelling %d job(s) still running at shutdown", len(self._tasks))
            for task in list(self._tasks):
                task.cancel()
