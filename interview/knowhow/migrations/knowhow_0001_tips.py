"""know-how library: tips and the tips attached to practice answers

Revision ID: knowhow_0001
Revises: core_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db

revision = "knowhow_0001"
down_revision = "core_0001"
branch_labels = ("knowhow",)
depends_on = ("practice_0001",)


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    op.create_table(
        "knowhow_tips",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_kind", _enum("knowhow_author_kind", "coach", "senior"), nullable=False),
        sa.Column("consent_at", core.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("industry", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("terms", sa.JSON(), nullable=False),
        sa.Column("status", _enum("knowhow_tip_status", "pending", "published", "hidden"), nullable=False),
        sa.Column("moderated_by", sa.Integer(), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_knowhow_tips_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["moderated_by"],
            ["users.id"],
            name=op.f("fk_knowhow_tips_moderated_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowhow_tips")),
    )
    op.create_index(op.f("ix_knowhow_tips_author_id"), "knowhow_tips", ["author_id"], unique=False)
    op.create_index(op.f("ix_knowhow_tips_category"), "knowhow_tips", ["category"], unique=False)
    op.create_index(op.f("ix_knowhow_tips_status"), "knowhow_tips", ["status"], unique=False)
    op.create_table(
        "knowhow_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("take_id", sa.Integer(), nullable=False),
        sa.Column("tip_id", sa.Integer(), nullable=False),
        sa.Column("coach_id", sa.Integer(), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["coach_id"],
            ["users.id"],
            name=op.f("fk_knowhow_attachments_coach_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["take_id"],
            ["practice_takes.id"],
            name=op.f("fk_knowhow_attachments_take_id_practice_takes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tip_id"],
            ["knowhow_tips.id"],
            name=op.f("fk_knowhow_attachments_tip_id_knowhow_tips"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowhow_attachments")),
        sa.UniqueConstraint("take_id", "tip_id", name="uq_knowhow_attachments_take_tip"),
    )
    op.create_index(op.f("ix_knowhow_attachments_take_id"), "knowhow_attachments", ["take_id"], unique=False)
    op.create_index(op.f("ix_knowhow_attachments_tip_id"), "knowhow_attachments", ["tip_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_knowhow_attachments_tip_id"), table_name="knowhow_attachments")
    op.drop_index(op.f("ix_knowhow_attachments_take_id"), table_name="knowhow_attachments")
    op.drop_table("knowhow_attachments")
    op.drop_index(op.f("ix_knowhow_tips_status"), table_name="knowhow_tips")
    op.drop_index(op.f("ix_knowhow_tips_category"), table_name="knowhow_tips")
    op.drop_index(op.f("ix_knowhow_tips_author_id"), table_name="knowhow_tips")
    op.drop_table("knowhow_tips")
