from __future__ import annotations

import asyncio
from collections.abc import Iterable
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from core.db import Base, create_engine
from core.migrate import alembic_config, downgrade, upgrade, version_locations
from core.schema import PART as CORE
from core.schema import import_models
from web.composition import SCHEMA


async def test_migrations_match_the_models(database_url: str) -> None:
    """Every model change has a migration: upgrading gives exactly the tables the models declare."""
    import_models(SCHEMA)
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
    script = ScriptDirectory.from_config(alembic_config(database_url, SCHEMA))
    for rev in script.walk_revisions():
        if rev.down_revision is None:
            assert rev.revision == "core_0001"


def test_every_part_has_its_own_branch() -> None:
    """Each package's migrations folder is one of Alembic's version locations, core's first."""
    assert version_locations(SCHEMA)[0] == CORE.migrations
    assert all(folder.is_dir() for folder in version_locations(SCHEMA))
    assert len(set(version_locations(SCHEMA))) == len(SCHEMA)


Shape = dict[str, object]


def _schema(url: str) -> Shape:
    """Every table with its columns, indexes and foreign keys, and the applied revisions (``heads``)."""

    def read(sync: Connection) -> Shape:
        insp = inspect(sync)
        shape: Shape = {
            table: (
                [(c["name"], str(c["type"]), c["nullable"]) for c in insp.get_columns(table)],
                sorted((i["name"] or "", tuple(i["column_names"])) for i in insp.get_indexes(table)),
                sorted(
                    (f["referred_table"], tuple(f["constrained_columns"]))
                    for f in insp.get_foreign_keys(table)
                ),
            )
            for table in insp.get_table_names()
        }
        if "alembic_version" in shape:
            shape["heads"] = sorted(
                row[0] for row in sync.exec_driver_sql("SELECT version_num FROM alembic_version")
            )
        return shape

    async def run() -> Shape:
        engine = create_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(read)
        finally:
            await engine.dispose()

    return asyncio.run(run())


def _applied(script: ScriptDirectory, heads: Iterable[str]) -> set[str]:
    """Every revision below the recorded heads, following down revisions and dependencies (a head
    that another branch depends on, like matching_0002 for rooms_0002, is not recorded itself)."""
    seen: set[str] = set()
    todo = list(heads)
    while todo:
        rev = script.get_revision(todo.pop())
        if rev is None or rev.revision in seen:
            continue
        seen.add(rev.revision)
        todo.extend(rev._all_down_revisions)
    return seen


def test_upgrade_is_idempotent_and_reversible(sqlite_url: str) -> None:
    migrated = _schema(sqlite_url)  # the fixture has upgraded once
    assert {"users", "senior_profiles", "transcription_jobs", "rooms", "practice_sessions"} <= migrated.keys()
    script = ScriptDirectory.from_config(alembic_config(sqlite_url, SCHEMA))
    heads = migrated["heads"]
    assert isinstance(heads, list)
    assert _applied(script, heads) == {r.revision for r in script.walk_revisions()}, (
        "some revision is not applied"
    )

    upgrade(sqlite_url, SCHEMA)
    assert _schema(sqlite_url) == migrated, "a second upgrade changed the schema"

    downgrade(sqlite_url, SCHEMA, "base")
    assert _schema(sqlite_url) == {"alembic_version": _schema(sqlite_url)["alembic_version"], "heads": []}, (
        "downgrade to base left tables or revisions behind"
    )

    upgrade(sqlite_url, SCHEMA)
    assert _schema(sqlite_url) == migrated, "downgrade and upgrade again gave another schema"


def test_core_alone_migrates(data_dir: Path) -> None:
    """Core needs no package above it: its own part is a complete schema."""
    url = f"sqlite+aiosqlite:///{data_dir / 'core.db'}"
    upgrade(url, [CORE])
    assert set(_schema(url)) == {
        "users",
        "login_throttle",
        "login_sessions",
        "password_resets",
        "notices",
        "reminders",
        "alembic_version",
        "heads",
    }
