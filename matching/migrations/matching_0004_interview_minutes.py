"""postings.interview_minutes: how long the job's interviews last by default (60)

Revision ID: matching_0004
Revises: matching_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "matching_0004"
down_revision = "matching_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.add_column(sa.Column("interview_minutes", sa.Integer(), nullable=False, server_default="60"))


def downgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("interview_minutes")
