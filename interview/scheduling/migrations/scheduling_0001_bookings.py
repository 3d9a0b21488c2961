"""scheduling: bookings, booking holds (no overlap per resource on PostgreSQL), slot offers, availability

Revision ID: scheduling_0001
Revises: core_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db

revision = "scheduling_0001"
down_revision = "core_0001"
branch_labels = ("scheduling",)
depends_on = ("rooms_0002", "matching_0002")


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("buffer_minutes", sa.Integer(), nullable=False),
        sa.Column("state", _enum("booking_state", "booked", "cancelled"), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=True),
        sa.Column("booked_by", sa.Integer(), nullable=True),
        sa.Column("cancel_reason", sa.Text(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booked_by"], ["users.id"], name=op.f("fk_bookings_booked_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["interview_requests.id"],
            name=op.f("fk_bookings_pair_id_interview_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_bookings_room_id_rooms"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_bookings_idempotency_key")),
    )
    op.create_index(op.f("ix_bookings_pair_id"), "bookings", ["pair_id"], unique=False)
    op.create_table(
        "booking_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("resource", sa.String(length=40), nullable=False),
        sa.Column("starts_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("starts_at < ends_at", name=op.f("ck_booking_holds_range")),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_booking_holds_booking_id_bookings"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_booking_holds")),
    )
    op.create_index(op.f("ix_booking_holds_booking_id"), "booking_holds", ["booking_id"], unique=False)
    op.create_index(op.f("ix_booking_holds_resource"), "booking_holds", ["resource"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        # btree_gist lets one GiST index compare the resource with = and the time ranges with &&
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            "ALTER TABLE booking_holds ADD CONSTRAINT booking_holds_no_overlap EXCLUDE USING gist"
            " (resource WITH =, tstzrange(starts_at, ends_at) WITH &&) WHERE (active)"
        )
    op.create_table(
        "slot_offers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("batch", sa.String(length=32), nullable=False),
        sa.Column("starts_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("buffer_minutes", sa.Integer(), nullable=False),
        sa.Column("state", _enum("offer_state", "open", "taken", "released", "withdrawn"), nullable=False),
        sa.Column("offered_by", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"],
            ["bookings.id"],
            name=op.f("fk_slot_offers_booking_id_bookings"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["offered_by"], ["users.id"], name=op.f("fk_slot_offers_offered_by_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["interview_requests.id"],
            name=op.f("fk_slot_offers_pair_id_interview_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slot_offers")),
    )
    op.create_index(op.f("ix_slot_offers_batch"), "slot_offers", ["batch"], unique=False)
    op.create_index(op.f("ix_slot_offers_pair_id"), "slot_offers", ["pair_id"], unique=False)
    op.create_table(
        "weekly_availability",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("part", _enum("day_part", "am", "pm"), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_weekly_availability_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_availability")),
        sa.UniqueConstraint("user_id", "weekday", "part", name="uq_weekly_availability_slot"),
    )
    op.create_index(op.f("ix_weekly_availability_user_id"), "weekly_availability", ["user_id"], unique=False)
    op.create_table(
        "scheduling_lock",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("counter", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduling_lock")),
    )
    op.execute("INSERT INTO scheduling_lock (id, counter) VALUES (1, 0)")


def downgrade() -> None:
    op.drop_table("scheduling_lock")
    op.drop_index(op.f("ix_weekly_availability_user_id"), table_name="weekly_availability")
    op.drop_table("weekly_availability")
    op.drop_index(op.f("ix_slot_offers_pair_id"), table_name="slot_offers")
    op.drop_index(op.f("ix_slot_offers_batch"), table_name="slot_offers")
    op.drop_table("slot_offers")
    op.drop_index(op.f("ix_booking_holds_resource"), table_name="booking_holds")
    op.drop_index(op.f("ix_booking_holds_booking_id"), table_name="booking_holds")
    op.drop_table("booking_holds")
    op.drop_index(op.f("ix_bookings_pair_id"), table_name="bookings")
    op.drop_table("bookings")
