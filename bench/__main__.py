"""`make bench` — run the benchmarks and print their reports.

python -m bench [reminders] [slack_ack] [load] [--quick]   # none named: all of them
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable

from bench import load, reminders, slack_ack

BENCHES: dict[str, Callable[[bool], Awaitable[None]]] = {
    "reminders": lambda quick: reminders.run(quick=quick),
    "slack_ack": lambda quick: slack_ack.run(quick=quick),
    "load": lambda quick: load.run(quick=quick),
}


def main() -> int:
    quick = "--quick" in sys.argv
    named = [a for a in sys.argv[1:] if not a.startswith("--")]
    unknown = [n for n in named if n not in BENCHES]
    if unknown:
        print(f"no benchmark {unknown[0]!r}; there are {', '.join(BENCHES)}", file=sys.stderr)
        return 2
    for name in named or BENCHES:
        print(f"== {name}")
        asyncio.run(BENCHES[name](quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
