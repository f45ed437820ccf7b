"""An append-only log of which an incident may hold only the end.

A load reads an incident's folded state and the events after it, not its whole timeline:
its logs (the events, the evidence) then know their length and their last items only.

    log = Log.whole([a, b, c]).appended([d])
    log[-1]                          # -> d
    kept = log.end(1)                # len(kept) -> 4, kept[-1] -> d; list(kept) raises Incomplete
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar, overload

T = TypeVar("T")


class Incomplete(LookupError):
    """The whole of a log was read where a load holds only its end: whatever reads the
    whole record (papers, the timeline, verify) loads the incident whole."""


@dataclass(frozen=True, eq=False)
class Log(Sequence[T]):
    size: int  # how many items the whole log holds
    tail: tuple[T, ...] = ()  # its last items

    @staticmethod
    def whole(items: Iterable[T]) -> Log[T]:
        held = tuple(items)
        return Log(len(held), held)

    @property
    def complete(self) -> bool:
        return self.size == len(self.tail)

    def appended(self, items: Iterable[T]) -> Log[T]:
        added = tuple(items)
        return Log(self.size + len(added), self.tail + added) if added else self

    def end(self, count: int) -> Log[T]:
        """The same log holding only its last `count` items."""
        return Log(self.size, self.tail[len(self.tail) - count :] if count else ())

    def __eq__(self, other: object) -> bool:
        """Two logs are equal when they hold the same; a whole log equals a tuple of its items."""
        if isinstance(other, Log):
            return (self.size, self.tail) == (other.size, other.tail)
        if isinstance(other, tuple):
            return self.complete and self.tail == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.tail) if self.complete else hash((self.size, self.tail))

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[T]:
        if not self.complete:
            raise Incomplete(f"only the last {len(self.tail)} of {self.size} items are loaded")
        return iter(self.tail)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[T]: ...

    def __getitem__(self, index: int | slice) -> T | Sequence[T]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(self.size)))
        at = index + self.size if index < 0 else index
        if not 0 <= at < self.size:
            raise IndexError(index)
        first = self.size - len(self.tail)
        if at < first:
            raise Incomplete(f"item {at} of {self.size} is not loaded")
        return self.tail[at - first]
