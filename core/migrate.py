"""Alembic migrations, run programmatically by ``allwork db upgrade`` and at ``serve`` start.

Each package that owns tables keeps its own branch of revisions (``core``, ``transcribe``,
``matching`` …) that starts from ``core``'s first revision, so packages add tables
without touching each other's files; ``upgrade`` applies every head.
"""

from __future__ import annotations

import os
from pathlib import Path

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join(str(p) for p in version_locations()))
    cfg.attributes["database_url"] = database_url
    return cfg


def version_locations() -> list[Path]:
    """Every package's ``migrations`` folder that holds revision files."""
    root = Path(__file__).parent.parent
    found = [MIGRATIONS / "versions"]
    for pkg in ("matching", "interview/transcribe", "interview/rooms", "interview/practice"):
        folder = root / pkg / "migrations"
        if folder.is_dir():
            found.append(folder)
    return found


def upgrade(database_url: str, revision: str = "heads") -> None:
    """Bring the database to the newest schema. Synchronous: call it outside a running event loop."""
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)
