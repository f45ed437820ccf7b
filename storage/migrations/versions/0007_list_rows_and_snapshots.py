"""The board's list columns (the earliest pending deadline and its clock) and incident
snapshots (the folded state at a head event, so a load folds only the events after it).

Revision ID: 0007
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Existing incidents: the earliest deadline reminder still to come. One already sent (the
# deadline passed) is caught at the incident's next change, which rewrites the row.
BACKFILL = """
UPDATE incidents SET next_due_at = (
    SELECT MIN(r.due_at) FROM reminders r
    WHERE r.incident_key = incidents.key AND r.kind = 'overdue'
      AND r.status IN ('scheduled', 'claimed')
)
"""


def upgrade() -> None:
    with op.batch_alter_table("incidents") as table:
        table.add_column(sa.Column("next_due_at", sa.DateTime(timezone=True), nullable=True))
        table.add_column(sa.Column("next_clock", sa.String(), nullable=False, server_default=""))
    op.create_index("ix_incidents_listed", "incidents", ["closed_at", "declared_at"])
    op.create_index("ix_incidents_next_due_at", "incidents", ["next_due_at"])
    op.execute(BACKFILL)
    op.create_table(
        "incident_snapshots",
        sa.Column("incident_key", sa.String(), nullable=False),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("state", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("incident_key"),
    )


def downgrade() -> None:
    op.drop_table("incident_snapshots")
    op.drop_index("ix_incidents_next_due_at", table_name="incidents")
    op.drop_index("ix_incidents_listed", table_name="incidents")
    with op.batch_alter_table("incidents") as table:
        table.drop_column("next_clock")
        table.drop_column("next_due_at")
