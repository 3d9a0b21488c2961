"""Alembic migrations, run programmatically by ``allwork db upgrade`` and at ``serve`` start.

Each package that owns tables keeps its own branch of revisions (``core``, ``transcribe``,
``matching`` …) that starts from ``core``'s first revision, so packages add tables
without touching each other's files; ``upgrade`` applies every head.

Core does not know those packages: every function takes the schema parts
(:class:`core.schema.SchemaPart`, listed by ``web.composition.SCHEMA``). Their migration
folders become Alembic's ``version_locations``; ``migrations/env.py`` imports their model
modules so autogenerate and the schema test see every table.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config

from core.schema import SchemaPart

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str, parts: Sequence[SchemaPart]) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for p in version_locations(parts)))
    cfg.attributes["database_url"] = database_url
    cfg.attributes["schema_parts"] = tuple(parts)
    return cfg


def version_locations(parts: Sequence[SchemaPart]) -> list[Path]:
    """The parts' migration folders, in the order given."""
    return [part.migrations for part in parts if part.migrations is not None]


def upgrade(database_url: str, parts: Sequence[SchemaPart], revision: str = "heads") -> None:
    """Bring the database to the newest schema. Synchronous: call it outside a running event loop."""
    command.upgrade(alembic_config(database_url, parts), revision)


def downgrade(database_url: str, parts: Sequence[SchemaPart], revision: str) -> None:
    command.downgrade(alembic_config(database_url, parts), revision)
