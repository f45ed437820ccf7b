"""The inbox contract, over a SQLite file and PostgreSQL (and the in-memory inbox the Slack
app falls back on): a request is kept once, a crash leaves it pending, a later claim takes
it again once per lease, and a settled row is never handed out again."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from storage.engine import make_engine
from storage.inbox import DONE, FAILED, PENDING, Delivery, Inbox, MemoryInbox, SqlInbox
from storage.models import INBOX
from tests.conftest import SEED_T0

LEASE = timedelta(minutes=2)
NOW = SEED_T0


def delivery(key: str = "slack:command:abc") -> Delivery:
    return Delivery("slack", key, "command", '{"text": "note hello"}')


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def opener(request: pytest.FixtureRequest) -> Iterator[Callable[[], Inbox]]:
    """Opens the inbox again over the same database, as a restarted process would."""
    if request.param == "memory":
        shared = MemoryInbox()
        yield lambda: shared
        return
    url = request.getfixturevalue(f"{request.param}_url")
    engines: list[Engine] = []

    def open_inbox() -> Inbox:
        engines.append(make_engine(url))
        return SqlInbox(engines[-1])

    yield open_inbox
    for engine in engines:
        engine.dispose()


async def test_a_request_is_kept_once_and_its_redelivery_is_recognised(
    opener: Callable[[], Inbox],
) -> None:
    inbox = opener()
    first = await inbox.put(delivery(), NOW)
    assert first is not None
    assert await inbox.put(delivery(), NOW + timedelta(seconds=1)) is None
    assert await opener().put(delivery(), NOW + timedelta(seconds=2)) is None


async def test_a_request_left_pending_is_claimed_again_only_after_the_lease(
    opener: Callable[[], Inbox],
) -> None:
    kept = await opener().put(delivery(), NOW)
    restarted = opener()
    assert await restarted.claim(NOW + LEASE - timedelta(seconds=1), LEASE, 10) == []
    [again] = await restarted.claim(NOW + LEASE, LEASE, 10)
    assert (again.id, again.kind, again.attempts) == (kept, "command", 2)
    assert again.payload == '{"text": "note hello"}'
    assert await restarted.claim(NOW + LEASE, LEASE, 10) == []  # taken: its lease runs anew


async def test_a_settled_request_is_never_claimed_again(opener: Callable[[], Inbox]) -> None:
    inbox = opener()
    done = await inbox.put(delivery("a"), NOW)
    failed = await inbox.put(delivery("b"), NOW)
    retried = await inbox.put(delivery("c"), NOW)
    assert done and failed and retried
    await inbox.settle(done, DONE, NOW)
    await inbox.settle(failed, FAILED, NOW, "Slack said no")
    await inbox.settle(retried, PENDING, NOW, "Slack was down")
    later = await opener().claim(NOW + LEASE * 10, LEASE, 10)
    assert [d.key for d in later] == ["c"]


async def test_a_forgotten_request_may_come_again(opener: Callable[[], Inbox]) -> None:
    inbox = opener()
    await inbox.put(delivery(), NOW)
    await inbox.forget(delivery().key)
    assert await inbox.put(delivery(), NOW) is not None


async def test_claims_go_oldest_first_up_to_the_limit(opener: Callable[[], Inbox]) -> None:
    inbox = opener()
    for n in range(3):
        await inbox.put(delivery(f"k{n}"), NOW + timedelta(seconds=n))
    taken = await inbox.claim(NOW + LEASE * 2, LEASE, 2)
    assert [d.key for d in taken] == ["k0", "k1"]


async def test_the_sql_inbox_keeps_an_error_and_the_time_it_was_settled(sqlite_url: str) -> None:
    engine = make_engine(sqlite_url)
    inbox = SqlInbox(engine)
    kept = await inbox.put(delivery(), NOW)
    assert kept is not None
    await inbox.settle(kept, FAILED, NOW + LEASE, "x" * 900)
    with engine.connect() as conn:
        row = conn.execute(select(INBOX)).one()._mapping
    assert (row["status"], row["attempts"], len(row["last_error"])) == (FAILED, 1, 500)
    assert row["handled_at"] == NOW + LEASE and row["received_at"] == NOW
    engine.dispose()
