"""What each package contributes to the database: its tables and its migrations.

Core does not know the packages above it. Each package that owns tables declares one
:class:`SchemaPart` (``matching.schema.PART``, ``interview.rooms.schema.PART`` …); the
composition root (``web.composition.SCHEMA``) lists them in dependency order and hands
that list to :mod:`core.migrate` and to anything else that needs the whole schema.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class SchemaPart:
    """One package's share of the schema."""

    #: the module whose import declares the package's tables on ``core.db.Base.metadata``
    models: str
    #: the folder of the package's Alembic revisions (its own branch), if it has any
    migrations: Path | None = None


#: core's own part: accounts, the login throttle, notices (``core.models`` imports each table's module)
PART = SchemaPart("core.models", Path(__file__).parent / "migrations" / "versions")


def import_models(parts: Iterable[SchemaPart]) -> None:
    """Import every part's models module, so ``Base.metadata`` holds all their tables."""
    for part in parts:
        importlib.import_module(part.models)
