from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from core.db import Base, create_engine
from core.migrate import alembic_config, downgrade, upgrade
from core.models import import_all_models


async def test_migrations_match_the_models(database_url: str) -> None:
    """Every model change has a migration: upgrading gives exactly the tables the models declare."""
    import_all_models()
    engine = create_engine(database_url)
    try:
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}), Base.metadata
                )
            )
            tables = await conn.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    finally:
        await engine.dispose()
    assert diff == []
    assert {"users", "login_throttle", "alembic_version"} <= tables


def test_every_branch_starts_from_core(database_url: str) -> None:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    for rev in script.walk_revisions():
        if rev.down_revision is None:
            assert rev.revision == "core_0001"


def test_upgrade_is_idempotent_and_reversible(sqlite_url: str) -> None:
    upgrade(sqlite_url)
    downgrade(sqlite_url, "base")
    upgrade(sqlite_url)
