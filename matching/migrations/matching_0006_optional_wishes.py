"""senior_profiles: the pay wish, the start date and the birth year may be given later (NULL)

A first profile needs only the one-line summary and a region (issue 16).

SQLite cannot drop a NOT NULL in place: the batch copies the table, drops the old one and renames the
copy. With foreign keys on, that drop would first delete every row that refers to a profile (career
entries, interview requests, match notices: all ``ON DELETE CASCADE``), so foreign keys are switched
off around the copy, checked afterwards and switched on again. A downgrade first writes placeholders
where nothing was given (see ``_DOWNGRADE_FILL``).

Revision ID: matching_0006
Revises: matching_0005
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op

revision = "matching_0006"
down_revision = "matching_0005"
branch_labels = None
depends_on = None

COLUMNS = (
    ("birth_year", sa.Integer()),
    ("salary_min", sa.Integer()),
    ("salary_max", sa.Integer()),
    ("available_from", sa.Date()),
)

#: what a downgrade writes where nothing was given: a birth year and a pay wish the old form refuses
#: (so the senior is asked again on the next save) and "free from today"
_DOWNGRADE_FILL = (
    "UPDATE senior_profiles SET birth_year = 1900 WHERE birth_year IS NULL",
    "UPDATE senior_profiles SET salary_min = 0 WHERE salary_min IS NULL",
    "UPDATE senior_profiles SET salary_max = salary_min WHERE salary_max IS NULL",
    "UPDATE senior_profiles SET available_from = CURRENT_DATE WHERE available_from IS NULL",
)


def _without_cascades(change: Callable[[], None]) -> None:
    """Run ``change`` with SQLite's foreign keys off (as is elsewhere). The pragma only takes effect
    outside a transaction: Alembic gives each SQLite revision its own, which has written nothing yet
    when a revision starts, so it is set first; if it did not take, nothing is changed."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        change()
        return
    was_on = bool(bind.exec_driver_sql("PRAGMA foreign_keys").scalar())
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError(
            "matching_0006: SQLite's foreign keys stay on, so copying senior_profiles would delete "
            "every career entry and interview request"
        )
    change()
    broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"matching_0006: foreign keys broken after the copy: {broken[:5]}")
    if was_on:
        with op.get_context().autocommit_block():  # commits the copy; outside it the pragma takes
            bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def _nullable(value: bool) -> None:
    with op.batch_alter_table("senior_profiles") as batch:
        for name, kind in COLUMNS:
            batch.alter_column(name, existing_type=kind, nullable=value)


def _fill_then_require() -> None:
    for statement in _DOWNGRADE_FILL:
        op.execute(sa.text(statement))
    _nullable(False)


def upgrade() -> None:
    _without_cascades(lambda: _nullable(True))


def downgrade() -> None:
    _without_cascades(_fill_then_require)
