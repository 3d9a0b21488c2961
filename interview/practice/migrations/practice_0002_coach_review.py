"""coach review: reviews with ratings, comment spans and replies, standing shares with a coach

Revision ID: practice_0002
Revises: practice_0001
Create Date: 2026-12-01 03:55:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db

revision = "practice_0002"
down_revision = "practice_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practice_comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("end_seconds", sa.Float(), nullable=True))

    op.create_table(
        "practice_comment_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_practice_comment_replies_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["practice_comments.id"],
            name=op.f("fk_practice_comment_replies_comment_id_practice_comments"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_comment_replies")),
    )
    with op.batch_alter_table("practice_comment_replies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_practice_comment_replies_comment_id"), ["comment_id"], unique=False
        )

    op.create_table(
        "practice_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("take_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("clarity", sa.Integer(), nullable=True),
        sa.Column("structure", sa.Integer(), nullable=True),
        sa.Column("relevance", sa.Integer(), nullable=True),
        sa.Column("confidence", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("sent_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"], ["users.id"], name=op.f("fk_practice_reviews_coach_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["practice_sessions.id"],
            name=op.f("fk_practice_reviews_session_id_practice_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["take_id"],
            ["practice_takes.id"],
            name=op.f("fk_practice_reviews_take_id_practice_takes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_reviews")),
        sa.UniqueConstraint("take_id", "coach_id", name="uq_practice_reviews_take_coach"),
    )
    with op.batch_alter_table("practice_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_reviews_coach_id"), ["coach_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_reviews_session_id"), ["session_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_practice_reviews_take_id"), ["take_id"], unique=False)

    op.create_table(
        "practice_coach_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("senior_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by", sa.Integer(), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by"],
            ["users.id"],
            name=op.f("fk_practice_coach_links_assigned_by_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["users.id"],
            name=op.f("fk_practice_coach_links_coach_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["senior_id"],
            ["users.id"],
            name=op.f("fk_practice_coach_links_senior_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_coach_links")),
        sa.UniqueConstraint("senior_id", name=op.f("uq_practice_coach_links_senior_id")),
    )
    with op.batch_alter_table("practice_coach_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_coach_links_coach_id"), ["coach_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("practice_coach_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_coach_links_coach_id"))
    op.drop_table("practice_coach_links")
    with op.batch_alter_table("practice_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_reviews_take_id"))
        batch_op.drop_index(batch_op.f("ix_practice_reviews_session_id"))
        batch_op.drop_index(batch_op.f("ix_practice_reviews_coach_id"))
    op.drop_table("practice_reviews")
    with op.batch_alter_table("practice_comment_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_comment_replies_comment_id"))
    op.drop_table("practice_comment_replies")
    with op.batch_alter_table("practice_comments", schema=None) as batch_op:
        batch_op.drop_column("end_seconds")
