"""The platform request a piece of work answers (its inbox row), carried on the work's own
Deps, so that the work's first change to an incident also marks the request done, in the
same transaction: a crash after that change leaves nothing to do again, and a crash before
it leaves the request to be worked again whole. Exactly once, for what changes the record.

    deps = deps.answering(Request(row))   # the inbox, before it works a kept request
    row = request.unsettled()              # commit passes it to the store's save, once
    request.settle()                       # ... and marks it so after the save succeeds

Only work given those Deps answers the request: work with no request (the web chat, the
ticker) and work a request's work starts on Deps of its own carry None, so no other change
can mark the request done.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Request:
    row: int  # its inbox row
    settled: bool = False  # a change to an incident has marked it done

    def unsettled(self) -> int | None:
        """The row for the store's save to mark done, until a save has done so."""
        return None if self.settled else self.row

    def settle(self) -> None:
        self.settled = True
