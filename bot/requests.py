"""The platform request a piece of work answers (its inbox row), so that the work's first
change to an incident also marks the request done, in the same transaction: a crash after
that change leaves nothing to do again, and a crash before it leaves the request to be
worked again whole. Exactly once, for what changes the record.

    answering(row)            # the inbox sets this before it works a kept request
    row = unsettled()         # commit passes it to the store's save, once
    settled()                 # ... and marks it so after the save succeeds

Work with no request (the web chat, the ticker) sees None throughout.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class _Claim:
    row: int
    settled: bool = False


_CURRENT: ContextVar[_Claim | None] = ContextVar("request", default=None)


def answering(row: int) -> None:
    _CURRENT.set(_Claim(row))


def unsettled() -> int | None:
    claim = _CURRENT.get()
    return claim.row if claim is not None and not claim.settled else None


def settled() -> None:
    claim = _CURRENT.get()
    if claim is not None:
        claim.settled = True
