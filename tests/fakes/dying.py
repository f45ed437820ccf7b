"""A process that dies between answering a platform and doing the work: for the inbox
tests, which then check that the next process does that work, once."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any

from handlers.work import Work


class DiesAfterTheAck(Work):
    """The process is gone the moment the platform has its answer: the work never starts."""

    def start(self, job: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        job.close()
        return asyncio.create_task(asyncio.sleep(0))
