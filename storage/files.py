"""Records on disk: a closed incident's report, register entry and regression case.

    records = RecordsDir(Path("var/records"))
    await records.keep({"evals/AI-2026-0001.jsonl": b"..."})   # var/records/evals/...

Each file is written beside its final name and renamed into place, so a reader (or a crash)
never sees half a file. Paths come from the core and are relative; anything that would
land outside the folder is refused.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping
from pathlib import Path

from bot.ports import ChatError


class RecordsDir:
    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    async def keep(self, files: Mapping[str, bytes]) -> None:
        try:
            await asyncio.to_thread(self._write_all, files)
        except OSError as error:  # a full disk or a permission: retried by the ticker
            raise ChatError(f"could not write records under {self.root}: {error}") from error

    def _write_all(self, files: Mapping[str, bytes]) -> None:
        for relative, content in files.items():
            self._write(self._inside(relative), content)

    def _inside(self, relative: str) -> Path:
        target = (self.root / relative).resolve()
        if not target.is_relative_to(self.root) or target == self.root:
            raise ValueError(f"record path {relative!r} is outside {self.root}")
        return target

    @staticmethod
    def _write(target: Path, content: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        partial.write_bytes(content)
        os.replace(partial, target)
