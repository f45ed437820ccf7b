"""`make bench` — run the benchmarks and print their reports.

python -m bench [NAME ...] [--quick]     # none named: all of them
python -m bench --help                   # this usage and the benchmarks' names
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from bench import board, burst, load, long_incident, reminders, room_speed, slack_ack, startup

BENCHES: dict[str, Callable[[bool], Awaitable[None]]] = {
    "reminders": lambda quick: reminders.run(quick=quick),
    "slack_ack": lambda quick: slack_ack.run(quick=quick),
    "load": lambda quick: load.run(quick=quick),
    "long_incident": lambda quick: long_incident.run(quick=quick),
    "board": lambda quick: board.run(quick=quick),
    "startup": lambda quick: startup.run(quick=quick),
    "burst": lambda quick: burst.run(quick=quick),
    "room_speed": lambda quick: room_speed.run(quick=quick),
}
OPTIONS = ("--quick", "--help", "-h")


def usage() -> str:
    names = "\n".join(f"  {name}" for name in BENCHES)
    return (
        "usage: python -m bench [NAME ...] [--quick]\n\n"
        "Run the named benchmarks (none named: all of them, about ten minutes) and print\n"
        "each one's figures beside a baseline measured in the same run.\n\n"
        f"benchmarks:\n{names}\n\n"
        "options:\n"
        "  --quick     smaller data sets and shorter steps\n"
        "  -h, --help  show this message and exit\n"
    )


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--help" in args or "-h" in args:
        print(usage(), end="")
        return 0
    unknown = [a for a in args if a.startswith("-") and a not in OPTIONS]
    unknown += [a for a in args if not a.startswith("-") and a not in BENCHES]
    if unknown:
        print(f"unknown {unknown[0]!r}\n\n{usage()}", file=sys.stderr, end="")
        return 2
    named = [a for a in args if not a.startswith("-")]
    for name in named or BENCHES:
        print(f"== {name}")
        asyncio.run(BENCHES[name]("--quick" in args))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
