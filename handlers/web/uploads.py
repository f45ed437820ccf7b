"""What the local web chat's forms carry beyond text: a file shared as evidence, and the
close form's regression case (recorded as Slack's and Teams' close forms record it).

    shared = shared_file(fields.get("file"))     # SharedFile, or None for no file
    regression_case(lambda name: fields.get(name, ""))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from aiohttp.web_request import FileField

from bot.decisions import Refused

MAX_NAME = 200  # characters of an uploaded file's name kept; the name is never a path


@dataclass(frozen=True)
class SharedFile:
    name: str
    content: bytes
    content_type: str


def shared_file(field: object) -> SharedFile | None:
    """The uploaded file's bytes, name (its last part only) and type; refuses an empty one."""
    if not isinstance(field, FileField):
        return None
    content = field.file.read()
    if not content:
        raise Refused("That file is empty; choose the file to record.")
    name = PurePath(field.filename or "file").name[:MAX_NAME] or "file"
    return SharedFile(name, content, field.content_type or "")


def regression_case(text: Callable[[str], str]) -> dict[str, object]:
    """The four regression fields; lists one phrase a line; empty fields left out."""

    def lines(name: str) -> list[str]:
        return [line.strip() for line in text(name).splitlines() if line.strip()]

    said: dict[str, object] = {
        "input": text("regression_input").strip(),
        "bad_output": text("regression_output").strip(),
        "must_contain": lines("must_contain"),
        "must_not_contain": lines("must_not_contain"),
    }
    return {k: v for k, v in said.items() if v}
