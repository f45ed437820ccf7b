"""Alerts and their suspected-incident cards, in the database (bot.alerts.AlertStore).

alerts = SqlAlerts(make_engine(url))
record = await alerts.receive(alert, now, timedelta(hours=4))   # new, or a repeat folded in
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.engine import Connection

from bot.alerts import Alert, AlertRecord, group_key
from bot.incident import Room
from bot.timeline import Actor
from storage.engine import in_transaction, writer_lock
from storage.models import ALERTS, AnyRow

T = TypeVar("T")
A = ALERTS.c


def _of(row: AnyRow) -> AlertRecord:
    alert = Alert(
        row.source,
        row.system,
        row.summary,
        row.severity,
        row.link,
        row.occurred_at,
        row.status,
        row.group_key if row.source == "alertmanager" else "",
        row.firing,
    )
    return AlertRecord(
        row.id,
        alert,
        row.received_at,
        row.updated_at,
        row.deliveries,
        row.state,
        row.settled_by,
        row.settled_at,
        row.reason,
        row.incident_key,
        row.room_platform,
        row.room_id,
        row.message_id,
    )


def _told(alert: Alert, now: datetime) -> dict[str, Any]:
    """What a delivery says afresh (a repeat replaces these)."""
    return {
        "summary": alert.summary,
        "severity": alert.severity,
        "link": alert.link,
        "status": alert.status,
        "firing": alert.count,
        "updated_at": now,
    }


def _receive(conn: Connection, alert: Alert, now: datetime, window: timedelta) -> int:
    key = group_key(alert)
    found = conn.execute(
        select(A.id, A.occurred_at)
        .where(A.group_key == key, A.updated_at >= now - window)
        .order_by(A.id.desc())
        .limit(1)
    ).first()
    if found is None:
        values = _told(alert, now) | {"group_key": key, "source": alert.source}
        values |= {"system": alert.system, "occurred_at": alert.occurred_at, "received_at": now}
        inserted = conn.execute(insert(ALERTS).values(values)).inserted_primary_key
        assert inserted is not None
        return int(inserted[0])
    conn.execute(
        update(ALERTS)
        .where(A.id == found.id)
        .values(_told(alert, now) | {"deliveries": A.deliveries + 1})
    )
    return int(found.id)


class SqlAlerts:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._writer = writer_lock(engine)  # shared with the store on the same SQLite file

    async def _run(self, work: Callable[[Connection], T], read_only: bool = True) -> T:
        return await in_transaction(self._engine, self._writer, work, read_only)

    async def receive(self, alert: Alert, now: datetime, window: timedelta) -> AlertRecord:
        alert_id = await self._run(lambda c: _receive(c, alert, now, window), read_only=False)
        found = await self.get(alert_id)
        assert found is not None
        return found

    async def get(self, alert_id: int) -> AlertRecord | None:
        row = await self._run(lambda c: c.execute(select(ALERTS).where(A.id == alert_id)).first())
        return _of(row) if row is not None else None

    async def placed(self, alert_id: int, room: Room, message_id: str) -> None:
        values = {"room_platform": room.platform, "room_id": room.id, "message_id": message_id}
        stmt = update(ALERTS).where(A.id == alert_id).values(values)
        await self._run(lambda c: c.execute(stmt), read_only=False)

    async def settle(
        self, alert_id: int, state: str, actor: Actor, reason: str, key: str, now: datetime
    ) -> AlertRecord | None:
        values = {"state": state, "settled_by": actor.name, "settled_at": now, "reason": reason}
        stmt = (
            update(ALERTS)
            .where(A.id == alert_id, A.state == "open")  # only the first decision counts
            .values(values | {"incident_key": key})
        )
        changed = await self._run(lambda c: c.execute(stmt).rowcount, read_only=False)
        return await self.get(alert_id) if changed else None

    async def listed(self, states: Sequence[str]) -> list[AlertRecord]:
        query = select(ALERTS).where(A.state.in_(list(states))).order_by(A.id)
        rows = await self._run(lambda c: c.execute(query).all())
        return [_of(row) for row in rows]
