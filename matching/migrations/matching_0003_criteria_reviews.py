"""scorecard criteria per posting (postings.criteria, empty: the default four) and interview reviews
that seniors share for the public board (reviews: pending → approved | rejected)

Revision ID: matching_0003
Revises: matching_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db

revision = "matching_0003"
down_revision = "matching_0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.add_column(sa.Column("criteria", sa.JSON(), nullable=False, server_default=sa.text("'[]'")))
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("how_it_went", sa.Text(), nullable=False),
        sa.Column("questions", sa.Text(), nullable=False),
        sa.Column("advice", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum("pending", "approved", "rejected", name="review_status", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("moderated_by", sa.Integer(), nullable=True),
        sa.Column("moderated_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_reviews_author_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by"], ["users.id"], name=op.f("fk_reviews_moderated_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["interview_requests.id"],
            name=op.f("fk_reviews_pair_id_interview_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reviews")),
        sa.UniqueConstraint("pair_id", name="uq_reviews_pair"),
    )
    op.create_index(op.f("ix_reviews_author_id"), "reviews", ["author_id"], unique=False)
    op.create_index(op.f("ix_reviews_status"), "reviews", ["status"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_reviews_status"), table_name="reviews")
    op.drop_index(op.f("ix_reviews_author_id"), table_name="reviews")
    op.drop_table("reviews")
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("criteria")
