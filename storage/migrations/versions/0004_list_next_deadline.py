"""The board's list columns: each incident's earliest pending deadline and its clock.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Existing incidents: the earliest deadline whose "overdue" reminder is still to come (its
# dedupe key is "<key>:overdue:<clock>"). One whose deadline already passed (its reminder
# sent) is caught at the incident's next change, which rewrites the row.
EARLIEST = """
SELECT {what} FROM reminders r
WHERE r.incident_key = incidents.key AND r.kind = 'overdue'
  AND r.status IN ('scheduled', 'claimed')
ORDER BY r.due_at LIMIT 1
"""
BACKFILL = (
    "UPDATE incidents SET next_due_at = ({due}), next_clock = COALESCE(({clock}), '')".format(
        due=EARLIEST.format(what="r.due_at"),
        clock=EARLIEST.format(what="SUBSTR(r.dedupe_key, LENGTH(incidents.key) + 10)"),
    )
)


def upgrade() -> None:
    with op.batch_alter_table("incidents") as table:
        table.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("next_clock", sa.String(), nullable=False, server_default=""))
    op.create_index("ix_incidents_listed", "incidents", ["closed_at", "declared_at"])
    op.create_index("ix_incidents_next_due_at", "incidents", ["next_due_at"])
    op.execute(BACKFILL)


def downgrade() -> None:
    op.drop_index("ix_incidents_next_due_at", table_name="incidents")
    op.drop_index("ix_incidents_listed", table_name="incidents")
    with op.batch_alter_table("incidents") as table:
        table.drop_column("next_clock")
        table.drop_column("next_due_at")
