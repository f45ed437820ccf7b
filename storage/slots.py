"""Message slots in SQL: claimed before the message is posted, so a second publisher (this
process or another replica) updates instead of posting again, and stamped with the
incident version each last showed, so an older render never overwrites a newer one.

    claimed = claim(conn, key, "card", now, lease)   # True: post it; False: someone has
    slot = read(conn, key, "card")                     # Slot(message_id, version) or None
    applied(conn, key, "card", 12)                     # after an update showing version 12
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.engine import Connection

from bot.ports import Slot
from storage.engine import dialect_insert
from storage.models import MESSAGES


def read(conn: Connection, key: str, slot: str) -> Slot | None:
    c = MESSAGES.c
    stmt = select(c.message_id, c.version).where(c.incident_key == key, c.slot == slot)
    row = conn.execute(stmt).first()
    return None if row is None else Slot(row.message_id, row.version)


def claim(conn: Connection, key: str, slot: str, now: datetime, lease: timedelta) -> bool:
    """Take the slot to post it: it was free, or its poster claimed it longer ago than
    `lease` and never recorded a message (gone, or its post failed)."""
    c = MESSAGES.c
    stale = and_(c.message_id == "", or_(c.claimed_at.is_(None), c.claimed_at < now - lease))
    taken = conn.execute(
        update(MESSAGES).where(c.incident_key == key, c.slot == slot, stale).values(claimed_at=now)
    )
    if taken.rowcount:
        return True
    values = {"incident_key": key, "slot": slot, "message_id": "", "claimed_at": now}
    fresh = dialect_insert(conn, MESSAGES).values(values).on_conflict_do_nothing()
    stmt = fresh.returning(MESSAGES.c.slot)
    return conn.execute(stmt).first() is not None  # (psycopg counts no rows for this insert)


def release(conn: Connection, key: str, slot: str) -> None:
    """A claim whose post failed: free again at once, for the next publisher."""
    c = MESSAGES.c
    free = and_(c.incident_key == key, c.slot == slot, c.message_id == "")
    conn.execute(update(MESSAGES).where(free).values(claimed_at=None))


def applied(conn: Connection, key: str, slot: str, version: int) -> None:
    c = MESSAGES.c
    newer = and_(c.incident_key == key, c.slot == slot, c.version < version)
    conn.execute(update(MESSAGES).where(newer).values(version=version))
