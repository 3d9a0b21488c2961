"""the pair pipeline: interview_requests.stage (replaces state), company_note, and pair_events

Revision ID: matching_0002
Revises: matching_0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import core.db

revision = "matching_0002"
down_revision = "matching_0001"
branch_labels = None
depends_on = None

STAGES = ("matched", "requested", "scheduled", "interviewed", "offer", "hired", "declined", "withdrawn")
#: the old request states, as stages
STATE_TO_STAGE = {
    "requested": "requested",
    "scheduled": "scheduled",
    "declined": "declined",
    "cancelled": "withdrawn",
    "done": "interviewed",
}


def _stage_enum() -> sa.Enum:
    return sa.Enum(*STAGES, name="pair_stage", native_enum=False, length=20)


def upgrade() -> None:
    with op.batch_alter_table("interview_requests") as batch:
        batch.add_column(sa.Column("stage", _stage_enum(), nullable=False, server_default="requested"))
        batch.add_column(sa.Column("company_note", sa.Text(), nullable=False, server_default=""))
    requests = sa.table("interview_requests", sa.column("state", sa.String), sa.column("stage", sa.String))
    for state, stage in STATE_TO_STAGE.items():
        op.execute(requests.update().where(requests.c.state == state).values(stage=stage))
    with op.batch_alter_table("interview_requests") as batch:
        batch.drop_index("ix_interview_requests_state")
        batch.drop_column("state")
        batch.create_index("ix_interview_requests_stage", ["stage"], unique=False)
    op.create_table(
        "pair_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pair_id", sa.Integer(), nullable=False),
        sa.Column("from_stage", _stage_enum(), nullable=True),
        sa.Column("to_stage", _stage_enum(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_pair_events_actor_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["pair_id"],
            ["interview_requests.id"],
            name=op.f("fk_pair_events_pair_id_interview_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pair_events")),
    )
    op.create_index(op.f("ix_pair_events_pair_id"), "pair_events", ["pair_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_pair_events_pair_id"), table_name="pair_events")
    op.drop_table("pair_events")
    state = sa.Enum(
        "requested",
        "scheduled",
        "declined",
        "cancelled",
        "done",
        name="request_state",
        native_enum=False,
        length=20,
    )
    with op.batch_alter_table("interview_requests") as batch:
        batch.add_column(sa.Column("state", state, nullable=False, server_default="requested"))
    requests = sa.table("interview_requests", sa.column("state", sa.String), sa.column("stage", sa.String))
    for stage, state_value in (
        ("scheduled", "scheduled"),
        ("declined", "declined"),
        ("withdrawn", "cancelled"),
        ("interviewed", "done"),
        ("offer", "done"),
        ("hired", "done"),
    ):
        op.execute(requests.update().where(requests.c.stage == stage).values(state=state_value))
    with op.batch_alter_table("interview_requests") as batch:
        batch.drop_index("ix_interview_requests_stage")
        batch.drop_column("company_note")
        batch.drop_column("stage")
        batch.create_index("ix_interview_requests_state", ["state"], unique=False)
