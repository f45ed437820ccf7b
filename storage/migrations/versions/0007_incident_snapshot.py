"""The incident row keeps a snapshot of its folded state (JSON, with the seq and hash of the
event it was taken at), so a load reads it and only the events after it. Rows without one
("", as every row starts) are replayed from their events, and get one at their next change.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.add_column(sa.Column("snapshot", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("incidents") as batch:
        batch.drop_column("snapshot")
