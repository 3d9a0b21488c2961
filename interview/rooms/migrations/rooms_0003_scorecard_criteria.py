"""scorecards rate the posting's criteria with a written reason each and end with a recommendation
(definitely not, no, yes, strong yes) instead of the old decision (advance, hold, reject)

Existing cards: advance → yes, hold → no (not a clear yes), reject → definitely_not; their reasons are
empty. Down again: strong yes and yes → advance, no → hold, definitely not → reject.

Revision ID: rooms_0003
Revises: rooms_0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "rooms_0003"
down_revision = "rooms_0002"
branch_labels = None
depends_on = ("matching_0003",)

RECOMMENDATIONS = ("definitely_not", "no", "yes", "strong_yes")
DECISIONS = ("advance", "hold", "reject")


def _enum(values: tuple[str, ...], name: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, length=20)


def upgrade() -> None:
    with op.batch_alter_table("room_scorecards") as batch:
        batch.add_column(sa.Column("reasons", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
        batch.add_column(
            sa.Column("recommendation", _enum(RECOMMENDATIONS, "scorecard_recommendation"), nullable=True)
        )
    op.execute(
        "UPDATE room_scorecards SET recommendation = CASE decision"
        " WHEN 'advance' THEN 'yes' WHEN 'hold' THEN 'no' ELSE 'definitely_not' END"
    )
    with op.batch_alter_table("room_scorecards") as batch:
        batch.alter_column(
            "recommendation",
            existing_type=_enum(RECOMMENDATIONS, "scorecard_recommendation"),
            nullable=False,
        )
        batch.drop_column("decision")


def downgrade() -> None:
    with op.batch_alter_table("room_scorecards") as batch:
        batch.add_column(sa.Column("decision", _enum(DECISIONS, "scorecard_decision"), nullable=True))
    op.execute(
        "UPDATE room_scorecards SET decision = CASE recommendation"
        " WHEN 'strong_yes' THEN 'advance' WHEN 'yes' THEN 'advance' WHEN 'no' THEN 'hold' ELSE 'reject' END"
    )
    with op.batch_alter_table("room_scorecards") as batch:
        batch.alter_column("decision", existing_type=_enum(DECISIONS, "scorecard_decision"), nullable=False)
        batch.drop_column("recommendation")
        batch.drop_column("reasons")
