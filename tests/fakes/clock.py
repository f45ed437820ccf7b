"""A clock tests move by hand; nothing in the tests sleeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass
class FakeClock:
    current: datetime

    def now(self) -> datetime:
        return self.current

    def advance(self, by: timedelta) -> datetime:
        self.current += by
        return self.current

    def set(self, to: datetime) -> None:
        self.current = to
