"""rooms reference their candidate–posting pair (interview_requests) instead of a posting id and a stage

Existing rooms get the pair of their candidate and posting; where none exists and the senior has a
profile and the posting is there, one is made (stage scheduled, or interviewed for an ended room).

Revision ID: rooms_0002
Revises: rooms_0001
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "rooms_0002"
down_revision = "rooms_0001"
branch_labels = None
depends_on = ("matching_0002",)


def upgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("pair_id", sa.Integer(), nullable=True))
        batch.create_index(batch.f("ix_rooms_pair_id"), ["pair_id"], unique=False)
        batch.create_foreign_key(
            batch.f("fk_rooms_pair_id_interview_requests"),
            "interview_requests",
            ["pair_id"],
            ["id"],
            ondelete="SET NULL",
        )
    conn = op.get_bind()
    rooms = conn.execute(
        sa.text("SELECT id, candidate_id, posting_id, state FROM rooms WHERE posting_id > 0")
    ).all()
    now = datetime.now(UTC)
    for room_id, candidate_id, posting_id, state in rooms:
        pair_id = conn.execute(
            sa.text("SELECT id FROM interview_requests WHERE senior_id = :s AND posting_id = :p"),
            {"s": candidate_id, "p": posting_id},
        ).scalar()
        if pair_id is None:
            has_profile = conn.execute(
                sa.text("SELECT 1 FROM senior_profiles WHERE user_id = :s"), {"s": candidate_id}
            ).scalar()
            has_posting = conn.execute(
                sa.text("SELECT 1 FROM postings WHERE id = :p"), {"p": posting_id}
            ).scalar()
            if not (has_profile and has_posting):
                continue
            conn.execute(
                sa.text(
                    "INSERT INTO interview_requests (senior_id, posting_id, requested_by_role, stage, score,"
                    " factors, message, company_note, created_at, updated_at)"
                    " VALUES (:s, :p, 'admin', :stage, 0, '{}', '', '', :now, :now)"
                ),
                {
                    "s": candidate_id,
                    "p": posting_id,
                    "stage": "interviewed" if state == "ended" else "scheduled",
                    "now": now,
                },
            )
            pair_id = conn.execute(
                sa.text("SELECT id FROM interview_requests WHERE senior_id = :s AND posting_id = :p"),
                {"s": candidate_id, "p": posting_id},
            ).scalar()
        conn.execute(
            sa.text("UPDATE rooms SET pair_id = :pair WHERE id = :r"), {"pair": pair_id, "r": room_id}
        )
    with op.batch_alter_table("rooms") as batch:
        batch.drop_index(batch.f("ix_rooms_posting_id"))
        batch.drop_column("posting_id")
        batch.drop_column("stage")


def downgrade() -> None:
    with op.batch_alter_table("rooms") as batch:
        batch.add_column(sa.Column("posting_id", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(
            sa.Column(
                "stage",
                sa.Enum(
                    "interview",
                    "advanced",
                    "on_hold",
                    "rejected",
                    name="pair_stage",
                    native_enum=False,
                    length=20,
                ),
                nullable=False,
                server_default="interview",
            )
        )
        batch.create_index(batch.f("ix_rooms_posting_id"), ["posting_id"], unique=False)
    op.execute(
        "UPDATE rooms SET posting_id = COALESCE((SELECT posting_id FROM interview_requests"
        " WHERE interview_requests.id = rooms.pair_id), 0)"
    )
    with op.batch_alter_table("rooms") as batch:
        batch.drop_constraint(batch.f("fk_rooms_pair_id_interview_requests"), type_="foreignkey")
        batch.drop_index(batch.f("ix_rooms_pair_id"))
        batch.drop_column("pair_id")
