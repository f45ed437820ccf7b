"""Stored conversation references: where a platform conversation can be reached later.

    refs = Conversations(make_engine(url))
    await refs.remember(Reference("teams", "19:abc@thread.tacv2", "https://smba…/emea/",
                                  "tenant-1", {"conversation": {...}}), now)
    ref = await refs.find("teams", "19:abc@thread.tacv2")   # -> Reference | None
    await refs.block("teams", "19:abc@thread.tacv2", now)   # the bot was removed

Teams may move a tenant to another service URL, so each inbound activity refreshes it; a
conversation the platform says the bot was removed from is marked and skipped thereafter.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Engine, select, update
from sqlalchemy.engine import Connection

from storage.engine import dialect_insert, in_transaction, writer_lock
from storage.models import CONVERSATIONS, AnyRow

T = TypeVar("T")
C = CONVERSATIONS.c


@dataclass(frozen=True)
class Reference:
    platform: str
    conversation_id: str
    service_url: str
    tenant_id: str = ""
    reference: dict[str, Any] = field(default_factory=dict)
    blocked_at: datetime | None = None


def _of(row: AnyRow) -> Reference:
    return Reference(
        row.platform,
        row.conversation_id,
        row.service_url,
        row.tenant_id,
        json.loads(row.reference),
        row.blocked_at,
    )


def _upsert(conn: Connection, ref: Reference, now: datetime) -> None:
    values = {
        "platform": ref.platform,
        "conversation_id": ref.conversation_id,
        "service_url": ref.service_url,
        "tenant_id": ref.tenant_id,
        "reference": json.dumps(ref.reference, sort_keys=True),
        "updated_at": now,
    }
    fresh = {k: v for k, v in values.items() if k not in ("platform", "conversation_id")}
    stmt = dialect_insert(conn, CONVERSATIONS).values(values)
    conn.execute(
        stmt.on_conflict_do_update(index_elements=["platform", "conversation_id"], set_=fresh)
    )


class Conversations:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer_lock(engine)  # shared with the store on the same SQLite file

    async def _run(self, work: Callable[[Connection], T], read_only: bool = True) -> T:
        return await in_transaction(self._engine, self._writer, work, read_only)

    async def remember(self, ref: Reference, now: datetime) -> None:
        """Insert or refresh (service URL, tenant, reference); a block stays as it was."""
        await self._run(lambda conn: _upsert(conn, ref, now), read_only=False)

    async def find(self, platform: str, conversation_id: str) -> Reference | None:
        query = select(CONVERSATIONS).where(
            C.platform == platform, C.conversation_id == conversation_id
        )
        row = await self._run(lambda conn: conn.execute(query).first())
        return _of(row) if row is not None else None

    async def latest(self, platform: str, tenant_id: str = "") -> Reference | None:
        """The most recently refreshed conversation (of the tenant, when given)."""
        query = select(CONVERSATIONS).where(C.platform == platform)
        if tenant_id:
            query = query.where(C.tenant_id == tenant_id)
        query = query.order_by(C.updated_at.desc()).limit(1)
        row = await self._run(lambda conn: conn.execute(query).first())
        return _of(row) if row is not None else None

    async def block(self, platform: str, conversation_id: str, now: datetime) -> None:
        stmt = (
            update(CONVERSATIONS)
            .where(C.platform == platform, C.conversation_id == conversation_id)
            .values(blocked_at=now)
        )
        await self._run(lambda conn: conn.execute(stmt), read_only=False)
