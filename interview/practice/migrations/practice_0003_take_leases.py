"""take leases: the node working on a take renews its lease; an expired lease marks an interrupted take

Revision ID: practice_0003
Revises: practice_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db

revision = "practice_0003"
down_revision = "practice_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practice_takes") as batch:
        batch.add_column(sa.Column("lease_node", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("lease_until", core.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("practice_takes") as batch:
        batch.drop_column("lease_until")
        batch.drop_column("lease_node")
