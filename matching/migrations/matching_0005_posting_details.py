"""postings: the job's description, working hours, and the admin's age-limit check

Revision ID: matching_0005
Revises: matching_0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "matching_0005"
down_revision = "matching_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.add_column(sa.Column("description", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("work_hours", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("age_check", sa.String(20), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("age_check")
        batch.drop_column("work_hours")
        batch.drop_column("description")
