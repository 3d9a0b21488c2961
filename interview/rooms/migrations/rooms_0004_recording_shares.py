"""a room's recordings and transcripts shared by a participant with a coach or a colleague of the
company (room_recording_shares), and when each recording started (room_recordings.started_at, so the
speakers' transcripts merge into one timeline)

Revision ID: rooms_0004
Revises: rooms_0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db

revision = "rooms_0004"
down_revision = "rooms_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "room_recording_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("shared_by", sa.Integer(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_room_recording_shares_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_room_recording_shares_user_id_users"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["shared_by"],
            ["users.id"],
            name=op.f("fk_room_recording_shares_shared_by_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_recording_shares")),
        sa.UniqueConstraint("room_id", "user_id", name="uq_room_recording_shares_room_user"),
    )
    with op.batch_alter_table("room_recording_shares") as batch:
        batch.create_index(batch.f("ix_room_recording_shares_room_id"), ["room_id"], unique=False)
        batch.create_index(batch.f("ix_room_recording_shares_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("room_recordings") as batch:
        batch.add_column(sa.Column("started_at", core.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("room_recordings") as batch:
        batch.drop_column("started_at")
    with op.batch_alter_table("room_recording_shares") as batch:
        batch.drop_index(batch.f("ix_room_recording_shares_user_id"))
        batch.drop_index(batch.f("ix_room_recording_shares_room_id"))
    op.drop_table("room_recording_shares")
