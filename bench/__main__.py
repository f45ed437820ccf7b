"""`make bench` — run every benchmark and print its report."""

from __future__ import annotations

import asyncio
import sys

from bench import reminders


def main() -> int:
    quick = "--quick" in sys.argv
    asyncio.run(reminders.run(quick=quick))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
