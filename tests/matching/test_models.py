"""The ``matching`` migration branch creates exactly the tables the models declare."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData

from core.db import Base, create_engine
from core.schema import PART as CORE
from core.schema import import_models
from matching.schema import PART as MATCHING

MATCHING_TABLES = {
    "senior_profiles",
    "career_entries",
    "companies",
    "site_visits",
    "postings",
    "interview_requests",
    "match_notifications",
}


async def test_migration_matches_models(database_url: str) -> None:
    import_models([CORE, MATCHING])
    mine = MetaData(naming_convention=Base.metadata.naming_convention)
    for name in MATCHING_TABLES | {"users"}:
        Base.metadata.tables[name].to_metadata(mine)
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:

            def diff(sync_conn):
                ctx = MigrationContext.configure(
                    sync_conn,
                    opts={
                        "compare_type": True,
                        "include_name": lambda name, type_, _parent: (
                            type_ != "table" or name in MATCHING_TABLES | {"users"}
                        ),
                    },
                )
                return compare_metadata(ctx, mine)

            changes = await conn.run_sync(diff)
    finally:
        await engine.dispose()
    assert changes == []
