"""Real server processes for fault tests: `ai-incident serve` in a subprocess, its log kept,
waited for by polling /healthz with a deadline (never by sleeping a guessed time).

    server = ServerProcess({"DATABASE_URL": url}, tmp_path / "a.log")
    await server.ready()
    ...
    server.kill()          # SIGKILL: no shutdown hooks run
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import aiohttp

from tests.conftest import ROOT

START = "import sys; from ai_incident.cli import main; sys.exit(main())"
SERVE = [
    sys.executable,
    "-c",
    START,
    "serve",
]
PLATFORM_VARS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "TEAMS_APP_ID")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def until(
    check: Callable[[], Awaitable[bool]], what: str, limit_s: float = 60.0, every_s: float = 0.05
) -> None:
    """Poll another process's state until `check` holds; fail naming `what` at the deadline."""
    end = time.monotonic() + limit_s
    while not await check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {limit_s:.0f} s waiting for {what}")
        await asyncio.sleep(every_s)


class ServerProcess:
    def __init__(self, env: dict[str, str], log: Path, command: list[str] = SERVE) -> None:
        """`command` may hold "{port}", filled with the free port chosen."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        base = {k: v for k, v in os.environ.items() if k not in PLATFORM_VARS}
        full = base | {
            "PORT": str(self.port),
            "TICK_SECONDS": "0.2",
            "RUNBOOK_PATH": str(ROOT / "runbook.yaml"),
        }
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                [part.replace("{port}", str(self.port)) for part in command],
                cwd=ROOT,
                env=full | env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    async def get(self, path: str) -> tuple[int, str]:
        timeout = aiohttp.ClientTimeout(total=5)
        async with (
            aiohttp.ClientSession(timeout=timeout) as http,
            http.get(self.url + path) as response,
        ):
            return response.status, await response.text()

    async def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited ({self.process.returncode}): {self.tail()}")
        try:
            return (await self.get("/healthz"))[0] == 200
        except (aiohttp.ClientError, TimeoutError):
            return False

    async def ready(self, limit_s: float = 90.0) -> ServerProcess:
        await until(self.healthy, f"the server on port {self.port}", limit_s)
        return self

    async def sweeps(self) -> int:
        _, body = await self.get("/metrics")
        line = next(x for x in body.splitlines() if x.startswith("ai_incident_reminder_sweeps"))
        return int(line.split()[1])

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
